"""A claimed task going back to pending when its entity already has a newer pending task (an
event arrived while it was claimed): it is merged into that task under the entity's lock, as
processing merges events (jobs.processing.coalescing), and ends cancelled naming it."""

from redis import Redis

from jobs.processing.coalescing import EntityLocks, lock_key, merge_into
from store.sync_tasks import cancel_superseded, return_to_pending, running_task
from store.tasks import NewTask, TaskKey, find_task


def merge_superseded(redis: Redis, task_ids: list[int]) -> int:
    """Merge each still-running task into its entity's pending one; how many were merged."""
    merged = 0
    for task_id in task_ids:
        task = running_task(task_id)
        if task is None:
            continue
        key = TaskKey(task.target_account_id, task.entity_type, task.entity_id)
        with EntityLocks(redis, [lock_key(key)]):
            pending = find_task(key)
            if pending is None:  # the newer one was claimed meanwhile: this one goes back
                if return_to_pending(task_id):
                    continue
                pending = find_task(key)
            if pending is None:
                continue
            newer = NewTask(
                key,
                task.operation,
                source_account_id=task.source_account_id,
                priority=task.priority,
                payload=task.payload,
                changed_at=task.changed_at,
            )
            if merge_into(pending, newer, "pending"):
                cancel_superseded(task_id, pending.id)
                merged += 1
    return merged
