"""Periodic jobs on the housekeeping queue, each run once per slot of its interval.

Slots are aligned to the epoch (an hourly job's slot starts at hh:00), and the last slot each job
was enqueued for is kept in Redis: a restarted scheduler neither re-runs the hourly or daily work
at start nor pushes it back, two schedulers never enqueue one slot twice, and a slot missed while
no scheduler ran is caught up once. When Redis has forgotten (restarted without persistence), a
slot that began before this scheduler started is skipped rather than guessed.
"""

import importlib.util
from dataclasses import dataclass, field
from datetime import datetime

from redis import Redis
from rq import Queue
from rq.job import Job, JobStatus

from jobs import defaults

LAST_SLOT_KEY = "periodic:{}:last-slot"
HISTORY_KEY = "periodic:{}:history"  # the slots enqueued, newest first (doubles show here)
HISTORY_LENGTH = 100
RESULT_TTL = 600  # seconds a periodic job's result is kept in Redis
FAILURE_TTL = 24 * 3600

# Compare-and-set: store ARGV[1] and answer the previous slot when it is newer; else answer -2.
_ADVANCE = """
local last = redis.call('GET', KEYS[1])
local slot = tonumber(ARGV[1])
if last and tonumber(last) >= slot then return -2 end
redis.call('SET', KEYS[1], ARGV[1])
if last then return tonumber(last) end
return -1
"""


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
    # The sync dispatcher (jobs/sync/, issue 13): named, so RQ imports it only when it runs.
    PeriodicJob("periodic-dispatch-sync", "jobs.sync.dispatch.dispatch_due_tasks", 15, timeout=60),
    # Nightly verify of every syncing child, repairing where its `verify_repair` says (issue 14):
    # it only queues one verify job per child on the default queue, so it takes a moment here.
    PeriodicJob("periodic-verify", "jobs.sync.verify.queue_verifies", defaults.VERIFY_INTERVAL, 60),
]


def runnable(jobs: list[PeriodicJob] = PERIODIC_JOBS) -> tuple[list[PeriodicJob], list[str]]:
    """(the jobs whose module exists in this code, the ids of those whose module does not)."""
    present, missing = [], []
    for job in jobs:
        module = job.func.rpartition(".")[0]
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:  # its package is missing too
            found = False
        (present if found else missing).append(job if found else job.id)
    return present, missing


def slot_of(moment: float, interval: int) -> int:
    """The start (epoch seconds) of the slot of `interval` that holds `moment`."""
    return int(moment // interval) * interval


def periodic_job_id(job: PeriodicJob, slot: int) -> str:
    return f"{job.id}-{slot}"


def enqueue_due_jobs(
    redis: Redis, now: datetime, started_at: datetime, jobs: list[PeriodicJob] = PERIODIC_JOBS
) -> list[str]:
    """Enqueue every job whose current slot has not been enqueued; the RQ job ids enqueued."""
    advance = redis.register_script(_ADVANCE)
    queue = Queue(defaults.HOUSEKEEPING_QUEUE, connection=redis)
    enqueued = []
    for job in jobs:
        slot = slot_of(now.timestamp(), job.interval)
        previous = advance(keys=[LAST_SLOT_KEY.format(job.id)], args=[slot])
        if previous == -2:
            continue  # this slot is enqueued already
        if previous == -1 and slot < started_at.timestamp():
            continue  # Redis remembers no slot: not known whether this one ran
        if previous >= 0 and _still_waiting(redis, periodic_job_id(job, previous)):
            continue  # the last run has not even started: one waiting is enough
        job_id = periodic_job_id(job, slot)
        with redis.pipeline() as pipeline:
            queue.enqueue_call(
                job.func,
                kwargs=job.kwargs,
                timeout=job.timeout,
                result_ttl=RESULT_TTL,
                failure_ttl=FAILURE_TTL,
                job_id=job_id,
                pipeline=pipeline,
            )
            pipeline.lpush(HISTORY_KEY.format(job.id), slot)
            pipeline.ltrim(HISTORY_KEY.format(job.id), 0, HISTORY_LENGTH - 1)
            pipeline.execute()
        enqueued.append(job_id)
    return enqueued


def enqueued_slots(redis: Redis, job: PeriodicJob) -> list[int]:
    """The slots `job` was enqueued for, newest first (at most HISTORY_LENGTH)."""
    return [int(slot) for slot in redis.lrange(HISTORY_KEY.format(job.id), 0, -1)]


def _still_waiting(redis: Redis, job_id: str) -> bool:
    job = Job.fetch_many([job_id], connection=redis)[0]
    return job is not None and job.get_status(refresh=False) == JobStatus.QUEUED
