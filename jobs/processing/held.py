"""Held work of a loop-paused entity: released (the tasks go on) or discarded (recorded), by an
operator resolving the `loop_suspected` alert (console Alerts page, `python -m scripts.held`)."""

from dataclasses import dataclass

from redis import Redis

from jobs.processing.coalescing import ARCHIVES, DELETED, EntityLocks, lock_key, merge_into
from jobs.processing.loop_detector import RULE, lift_pause
from store.alerts import resolve_alert
from store.audit import record_action
from store.models import Alert, SyncTask
from store.tasks import (
    PENDING,
    NewTask,
    TaskKey,
    cancel_task,
    cancel_tasks,
    find_task,
    held_tasks,
    promote_held,
)

CHOICES = ("release", "discard")


@dataclass(frozen=True)
class Decision:
    alert_id: int
    subject: str
    choice: str
    tasks: int  # held tasks released or discarded
    resolved: bool  # False: the alert was already resolved (the held work was still decided)


def decide_loop_alert(
    redis: Redis, alert_id: int, choice: str, actor: str, role: str, audit: bool = True
) -> Decision:
    """Release or discard the held work of a loop alert's entity, resolve the alert, lift the
    pause. `audit`: record the decision (the console's action wrapper records it itself)."""
    if choice not in CHOICES:
        raise ValueError(f"choice must be one of {', '.join(CHOICES)}, not {choice!r}")
    alert = Alert.get_or_none(Alert.id == alert_id)
    if alert is None or alert.rule != RULE:
        raise ValueError(f"alert {alert_id} is not a {RULE} alert")
    tasks = held_tasks(alert.subject)
    for task in tasks:
        key = TaskKey(str(task.target_account_id), task.entity_type, task.entity_id)
        with EntityLocks(redis, [lock_key(key)]):
            if choice == "release":
                _release(key, task)
            else:
                cancel_task(task.id, f"discarded by {actor} (alert {alert_id})")
    resolved = resolve_alert(alert_id, by=actor)
    lift_pause(redis, alert.subject)
    decision = Decision(alert_id, alert.subject, choice, len(tasks), resolved)
    if audit:
        record_action(
            actor,
            role,
            f"{choice} held work",
            f"alert:{alert_id}",
            {"subject": alert.subject, "tasks": len(tasks)},
            f"ok: {describe(decision)}",
        )
    return decision


def describe(decision: Decision) -> str:
    done = "released" if decision.choice == "release" else "discarded"
    resolved = "alert resolved" if decision.resolved else "alert was already resolved"
    return f"{decision.tasks} held task(s) {done}, {resolved}"


def _release(key: TaskKey, held: SyncTask) -> None:
    """Under the entity lock: the held task becomes pending, or merges into the pending one."""
    task = NewTask(
        key,
        held.operation,
        str(held.source_account_id),
        held.priority,
        held.payload,
        held.log_id,
        held.scheduled_at,
        held.changed_at,
    )
    if task.operation in ARCHIVES:
        cancel_tasks(key, DELETED, held.log_id, PENDING, except_operations=ARCHIVES)
    pending = find_task(key, PENDING)
    if pending is None:
        promote_held(held.id)
    elif pending.operation in ARCHIVES and task.operation not in ARCHIVES:
        cancel_task(held.id, f"released, but task {pending.id} archives the entity")
    elif merge_into(pending, task, PENDING):
        cancel_task(held.id, f"released into pending task {pending.id}")
    else:  # the pending one was claimed between reading and merging: this one goes on itself
        promote_held(held.id)
