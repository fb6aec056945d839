"""Writing tasks: per-entity Redis locks, one pending write per (target, entity), the index as
the last guarantee.

A target has at most one pending task per entity whatever the operation: a newer event merges
into it (fields and log ids united, strategy widened, priority the highest, the earliest change
kept) and the wider operation wins — archive > recreate > create/order > update (folder_archive >
folder_create > folder_update). An archive cancels whatever else is pending for the entity (under
the same lock) and a later non-archive event of an entity with a pending archive is dropped.
Tasks of a loop-paused entity go through the same rules in the `held` status.
"""

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from redis import Redis

from jobs import defaults
from jobs.processing.errors import LockUnavailable
from jobs.processing.strategies import widen
from store.tasks import (
    NewTask,
    PendingTask,
    TaskKey,
    cancel_tasks,
    find_task,
    insert_tasks,
    task_exists_for_log,
    update_task,
)

LIST_FIELDS = ("updated_fields", "log_ids", "actions")
MAX_WRITE_ROUNDS = 3  # a pending task can vanish (picked up) between reading and merging it
RANK = {
    "update": 1,
    "folder_update": 1,
    "create": 2,
    "folder_create": 2,
    "order": 2,
    "recreate": 3,
    "archive": 4,
    "folder_archive": 4,
}
ARCHIVES = ("archive", "folder_archive")
# What an operation copying the whole entity does not need from a narrower one's payload.
PARTIAL_KEYS = ("updated_fields", "strategy")
DELETED = "entity deleted in the source account"


@dataclass(frozen=True)
class WriteResult:
    created: int = 0
    merged: int = 0
    already: int = 0  # a re-run found the task its crashed predecessor wrote
    cancelled: int = 0  # pending tasks an archive voided
    dropped: tuple[TaskKey, ...] = ()  # events of an entity whose archive is pending
    held: int = 0  # of `created + merged`: written `held` (a loop-paused entity)


def lock_key(key: TaskKey) -> str:
    return f"lock:task:{key.target_account_id}:{key.entity_type}:{key.entity_id}"


def write_tasks(redis: Redis, tasks: list[NewTask], rerun: bool = False) -> WriteResult:
    """Create each task, or merge it into the pending one of its entity, under the entity locks."""
    tasks = _combined(tasks)
    if not tasks:
        return WriteResult()
    # Key order: two jobs wanting overlapping entities never wait on each other in a cycle.
    with EntityLocks(redis, [lock_key(task.key) for task in tasks]):
        return _write(tasks, rerun)


def merge_payload(old: dict, new: dict) -> dict:
    """The pending task's payload after a newer event: lists united, strategy widened."""
    merged = {**old, **new}
    for name in LIST_FIELDS:
        if name in old or name in new:
            merged[name] = sorted(set(old.get(name, [])) | set(new.get(name, [])))
    if "strategy" in old and "strategy" in new:
        merged["strategy"] = widen(old["strategy"], new["strategy"])
    return merged


def merged_operation(old: str, new: str) -> str:
    return new if RANK.get(new, 0) > RANK.get(old, 0) else old


def merged_payload(operation: str, old: dict, new: dict) -> dict:
    payload = merge_payload(old, new)
    if RANK.get(operation, 0) > 1 and operation != "order":
        for name in PARTIAL_KEYS:
            payload.pop(name, None)
    return payload


def merge_into(pending: PendingTask, task: NewTask, status: str) -> bool:
    """Rewrite the pending (or held) task with the newer one merged in; False when it left
    that status meanwhile."""
    operation = merged_operation(pending.operation, task.operation)
    payload = merged_payload(operation, pending.payload, task.payload)
    priority = max(pending.priority, task.priority)
    changed_at = _earliest(pending.changed_at, task.changed_at)
    scheduled_at = task.scheduled_at if operation != pending.operation else None
    unchanged = (operation, payload, priority) == (
        pending.operation,
        pending.payload,
        pending.priority,
    )
    if unchanged and changed_at == pending.changed_at:
        return True
    return update_task(
        pending.id, operation, priority, payload, changed_at, scheduled_at, status=status
    )


