"""Periodic jobs in rq-scheduler: registering twice (a restarted scheduler) leaves one of each."""

from rq_scheduler import Scheduler

from jobs.housekeeping.schedule import PERIODIC_JOBS, register_periodic_jobs

LIFECYCLE_JOBS = {
    "periodic-update-stats": ("jobs.monitoring.stats.update_stats", 60),
    "periodic-evaluate-alerts": ("jobs.monitoring.alerts.evaluate_alerts", 60),
    "periodic-check-webhooks": ("jobs.lifecycle.setup.check_all_accounts", 3600),
    "periodic-cleanup-logs": ("jobs.housekeeping.retention.cleanup_logs", 24 * 3600),
    "periodic-cleanup-records": ("jobs.housekeeping.record_retention.cleanup_records", 24 * 3600),
}


def scheduled(scheduler: Scheduler) -> list:
    return list(scheduler.get_jobs())


def test_registering_twice_leaves_one_of_each_periodic_job(redis):
    scheduler = Scheduler(connection=redis)
    register_periodic_jobs(scheduler)
    register_periodic_jobs(Scheduler(connection=redis))
    jobs = scheduled(scheduler)
    ids = [job.id for job in jobs]
    assert sorted(ids) == sorted(job.id for job in PERIODIC_JOBS)
    by_id = {job.id: job for job in jobs}
    for job_id, (func, interval) in LIFECYCLE_JOBS.items():
        assert by_id[job_id].func_name == func
        assert by_id[job_id].meta["interval"] == interval
    assert by_id["periodic-check-webhooks"].kwargs == {"fix": True}


def test_every_periodic_function_is_importable():
    import importlib

    for job in PERIODIC_JOBS:
        module, _, name = job.func.rpartition(".")
        assert callable(getattr(importlib.import_module(module), name))
