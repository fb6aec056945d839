"""A worker killed with SIGKILL mid-job: once its pulse expired, the sweeper re-queues the log and
its second run completes it, no duplicate."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rq import SimpleWorker
from rq.job import Job, JobStatus

from jobs import defaults
from jobs.housekeeping.job_liveness import PULSE_KEY, PULSE_TTL
from jobs.housekeeping.sweeper import sweep
from jobs.processing.coalescing import lock_key
from jobs.queues import enqueue_webhook, webhook_job_id
from store.db import database
from store.logs import get_log
from store.mappings import add_mapping
from store.tasks import TaskKey, list_tasks
from tests.jobs.processing_helpers import deliver, event, make_franchise, new_id

ROOT = Path(__file__).resolve().parents[3]


def start_worker(settings) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "PUBLIC_BASE_URL": settings.public_base_url,
        "APP_SECRET": settings.app_secret,
        "MOYSKLAD_API_URL": settings.moysklad_api_url,
    }
    command = [sys.executable, "-m", "scripts.worker", "--burst", "--queues", "webhooks"]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def wait_for(condition, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def franchise(settings, db, redis):
    return make_franchise(settings.app_secret)


def test_log_of_a_worker_killed_mid_job_is_completed_by_the_sweepers_run(
    settings, franchise, redis
):
    product, service = new_id(), new_id()
    for child in franchise.children:
        add_mapping(child, "product", product, new_id())
        add_mapping(child, "service", service, new_id())
    # The first service lock (locks are taken in key order) is busy: the job writes the
    # product's tasks, then waits. (Locks a killed job holds expire after TASK_LOCK_TIMEOUT.)
    blocker = redis.lock(lock_key(TaskKey(min(franchise.children), "service", service)), timeout=60)
    assert blocker.acquire(blocking=False)
    events = [
        event(franchise.main, "product", product, "UPDATE", ["name"]),
        event(franchise.main, "service", service, "UPDATE", ["name"]),
    ]
    log_id = deliver(franchise.main, events)
    enqueue_webhook(redis, log_id)
    worker = start_worker(settings)
    try:
        wait_for(lambda: len(list_tasks()) == 3)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(timeout=10)
    blocker.release()
    assert get_log(log_id).status == "processing"
    database.execute_sql("UPDATE webhook_logs SET started_at = now() - interval '1 minute'")
    # The dead worker's pulse outlives it by at most PULSE_TTL: until then its job counts as alive.
    job = Job.fetch(webhook_job_id(log_id), connection=redis)
    pulse = PULSE_KEY.format(job.worker_name)
    assert job.get_status() == JobStatus.STARTED and 0 < redis.ttl(pulse) <= PULSE_TTL
    assert sweep()["requeued"] == 0
    redis.delete(pulse)  # PULSE_TTL later: expired, no ten-minute stuck limit to wait for
    assert sweep()["requeued"] == 1
    SimpleWorker([defaults.WEBHOOKS_QUEUE], connection=redis).work(burst=True)
    log = get_log(log_id)
    assert (log.status, log.attempts, log.tasks_created) == ("completed", 2, 6)
    tasks = list_tasks()
    assert len(tasks) == 6
    assert {(str(t.target_account_id), t.entity_id) for t in tasks} == {
        (child, entity) for child in franchise.children for entity in (product, service)
    }
    assert all(t.payload["log_ids"] == [log_id] for t in tasks)
