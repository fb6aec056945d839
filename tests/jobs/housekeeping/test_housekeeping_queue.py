"""Housekeeping is never starved: the sweep and the alerts run on time behind a webhook backlog."""

import time
from datetime import UTC, timedelta

from rq import Queue
from rq.job import Job

from jobs import defaults
from jobs.housekeeping.schedule import (
    LAST_SLOT_KEY,
    PERIODIC_JOBS,
    enqueued_slots,
    periodic_job_id,
    slot_of,
)
from tests.scripts.supervised import process_env, wait_for
from tests.scripts.test_outage_survival import start, stop

BACKLOG = 5000
RETRY_STORM = 2000
BY_ID = {job.id: job for job in PERIODIC_JOBS}
WAITED_FOR = ("periodic-sweep", "periodic-evaluate-alerts")


def started_late(redis, job_id: str, due: float) -> float | None:
    """Seconds between when a periodic job was due and its start (None: not started yet)."""
    job = Job.fetch_many([job_id], connection=redis)[0]
    if job is None or job.started_at is None:
        return None
    return job.started_at.replace(tzinfo=UTC).timestamp() - due


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
    # As after a scheduler restart, Redis remembers the slot before the current one: the
    # scheduler catches the current slot up at its first tick (due, for it, when it started)
    # instead of this test waiting up to a whole interval (60 s for the alerts) for a new slot.
    for name in WAITED_FOR:
        interval = BY_ID[name].interval
        redis.set(LAST_SLOT_KEY.format(name), slot_of(began, interval) - interval)

    def due(slot: int) -> float:
        return max(slot, began)

    processes = [
        start("scripts.scheduler", env),
        start("scripts.worker", env, "--queues", "housekeeping"),
    ]
    try:
        for name in WAITED_FOR:
            job = BY_ID[name]

            def ran_after_start(job=job):
                slots = [s for s in enqueued_slots(redis, job) if s >= slot_of(began, job.interval)]
                return [s for s in slots if started_late(redis, periodic_job_id(job, s), due(s))]

            slots = wait_for(ran_after_start, job.interval * 2 + 10, f"{name} to run")
            for slot in slots:
                late = started_late(redis, periodic_job_id(job, slot), due(slot))
                assert late < 2 * job.interval, (name, late)
        # The backlog was there all along, the retry storm moved into it by the scheduler (its
        # 2 s may not be over yet when the caught-up slots have run).
        wait_for(lambda: webhooks.count == BACKLOG + RETRY_STORM, 30, "the retry storm to be moved")
    finally:
        stop(*processes)
