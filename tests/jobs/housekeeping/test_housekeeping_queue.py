"""Housekeeping is never starved: the sweep and the alerts run on time behind a webhook backlog."""

import time
from datetime import UTC, timedelta

from rq import Queue
from rq.job import Job

from jobs import defaults
from jobs.housekeeping.schedule import PERIODIC_JOBS, enqueued_slots, periodic_job_id
from tests.scripts.supervised import process_env, wait_for
from tests.scripts.test_outage_survival import start, stop

BACKLOG = 5000
RETRY_STORM = 2000
BY_ID = {job.id: job for job in PERIODIC_JOBS}


def started_late(redis, job_id: str, slot: int) -> float | None:
    """Seconds between a periodic job's slot and its start (None: not started yet)."""
    job = Job.fetch_many([job_id], connection=redis)[0]
    if job is None or job.started_at is None:
        return None
    return job.started_at.replace(tzinfo=UTC).timestamp() - slot


def test_sweep_and_alerts_run_on_time_behind_5000_webhook_jobs_and_a_retry_storm(
    settings, db, redis
):
    webhooks = Queue(defaults.WEBHOOKS_QUEUE, connection=redis)
    # No webhook worker runs: the backlog stays while housekeeping is due.
    webhooks.enqueue_many(
        [
            Queue.prepare_data(defaults.PROCESS_WEBHOOK_FUNC, args=(10_000_000 + n,))
            for n in range(BACKLOG)
        ]
    )
    with redis.pipeline() as pipeline:
        for n in range(RETRY_STORM):
            webhooks.enqueue_in(
                timedelta(seconds=2), defaults.PROCESS_WEBHOOK_FUNC, 20_000_000 + n,
                pipeline=pipeline,
            )  # fmt: skip
        pipeline.execute()
    env = process_env(settings)
    began = time.time()
    processes = [
        start("scripts.scheduler", env),
        start("scripts.worker", env, "--queues", "housekeeping"),
    ]
    try:
        for name in ("periodic-sweep", "periodic-evaluate-alerts"):
            job = BY_ID[name]

            def ran_after_start(job=job):
                slots = [s for s in enqueued_slots(redis, job) if s >= began]
                return [s for s in slots if started_late(redis, periodic_job_id(job, s), s)]

            slots = wait_for(ran_after_start, job.interval * 2 + 10, f"{name} to run")
            for slot in slots:
                late = started_late(redis, periodic_job_id(job, slot), slot)
                assert late < 2 * job.interval, (name, late)
        # The backlog was there all along, the retry storm moved into it by the scheduler.
        assert webhooks.count == BACKLOG + RETRY_STORM
    finally:
        stop(*processes)
