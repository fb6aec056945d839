"""Periodic jobs, registered with rq-scheduler under fixed ids: a restart never doubles one."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from rq_scheduler import Scheduler

from jobs import defaults


@dataclass(frozen=True)
class PeriodicJob:
    id: str
    func: str
    interval: int  # seconds
    timeout: int = 300
    kwargs: dict = field(default_factory=dict)


PERIODIC_JOBS = [
    PeriodicJob(
        "periodic-sweep", "jobs.housekeeping.sweeper.sweep", defaults.SWEEP_INTERVAL, timeout=120
    ),
    PeriodicJob(
        "periodic-flush-webhook-counters",
        "jobs.monitoring.webhook_counters.flush_webhook_counters",
        defaults.WEBHOOK_COUNTERS_FLUSH_INTERVAL,
        timeout=60,
    ),
    # Webhook lifecycle, stats, alerts, retention (jobs/lifecycle/setup.py and friends)
    PeriodicJob(
        "periodic-update-stats", "jobs.monitoring.stats.update_stats", defaults.STATS_INTERVAL, 120
    ),
    PeriodicJob(
        "periodic-evaluate-alerts",
        "jobs.monitoring.alerts.evaluate_alerts",
        defaults.ALERTS_INTERVAL,
        120,
    ),
    PeriodicJob(
        "periodic-check-webhooks",
        "jobs.lifecycle.setup.check_all_accounts",
        defaults.CHECK_INTERVAL,
        defaults.CHECK_ALL_TIMEOUT,
        kwargs={"fix": True},
    ),
    PeriodicJob(
        "periodic-cleanup-logs",
        "jobs.housekeeping.retention.cleanup_logs",
        defaults.CLEANUP_INTERVAL,
        defaults.CLEANUP_TIMEOUT,
    ),
    # Retention of sync tasks, alerts and the audit log (issue 11)
    PeriodicJob(
        "periodic-cleanup-records",
        "jobs.housekeeping.record_retention.cleanup_records",
        defaults.CLEANUP_INTERVAL,
        defaults.CLEANUP_TIMEOUT,
    ),
]

# rq-scheduler keeps every periodic result forever unless told otherwise.
PERIODIC_RESULT_TTL = 600


def register_periodic_jobs(scheduler: Scheduler, jobs: list[PeriodicJob] = PERIODIC_JOBS) -> None:
    """(Re)register every periodic job; the old registration of the same id is replaced."""
    for job in jobs:
        if job.id in scheduler:
            scheduler.cancel(job.id)
        scheduler.schedule(
            scheduled_time=datetime.now(UTC).replace(tzinfo=None),
            func=job.func,
            kwargs=job.kwargs,
            interval=job.interval,
            repeat=None,
            id=job.id,
            timeout=job.timeout,
            result_ttl=PERIODIC_RESULT_TTL,
            queue_name=defaults.DEFAULT_QUEUE,
        )
