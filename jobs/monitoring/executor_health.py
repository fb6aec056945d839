"""What makes the sync executor degraded or down: lag, recent failures, no sync worker while tasks
wait, claims whose job died. The one verdict (jobs/monitoring/health.py) includes these findings."""

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from redis import Redis
from rq import Queue, Worker

from jobs import defaults
from jobs.context import current
from store.sync_reports import (
    count_failed,
    lag_by_target,
    pending_by_served_target,
    stale_claimed,
)

DEGRADED, DOWN = "degraded", "down"


class Finding(NamedTuple):
    severity: str  # "degraded" | "down"
    reason: str


def executor_findings(now: datetime | None = None, redis: Redis | None = None) -> list[Finding]:
    """Every reason the executor is not healthy now; empty when it is."""
    now = now or datetime.now(UTC)
    redis = redis or current().redis
    return [*_no_worker(redis), *_lag(now), *_failed(now), *_stale(now)]


def _no_worker(redis: Redis) -> list[Finding]:
    """Down when tasks wait for a target the executor serves and no worker would apply them;
    with nothing to apply (no child syncing yet, all done) a missing sync worker is no finding."""
    if Worker.all(queue=Queue(defaults.SYNC_QUEUE, connection=redis)):
        return []
    waiting = pending_by_served_target()
    if not waiting:
        return []
    tasks = sum(row["pending"] for row in waiting)
    names = ", ".join(row["name"] or row["target_account_id"] for row in waiting)
    reason = (
        f"no RQ worker is listening on queue {defaults.SYNC_QUEUE}:"
        f" {tasks} pending task(s) of {names} are not applied"
    )
    return [Finding(DOWN, reason)]


def _lag(now: datetime) -> list[Finding]:
    findings = []
    for row in lag_by_target(now):
        lag = row["lag_seconds"]
        if row["sync_mode"] == "off" or lag <= defaults.SYNC_LAG_DEGRADED_SECONDS:
            continue
        severity = DOWN if lag > defaults.SYNC_LAG_DOWN_SECONDS else DEGRADED
        name = row["name"] or row["target_account_id"]
        reason = (
            f"sync lag of {name}: {row['due']} due task(s), the oldest waiting {_age(lag)}"
            f" (target {defaults.SYNC_LAG_DEGRADED_SECONDS} s)"
        )
        findings.append(Finding(severity, reason))
    return findings


def _failed(now: datetime) -> list[Finding]:
    window = defaults.SYNC_FAILED_WINDOW_SECONDS
    failed = count_failed(since=now - timedelta(seconds=window))
    if not failed:
        return []
    reason = f"{failed} sync task(s) failed in the last {_age(window)} (see the Sync page)"
    return [Finding(DEGRADED, reason)]


def _stale(now: datetime) -> list[Finding]:
    limit = defaults.SYNC_STALE_CLAIM_SECONDS
    stale = stale_claimed(now - timedelta(seconds=limit))
    if not stale:
        return []
    reason = f"{stale} sync task(s) claimed more than {_age(limit)} ago and still running"
    return [Finding(DEGRADED, reason)]


def _age(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.0f} h"
