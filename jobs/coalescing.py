"""Writing a task: a per-entity Redis lock, merging into the pending task, the index as backstop."""

from dataclasses import dataclass

from redis import Redis

from jobs import defaults
from jobs.errors import LockUnavailable
from jobs.strategies import widen
from store.tasks import (
    NewTask,
    PendingTask,
    TaskKey,
    find_pending_task,
    insert_task,
    task_exists_for_log,
    update_pending_task,
)

LIST_FIELDS = ("updated_fields", "log_ids", "entity_ids", "actions")
MAX_WRITE_ROUNDS = 3  # a pending task can vanish (picked up) between reading and merging it


@dataclass(frozen=True)
class WriteResult:
    task_id: int | None
    outcome: str  # "created" | "merged" | "already" (a re-run found its own task)


def lock_key(key: TaskKey) -> str:
    return f"lock:task:{key.target_account_id}:{key.entity_type}:{key.entity_id}"


def write_task(redis: Redis, task: NewTask, rerun: bool = False) -> WriteResult:
    """Create the task, or merge it into the pending one of the same key, under the entity lock."""
    lock = redis.lock(
        lock_key(task.key),
        timeout=defaults.TASK_LOCK_TIMEOUT,
        blocking_timeout=defaults.TASK_LOCK_WAIT,
    )
    if not lock.acquire():
        raise LockUnavailable(f"lock {lock_key(task.key)} busy for {defaults.TASK_LOCK_WAIT}s")
    try:
        return _write(task, rerun)
    finally:
        lock.release()


def merge_payload(old: dict, new: dict) -> dict:
    """The pending task's payload after a newer event: lists united, strategy widened."""
    merged = {**old, **new}
    for name in LIST_FIELDS:
        if name in old or name in new:
            merged[name] = sorted(set(old.get(name, [])) | set(new.get(name, [])))
    if "strategy" in old and "strategy" in new:
        merged["strategy"] = widen(old["strategy"], new["strategy"])
    return merged


def _write(task: NewTask, rerun: bool) -> WriteResult:
    # A re-run (retry, sweeper) must not add what its killed predecessor already wrote.
    if rerun and task.log_id is not None and task_exists_for_log(task.key, task.log_id):
        return WriteResult(None, "already")
    for _ in range(MAX_WRITE_ROUNDS):
        # Insert first: the common case (nothing pending) costs one statement.
        task_id = insert_task(task)
        if task_id is not None:
            return WriteResult(task_id, "created")
        pending = find_pending_task(task.key)  # the unique index said one is pending: merge
        if pending is not None and _merge_into(pending, task):
            return WriteResult(pending.id, "merged")
    raise LockUnavailable(f"task {task.key} kept changing under {MAX_WRITE_ROUNDS} attempts")


def _merge_into(pending: PendingTask, task: NewTask) -> bool:
    payload = merge_payload(pending.payload, task.payload)
    priority = max(pending.priority, task.priority)
    if payload == pending.payload and priority == pending.priority:
        return True
    return update_pending_task(pending.id, priority, payload)
