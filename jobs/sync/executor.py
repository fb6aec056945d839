"""apply_sync_tasks: the RQ job (queue `sync`) applying one target account's due tasks.

One run per target at a time (its RQ job id, and a Redis lock that a killed job frees within
seconds). The holder first releases the claims a dead predecessor left, then loops: claim ≤ 100
due tasks (folders first, then priority) → apply them (jobs.sync.rounds) → record each outcome
with its mapping in one transaction — until nothing is due, the `limit` is reached, or the
time budget is spent (then the next run is queued). A child in `off` mode is never claimed
from; `shadow` records what would be sent; `live` writes.
"""

import time

from peewee import InterfaceError, OperationalError

from jobs.context import JobContext, current
from jobs.sync import defaults
from jobs.sync.outcomes import Outcome
from jobs.sync.requeue import merge_superseded
from jobs.sync.rounds import apply_round, claimable_types
from jobs.sync.run import LIVE, SHADOW
from jobs.sync.target_lock import TargetLock
from jobs.sync.wake import continue_later
from store.db import database
from store.sync_tasks import (
    claim_tasks,
    has_due_tasks,
    record_outcomes,
    release_claims,
    sync_mode_of,
)

COUNTED = ("claimed", "completed", "failed", "retry", "wait", "cancelled")


def apply_sync_tasks(target_account_id: str, limit: int | None = None) -> dict:
    """Apply the target's due tasks; counts of what became of them and `remaining` (still due)."""
    context = current()
    try:
        return _apply(context, str(target_account_id), limit)
    except (OperationalError, InterfaceError):
        database.close()  # the connection broke: the next job reconnects
        raise


class Recorder:
    """Records a group's outcomes (one transaction) and keeps the totals."""

    def __init__(self, context: JobContext, mode: str, totals: dict):
        self.context, self.mode, self.totals = context, mode, totals
        self.done: set[int] = set()

    def __call__(self, outcomes: list[Outcome]) -> None:
        fresh = [o for o in outcomes if o.task_id not in self.done]
        recorded = record_outcomes(fresh, self.mode, self.context.settings.sync_max_attempts)
        self.done |= {o.task_id for o in fresh}
        for status, count in recorded.counts.items():
            self.totals[status] += count
        if recorded.superseded:
            self.totals["merged"] += merge_superseded(self.context.redis, recorded.superseded)


def _apply(context: JobContext, target: str, limit: int | None) -> dict:
    totals = dict.fromkeys((*COUNTED, "merged"), 0)
    redis, wake = context.redis, defaults.WAKE_PREFIX + target
    started = time.monotonic()
    types = claimable_types()
    job_cache: dict = {}
    while True:
        lock = TargetLock(redis, target)
        if not lock.acquire():
            redis.set(wake, 1, ex=defaults.WAKE_TTL)
            if lock.held_elsewhere():
                # A live holder sees the flag before it stops; a dead one's lock runs out, and
                # this later run then takes over its claims.
                continue_later(redis, target, delay=defaults.TARGET_LOCK_TTL + 1)
                return totals | {"remaining": None, "busy": True}
            continue
        try:
            redis.delete(wake)
            # The lock is ours: a running task of this target belongs to a job that died.
            merge_superseded(redis, release_claims(target))
            stop = _rounds(context, target, limit, started, types, totals, job_cache)
        finally:
            lock.release()
        if stop == "budget":
            continue_later(redis, target)
            break
        if stop != "idle" or not redis.delete(wake):
            break
    remaining = has_due_tasks(target, types) if stop != "mode" else None
    return totals | {"remaining": remaining, "stopped": stop}


def _rounds(context, target: str, limit, started, types, totals: dict, job_cache) -> str:
    """Claim and apply until: idle (nothing due), limit, budget, or mode (off / not active)."""
    while True:
        if limit is not None and totals["claimed"] >= limit:
            return "limit"
        if time.monotonic() - started > defaults.TIME_BUDGET:
            return "budget"
        state = sync_mode_of(target)
        if state is None or state[0] not in (LIVE, SHADOW) or state[1] != "active":
            return "mode"
        size = defaults.CLAIM_BATCH
        if limit is not None:
            size = min(size, limit - totals["claimed"])
        tasks = claim_tasks(target, types, size)
        if not tasks:
            return "idle"
        totals["claimed"] += len(tasks)
        recorder = Recorder(context, state[0], totals)
        apply_round(context, target, state[0], tasks, recorder, job_cache)
        missed = [t for t in tasks if t.id not in recorder.done]
        if missed:  # an applier that returned no outcome for a task: it must not stay claimed
            recorder(
                [
                    Outcome(
                        t.id, "retry", error="no outcome was reported for this task", retry_in=5
                    )
                    for t in missed
                ]
            )
