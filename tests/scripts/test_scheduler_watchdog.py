"""`no_worker` is judged by the scheduler: it fires when every worker is dead."""

from rq import Worker

from store.alerts import active_alerts
from tests.scripts.supervised import process_env, wait_for
from tests.scripts.test_outage_survival import start, stop


def open_no_worker_subjects() -> set[str]:
    return {alert.subject for alert in active_alerts("no_worker")}


def test_no_worker_opens_with_every_worker_dead_and_resolves_when_one_listens(settings, db, redis):
    assert Worker.all(connection=redis) == []
    env = process_env(settings)
    scheduler = start("scripts.scheduler", env)
    try:
        subjects = wait_for(open_no_worker_subjects, 30, "the no_worker alert")
        assert subjects == {"queue:webhooks", "queue:housekeeping"}
    finally:
        stop(scheduler)
    worker = start("scripts.worker", env, "--queues", "webhooks", "housekeeping")
    try:
        wait_for(lambda: Worker.all(connection=redis), 20, "the worker")
        scheduler = start("scripts.scheduler", env)
        wait_for(lambda: not open_no_worker_subjects(), 30, "no_worker resolved")
    finally:
        stop(scheduler, worker)
