"""python -m scripts.worker — an RQ worker that outlives Redis and PostgreSQL outages.

python -m scripts.worker                       webhooks, then default
python -m scripts.worker --queues housekeeping the periodic jobs' own worker
python -m scripts.worker --queues sync         the sync executor's worker
"""

import argparse
import faulthandler
import logging
import signal
import sys
import time

from peewee import InterfaceError, OperationalError
from redis.exceptions import RedisError
from rq import SimpleWorker, Worker
from rq.worker import WorkerStatus
from rq.worker_registration import REDIS_WORKER_KEYS

from jobs import defaults
from jobs.context import configure
from jobs.housekeeping.job_liveness import Pulse
from jobs.monitoring.job_logging import quiet_job_logs
from store.db import database
from store.redaction import masked_log_handler
from store.settings import load_settings

RECONNECT_SECONDS = 2.0  # between two tries to reach Redis after the worker lost it
MAX_CONNECTION_WAIT_SECONDS = 5.0  # RQ's own back-off while dequeueing (its default: 60 s)
REGISTRATION_CHECK_SECONDS = 5.0  # how often a worker checks Redis still lists it
IDLE_PING_SECONDS = 2.0  # a connection idle this long is checked before the next job uses it
# RQ beats before and after every dequeue and after every job, 3 round trips each; one beat a
# second keeps the worker key (TTL worker_ttl + 60 s, longer than a blocking dequeue) as alive.
HEARTBEAT_SECONDS = 1.0
log = logging.getLogger("worker")


class Resilient:
    """Re-registers after Redis forgot the worker; hands a job only a live database connection."""

    _registration_checked = 0.0
    _last_job_finished = 0.0
    _last_beat = 0.0  # of the beats with RQ's default TTL

    def heartbeat(self, timeout=None, pipeline=None):
        if timeout is not None and timeout < self.worker_ttl + 60:
            self._last_beat = 0.0  # the key now expires sooner: the next default beat goes out
        if pipeline is not None:  # part of RQ's own pipeline (job start and end): as it is
            return super().heartbeat(timeout, pipeline)
        if timeout is None and time.monotonic() - self._last_beat < HEARTBEAT_SECONDS:
            return None
        if time.monotonic() - self._registration_checked > REGISTRATION_CHECK_SECONDS:
            self._registration_checked = time.monotonic()
            if not self.connection.sismember(REDIS_WORKER_KEYS, self.key):
                # Redis restarted (or was flushed): `no_worker` would see nobody listening.
                log.warning("worker %s was not registered in Redis: registering again", self.name)
                self.connection.delete(self.key)
                self.register_birth()
                self._state = None  # the new key has no state yet: the next set_state writes it
        beat = self.connection.pipeline(transaction=False)  # one round trip, not three
        super().heartbeat(timeout, beat)
        beat.execute()
        if timeout is None:
            self._last_beat = time.monotonic()
        return None

    def set_state(self, state, pipeline=None):
        if pipeline is None and state == self._state == WorkerStatus.IDLE:
            return  # SimpleWorker sets idle after a job, RQ again before dequeueing: one HSET
        super().set_state(state, pipeline)

    def execute_job(self, job, queue):
        if time.monotonic() - self._last_job_finished > IDLE_PING_SECONDS:
            _drop_dead_connection()
        try:
            return super().execute_job(job, queue)
        finally:
            self._last_job_finished = time.monotonic()


class ResilientSimpleWorker(Resilient, SimpleWorker):
    pass


class ResilientForkWorker(Resilient, Worker):
    pass


def _drop_dead_connection() -> None:
    """Close a connection PostgreSQL ended (restart, pg_terminate_backend): the job reconnects."""
    if database.is_closed():
        return
    try:
        database.execute_sql("SELECT 1")
    except (OperationalError, InterfaceError):
        database.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.worker",
        description="Process queued jobs. SIGTERM finishes the job in hand, then exits.",
    )
    parser.add_argument(
        "--queues",
        "--queue",
        nargs="+",
        default=[defaults.WEBHOOKS_QUEUE, defaults.DEFAULT_QUEUE],
        help="queues to listen on, in priority order (default: webhooks default)",
    )
    parser.add_argument("--burst", action="store_true", help="exit when the queues are empty")
    parser.add_argument(
        "--fork",
        action="store_true",
        help="fork a child per job (isolation at ~3x the cost; default: run jobs in-process)",
    )
    args = parser.parse_args(argv)
    # `kill -USR1 PID` prints every thread's stack to stderr: what a worker that does not stop does.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    context = configure(load_settings())
    # RQ adds no handler of its own when the root logger has one: every line is masked.
    logging.basicConfig(level=logging.INFO, handlers=[masked_log_handler()])
    quiet_job_logs()  # one line per job outcome, not four and a traceback
    worker_class = ResilientForkWorker if args.fork else ResilientSimpleWorker
    while True:
        worker = worker_class(args.queues, connection=context.redis)
        worker.max_connection_wait_time = MAX_CONNECTION_WAIT_SECONDS
        pulse = Pulse(context.redis, worker.name)  # the sweeper's sign that this worker lives
        pulse.start()
        try:
            # The scheduler process moves retried jobs back when their backoff is over; a burst
            # run (tests, one-off drains) moves them itself.
            worker.work(burst=args.burst, with_scheduler=args.burst)
        except RedisError as exc:  # raised while registering or tearing down
            log.warning("worker %s lost Redis: %s", worker.name, exc)
        finally:
            pulse.stop()
        if args.burst or worker._shutdown_requested_date is not None:
            return 0
        # RQ's loop gives up on some Redis errors; this process does not: a new worker
        # registers once Redis answers again.
        if _wait_for_redis(context.redis) is False:
            return 0


def _wait_for_redis(redis) -> bool:
    """Wait until Redis answers (True), or until SIGTERM/SIGINT (False)."""
    stopped = []
    previous = {
        sig: signal.signal(sig, lambda *_: stopped.append(True))
        for sig in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        while not stopped:
            time.sleep(RECONNECT_SECONDS)
            try:
                redis.ping()
                return True
            except RedisError:
                continue
        return False
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


if __name__ == "__main__":
    sys.exit(main())
