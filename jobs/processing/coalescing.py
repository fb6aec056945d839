"""Writing tasks: per-entity Redis locks, merging into pending tasks, the index as backstop."""

import uuid
from dataclasses import dataclass, replace

from redis import Redis

from jobs import defaults
from jobs.processing.errors import LockUnavailable
from jobs.processing.strategies import widen
from store.tasks import (
    NewTask,
    PendingTask,
    TaskKey,
    find_pending_task,
    insert_tasks,
    task_exists_for_log,
    update_pending_task,
)

LIST_FIELDS = ("updated_fields", "log_ids", "entity_ids", "actions")
MAX_WRITE_ROUNDS = 3  # a pending task can vanish (picked up) between reading and merging it


@dataclass(frozen=True)
class WriteResult:
    created: int = 0
    merged: int = 0
    already: int = 0  # a re-run found the task its crashed predecessor wrote


def lock_key(key: TaskKey) -> str:
    return f"lock:task:{key.target_account_id}:{key.entity_type}:{key.entity_id}"


def write_tasks(redis: Redis, tasks: list[NewTask], rerun: bool = False) -> WriteResult:
    """Create each task, or merge it into the pending one of its key, under the entity locks."""
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
    if "fields_by_entity" in old and "fields_by_entity" in new:
        merged["fields_by_entity"] = {**old["fields_by_entity"], **new["fields_by_entity"]}
    return merged


def _write(tasks: list[NewTask], rerun: bool) -> WriteResult:
    already = 0
    if rerun:
        fresh = [t for t in tasks if t.log_id is None or not task_exists_for_log(t.key, t.log_id)]
        already, tasks = len(tasks) - len(fresh), fresh
    # Insert first: the common case (nothing pending) costs one statement for the whole body.
    created = insert_tasks(tasks)
    merged = 0
    for task in tasks:
        if task.key not in created:
            _merge(task)
            merged += 1
    return WriteResult(len(created), merged, already)


def _merge(task: NewTask) -> None:
    for _ in range(MAX_WRITE_ROUNDS):
        pending = find_pending_task(task.key)
        if pending is None:
            if insert_tasks([task]):  # picked up meanwhile: this becomes the new pending task
                return
            continue
        if _merge_into(pending, task):
            return
    raise LockUnavailable(f"task {task.key} kept changing under {MAX_WRITE_ROUNDS} attempts")


def _merge_into(pending: PendingTask, task: NewTask) -> bool:
    payload = merge_payload(pending.payload, task.payload)
    priority = max(pending.priority, task.priority)
    if payload == pending.payload and priority == pending.priority:
        return True
    return update_pending_task(pending.id, priority, payload)


def _combined(tasks: list[NewTask]) -> list[NewTask]:
    """One task per key (two events of a body about one entity merge before any write)."""
    by_key: dict[TaskKey, NewTask] = {}
    for task in tasks:
        if task.key in by_key:
            first = by_key[task.key]
            task = replace(
                first,
                priority=max(first.priority, task.priority),
                payload=merge_payload(first.payload, task.payload),
            )
        by_key[task.key] = task
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
