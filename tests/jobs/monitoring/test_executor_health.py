"""Executor findings: no sync worker, lag over the targets, recent failures, dead claims."""

from datetime import UTC, datetime, timedelta

from rq import Queue, Worker

from jobs import defaults
from jobs.monitoring.executor_health import executor_findings
from store.sync_modes import set_sync_mode
from tests.store.sync_rows import KAZAN, MOSCOW, add_franchise, add_task

NOW = datetime.now(UTC)


def sync_worker(redis) -> Worker:
    """A registered worker on queue `sync` (what a running `rq worker sync` leaves in Redis)."""
    worker = Worker([Queue(defaults.SYNC_QUEUE, connection=redis)], connection=redis)
    worker.register_birth()
    return worker


def test_a_healthy_executor_has_no_findings(db, redis):
    add_franchise()
    sync_worker(redis)
    add_task(MOSCOW, now=NOW, scheduled_ago=5)
    add_task(MOSCOW, "completed", now=NOW, finished_ago=60, latency=1)
    add_task(MOSCOW, "failed", now=NOW, finished_ago=2 * 3600)  # failed long ago
    assert executor_findings(NOW, redis) == []


def test_no_sync_worker_is_no_finding_while_nothing_waits_to_be_applied(db, redis):
    Worker([Queue(defaults.WEBHOOKS_QUEUE, connection=redis)], connection=redis).register_birth()
    assert executor_findings(NOW, redis) == []  # a fresh install: no child, no task
    add_franchise(modes=("off", "live"))
    add_task(MOSCOW, now=NOW, scheduled_ago=5)  # Москва is off: its tasks wait on purpose
    add_task(KAZAN, "completed", now=NOW, finished_ago=60, latency=1)
    assert executor_findings(NOW, redis) == []


def test_no_sync_worker_while_tasks_wait_for_a_served_child_is_down_naming_the_queue(db, redis):
    add_franchise(modes=("live", "shadow"))
    Worker([Queue(defaults.WEBHOOKS_QUEUE, connection=redis)], connection=redis).register_birth()
    add_task(MOSCOW, now=NOW, scheduled_ago=5)
    add_task(KAZAN, now=NOW, scheduled_ago=-30)  # due later (a 429's wait) still needs a worker
    add_task(KAZAN, now=NOW, scheduled_ago=1)
    (finding,) = executor_findings(NOW, redis)
    assert finding.severity == "down"
    assert finding.reason == (
        "no RQ worker is listening on queue sync: 3 pending task(s) of Казань, Москва are not"
        " applied"
    )
    assert tuple(finding) == ("down", finding.reason)  # a plain (severity, reason) pair
    sync_worker(redis)
    assert executor_findings(NOW, redis) == []


def test_lag_over_a_minute_is_degraded_over_fifteen_minutes_down_off_children_ignored(db, redis):
    add_franchise(modes=("live", "shadow"))
    sync_worker(redis)
    add_task(MOSCOW, now=NOW, scheduled_ago=90)
    add_task(KAZAN, now=NOW, scheduled_ago=20 * 60)
    findings = sorted(executor_findings(NOW, redis))
    assert findings == [
        ("degraded", "sync lag of Москва: 1 due task(s), the oldest waiting 90 s (target 60 s)"),
        ("down", "sync lag of Казань: 1 due task(s), the oldest waiting 20 min (target 60 s)"),
    ]
    set_sync_mode(KAZAN, "off", "test", "test")
    assert [f.severity for f in executor_findings(NOW, redis)] == ["degraded"]


def test_failures_of_the_last_hour_and_dead_claims_are_degraded(db, redis):
    add_franchise()
    sync_worker(redis)
    add_task(MOSCOW, "failed", now=NOW, finished_ago=600, error="HTTP 400")
    add_task(KAZAN, "failed", now=NOW, finished_ago=60, error="HTTP 400")
    add_task(MOSCOW, "processing", claimed_at=NOW - timedelta(minutes=30))
    assert executor_findings(NOW, redis) == [
        ("degraded", "2 sync task(s) failed in the last 60 min (see the Sync page)"),
        ("degraded", "1 sync task(s) claimed more than 10 min ago and still running"),
    ]