def _write(tasks: list[NewTask], rerun: bool) -> WriteResult:
    already = 0
    if rerun:
        fresh = [t for t in tasks if t.log_id is None or not task_exists_for_log(t.key, t.log_id)]
        already, tasks = len(tasks) - len(fresh), fresh
    cancelled = 0
    for task in tasks:
        if task.operation in ARCHIVES:
            cancelled += cancel_tasks(
                task.key, DELETED, task.log_id, task.status, except_operations=ARCHIVES
            )
    # Insert first: the common case (nothing pending) costs one statement per status.
    created: dict[TaskKey, int] = {}
    for status in sorted({task.status for task in tasks}):
        created |= insert_tasks([task for task in tasks if task.status == status])
    merged, dropped, held = 0, [], 0
    for task in tasks:
        if task.key in created:
            held += task.status != "pending"
            continue
        if _merge(task):
            merged += 1
            held += task.status != "pending"
        else:
            dropped.append(task.key)
    return WriteResult(len(created), merged, already, cancelled, tuple(dropped), held)


def _merge(task: NewTask) -> bool:
    """Merge into the key's task; False when that task is an archive the event is pointless to."""
    for _ in range(MAX_WRITE_ROUNDS):
        pending = find_task(task.key, task.status)
        if pending is None:
            if insert_tasks([task]):  # picked up meanwhile: this becomes the new pending task
                return True
            continue
        if pending.operation in ARCHIVES and task.operation not in ARCHIVES:
            return False
        if merge_into(pending, task, task.status):
            return True
    raise LockUnavailable(f"task {task.key} kept changing under {MAX_WRITE_ROUNDS} attempts")


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return min(value for value in (a, b) if value is not None) if (a or b) else None


def _combined(tasks: list[NewTask]) -> list[NewTask]:
    """One task per (key, status): two events of a body about one entity merge before any write."""
    by_key: dict[tuple[TaskKey, str], NewTask] = {}
    for task in tasks:
        slot = (task.key, task.status)
        first = by_key.get(slot)
        if first is not None:
            if first.operation in ARCHIVES and task.operation not in ARCHIVES:
                continue
            operation = merged_operation(first.operation, task.operation)
            task = replace(
                first if operation == first.operation else task,
                operation=operation,
                priority=max(first.priority, task.priority),
                payload=merged_payload(operation, first.payload, task.payload),
                changed_at=_earliest(first.changed_at, task.changed_at),
            )
        by_key[slot] = task
    return list(by_key.values())


class EntityLocks:
    """redis-py Locks of a group of entities: taken in one round trip when all are free, else
    one by one in key order (waiting up to TASK_LOCK_WAIT each); released in one round trip."""

    def __init__(self, redis: Redis, names: list[str]):
        self._redis = redis
        self._locks = [
            redis.lock(
                name, timeout=defaults.TASK_LOCK_TIMEOUT, blocking_timeout=defaults.TASK_LOCK_WAIT
            )
            for name in sorted(set(names))
        ]

    def __enter__(self) -> "EntityLocks":
        token = uuid.uuid1().hex.encode()
        pipe = self._redis.pipeline(transaction=False)
        for lock in self._locks:
            pipe.set(lock.name, token, nx=True, px=int(defaults.TASK_LOCK_TIMEOUT * 1000))
        taken = pipe.execute()
        for lock, ok in zip(self._locks, taken, strict=True):
            lock.local.token = token if ok else None
        if all(taken):
            return self
        self._release()  # some are busy: give back the rest, then queue up in key order
        for lock in self._locks:
            if not lock.acquire():
                self._release()
                raise LockUnavailable(f"lock {lock.name} busy for {defaults.TASK_LOCK_WAIT}s")
        return self

    def __exit__(self, *exc_info) -> None:
        self._release()

    def _release(self) -> None:
        pipe = self._redis.pipeline(transaction=False)
        for lock in self._locks:
            if lock.local.token is not None:
                lock.lua_release(keys=[lock.name], args=[lock.local.token], client=pipe)
                lock.local.token = None
        pipe.execute()
