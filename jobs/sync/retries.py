"""Retrying failed sync tasks (the Sync page's Retry buttons, `python -m scripts.sync retry`):
back to pending (store.sync_retries), then each target the executor serves woken the one way a
target's job is queued (jobs.sync.wake) — a target whose job is running gets its follow-up run,
one already waiting is not doubled. A target in sync mode off is not woken: its tasks wait."""

from dataclasses import dataclass

from redis import Redis

from jobs.sync.wake import wake_targets
from store.sync_reports import TaskFilter
from store.sync_retries import Requeued, requeue_failed_tasks
from store.sync_tasks import syncing_targets


@dataclass(frozen=True)
class Retried:
    requeued: Requeued
    woken: list[str]  # the targets whose executor was woken (live or shadow, active)


def retry_failed_tasks(redis: Redis, task_filter: TaskFilter) -> Retried:
    """Re-queue the failed sync tasks matching the filter and wake their targets."""
    requeued = requeue_failed_tasks(task_filter)
    woken = syncing_targets(requeued.targets)
    wake_targets(redis, woken)
    return Retried(requeued, sorted(woken))
