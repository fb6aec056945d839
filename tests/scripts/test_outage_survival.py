"""The scheduler and the workers outlive a Redis restart and PostgreSQL ending their connections."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from redis import Redis
from rq import Queue, Worker
from rq.job import Job, JobStatus

from jobs import defaults
from jobs.housekeeping.schedule import PERIODIC_JOBS, enqueued_slots
from store.db import database
from tests.scripts.supervised import ROOT, process_env, wait_for
from tests.support.redis_server import OwnRedis

SWEEP = next(job for job in PERIODIC_JOBS if job.id == "periodic-sweep")
QUEUES = ["webhooks", "default", "housekeeping"]


@pytest.fixture
def own_redis(tmp_path):
    """Without persistence: a restart forgets the worker registry, the queues and the slots."""
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.kill()


def start(module: str, env: dict, *args: str, output: Path | None = None) -> subprocess.Popen:
    """`module` running; its output kept in `output` (else dropped) for stop() to show."""
    with output.open("wb") if output else open(os.devnull, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", module, *args], cwd=ROOT, env=env, stdout=log, stderr=log
        )
    process.output = output
    return process


def stop(*processes: subprocess.Popen) -> None:
    """SIGTERM each; one still running after 30 s fails the test with its threads' stacks."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    hung = []
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGUSR1)  # scripts/worker.py: faulthandler dumps stacks
            time.sleep(1)
            process.kill()
            process.wait()
            output = process.output.read_text()[-6000:] if process.output else "(not kept)"
            hung.append(f"{process.args}:\n{output}")
    assert not hung, "did not stop on SIGTERM: " + "\n".join(hung)


def finished(redis: Redis, job_id: str) -> bool:
    job = Job.fetch_many([job_id], connection=redis)[0]
    return job is not None and job.get_status() == JobStatus.FINISHED


def test_scheduler_and_worker_keep_running_across_a_redis_restart(
    settings, db, own_redis, tmp_path
):
    env = process_env(settings, REDIS_URL=own_redis.url)
    redis = Redis.from_url(own_redis.url)
    scheduler = start("scripts.scheduler", env, output=tmp_path / "scheduler.log")
    worker = start("scripts.worker", env, "--queues", *QUEUES, output=tmp_path / "worker.log")
    try:
        wait_for(lambda: Worker.all(connection=redis), 30, "the worker's registration")
        own_redis.kill()
        time.sleep(3)
        own_redis.start()  # empty: the worker registry, queues and slots are gone
        restarted = time.time()
        assert scheduler.poll() is None and worker.poll() is None
        # Liveness registered again, so no_worker tells the truth.
        wait_for(lambda: Worker.all(connection=redis), 20, "the worker registered again")
        # A job retried after the restart is moved back to its queue and run.
        retried = Queue(defaults.DEFAULT_QUEUE, connection=redis).enqueue_in(
            timedelta(seconds=1), "jobs.monitoring.stats.update_stats"
        )
        wait_for(lambda: finished(redis, retried.id), 20, "the scheduled job to run")
        # The periodic sweep goes on: enqueued for a slot after the restart, and run.
        wait_for(
            lambda: [s for s in enqueued_slots(redis, SWEEP) if s >= restarted - 1],
            2 * SWEEP.interval + 5,
            "a sweep after the restart",
        )
        slot = enqueued_slots(redis, SWEEP)[0]
        wait_for(lambda: finished(redis, f"{SWEEP.id}-{slot}"), 20, "the sweep to finish")
        assert scheduler.poll() is None and worker.poll() is None
    finally:
        stop(scheduler, worker)


def test_a_worker_reconnects_after_postgresql_ended_its_connections(settings, db, redis, tmp_path):
    env = process_env(settings)
    worker = start("scripts.worker", env, "--queues", "default", output=tmp_path / "worker.log")
    queue = Queue(defaults.DEFAULT_QUEUE, connection=redis)
    try:
        first = queue.enqueue("jobs.housekeeping.sweeper.sweep")
        wait_for(lambda: finished(redis, first.id), 30, "the first sweep")
        ended = database.execute_sql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]
        assert ended >= 1
        time.sleep(3)  # idle past the check interval
        second = queue.enqueue("jobs.housekeeping.sweeper.sweep")
        wait_for(lambda: finished(redis, second.id), 30, "the sweep after the kill")
        assert worker.poll() is None
    finally:
        stop(worker)
