"""Periodic jobs: one run per slot of their interval on the housekeeping queue."""

import importlib
from datetime import UTC, datetime, timedelta

from rq import Queue

from jobs import defaults
from jobs.housekeeping.schedule import (
    PERIODIC_JOBS,
    PeriodicJob,
    enqueue_due_jobs,
    enqueued_slots,
    runnable,
    slot_of,
)

HOURLY = PeriodicJob("periodic-hourly", "jobs.monitoring.stats.update_stats", 3600)
DAILY = PeriodicJob("periodic-daily", "jobs.housekeeping.retention.cleanup_logs", 24 * 3600)
QUICK = PeriodicJob("periodic-quick", "jobs.housekeeping.sweeper.sweep", 15)
JOBS = [HOURLY, DAILY, QUICK]


def at(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 12, 3, hour, minute, second, tzinfo=UTC)


def housekeeping(redis) -> list[str]:
    return Queue(defaults.HOUSEKEEPING_QUEUE, connection=redis).get_job_ids()


def ran(redis) -> None:
    """The housekeeping worker took every waiting job."""
    Queue(defaults.HOUSEKEEPING_QUEUE, connection=redis).empty()


def test_a_scheduler_start_runs_no_hourly_or_daily_work_and_keeps_the_rhythm(redis):
    start = at(10, 20, 3)
    assert enqueue_due_jobs(redis, start, start, JOBS) == []
    # The quick job's next slot comes within its interval; the hourly one at 11:00, not 11:20.
    assert enqueue_due_jobs(redis, at(10, 20, 15), start, JOBS) == [
        f"periodic-quick-{slot_of(at(10, 20, 15).timestamp(), 15)}"
    ]
    ran(redis)
    assert enqueue_due_jobs(redis, at(10, 59, 59), start, JOBS) == [
        f"periodic-quick-{slot_of(at(10, 59, 45).timestamp(), 15)}"
    ]
    ran(redis)
    ids = enqueue_due_jobs(redis, at(11, 0, 1), start, JOBS)
    assert f"periodic-hourly-{int(at(11, 0).timestamp())}" in ids


def test_a_restarted_scheduler_neither_doubles_nor_pushes_back_a_slot(redis):
    first_start = at(10, 20, 3)
    enqueue_due_jobs(redis, first_start, first_start, JOBS)
    assert len(enqueue_due_jobs(redis, at(11, 0, 1), first_start, JOBS)) == 2  # hourly, quick
    # Killed and started again at 11:00:05: the 11:00 slot ran; the 12:00 slot is kept.
    restart = at(11, 0, 5)
    ran(redis)
    assert enqueue_due_jobs(redis, restart, restart, JOBS) == []
    assert f"periodic-hourly-{int(at(12, 0).timestamp())}" in enqueue_due_jobs(
        redis, at(12, 0, 0), restart, JOBS
    )
    assert enqueued_slots(redis, HOURLY) == [int(at(12, 0).timestamp()), int(at(11, 0).timestamp())]


def test_a_slot_missed_while_no_scheduler_ran_is_caught_up_once(redis):
    enqueue_due_jobs(redis, at(10, 20, 3), at(10, 20, 3), JOBS)
    enqueue_due_jobs(redis, at(11, 0, 1), at(10, 20, 3), JOBS)
    ran(redis)
    # Down from 11:00 to 14:30: one catch-up run of the hourly job, not three.
    restart = at(14, 30)
    ids = enqueue_due_jobs(redis, restart, restart, JOBS)
    assert ids.count(f"periodic-hourly-{int(at(14, 0).timestamp())}") == 1
    assert [i for i in ids if i.startswith("periodic-hourly")] == [
        f"periodic-hourly-{int(at(14, 0).timestamp())}"
    ]


def test_a_run_still_waiting_in_the_queue_is_not_joined_by_another(redis):
    enqueue_due_jobs(redis, at(10, 0), at(9, 59), [QUICK])
    assert enqueue_due_jobs(redis, at(10, 0, 15), at(9, 59), [QUICK]) == []
    assert len(housekeeping(redis)) == 1


def test_two_schedulers_enqueue_each_slot_once(redis):
    enqueue_due_jobs(redis, at(10, 0), at(0, 0), JOBS)
    enqueue_due_jobs(redis, at(10, 0, 1), at(0, 0), JOBS)
    assert sorted(housekeeping(redis)) == sorted(
        f"{job.id}-{slot_of(at(10, 0).timestamp(), job.interval)}" for job in JOBS
    )


def test_every_periodic_job_runs_on_the_housekeeping_queue(redis):
    start = datetime.now(UTC) - timedelta(days=2)
    ids = enqueue_due_jobs(redis, datetime.now(UTC), start)
    assert sorted(job_id.rsplit("-", 1)[0] for job_id in ids) == sorted(
        job.id for job in PERIODIC_JOBS
    )
    assert sorted(housekeeping(redis)) == sorted(ids)
    assert Queue(defaults.WEBHOOKS_QUEUE, connection=redis).count == 0


def test_every_periodic_function_is_importable_except_the_sync_dispatcher_before_it_lands():
    for job in PERIODIC_JOBS:
        module, _, name = job.func.rpartition(".")
        try:
            imported = importlib.import_module(module)
        except ModuleNotFoundError:
            assert job.id == "periodic-dispatch-sync"  # jobs.sync.dispatch: helper 13's
            continue
        assert callable(getattr(imported, name))


def test_a_job_whose_module_is_missing_is_left_out_not_failed_every_interval():
    missing_module = PeriodicJob("periodic-later", "jobs.not_yet_there.run", 15)
    present, missing = runnable([QUICK, missing_module])
    assert present == [QUICK] and missing == ["periodic-later"]


def test_the_nightly_verify_is_scheduled_once_a_day_at_midnight_utc(redis):
    [verify] = [job for job in PERIODIC_JOBS if job.id == "periodic-verify"]
    assert (verify.func, verify.interval) == ("jobs.sync.verify.queue_verifies", 24 * 3600)
    assert verify.kwargs == {}
    assert verify in runnable()[0]
    enqueue_due_jobs(redis, at(0, 0, 5), at(0, 0), [verify])
    enqueue_due_jobs(redis, at(23, 59), at(0, 0), [verify])
    assert enqueued_slots(redis, verify) == [int(at(0, 0).timestamp())]
