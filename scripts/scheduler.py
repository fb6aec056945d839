"""python -m scripts.scheduler — enqueue the periodic jobs on time, move retried jobs back to
their queues when their backoff is over, and judge `no_worker` from outside the workers.

It outlives Redis and PostgreSQL outages: a failed tick is logged and the next one tries again.
"""

import argparse
import logging
import signal
import socket
import sys
import time
from datetime import UTC, datetime

from peewee import PeeweeException
from psycopg2 import Error as PsycopgError
from redis.exceptions import RedisError
from rq.scheduler import RQScheduler

from jobs import defaults
from jobs.context import configure
from jobs.housekeeping.schedule import enqueue_due_jobs, runnable
from jobs.monitoring.alert_rules import no_worker
from jobs.monitoring.alerts import evaluate_alerts
from store.db import database
from store.redaction import masked_log_handler
from store.settings import load_settings

TICK_SECONDS = 1.0  # periodic slots and retry backoffs are honoured to within this
# Workers started with the scheduler register within seconds: no_worker is judged after this.
WATCHDOG_GRACE_SECONDS = 10.0
MAX_BACKOFF_SECONDS = 5.0  # the longest wait between two tries while Redis or PostgreSQL is away
RETRY_QUEUES = [
    defaults.WEBHOOKS_QUEUE,
    defaults.SYNC_QUEUE,
    defaults.DEFAULT_QUEUE,
    defaults.HOUSEKEEPING_QUEUE,
]
log = logging.getLogger("scheduler")


class Stop:
    requested = False

    def __call__(self, signum, frame) -> None:
        self.requested = True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.scheduler",
        description="Enqueue the periodic jobs on time and move retried jobs back to their queues.",
    )
    parser.add_argument("--ticks", type=int, help="stop after this many ticks (default: never)")
    args = parser.parse_args(argv)
    context = configure(load_settings())
    logging.basicConfig(level=logging.INFO, handlers=[masked_log_handler()])
    stop = Stop()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # A fixed name per host: a restarted scheduler refreshes its own lock instead of waiting
    # for the lock of the one that was killed to expire.
    mover = RQScheduler(
        RETRY_QUEUES, connection=context.redis, name=f"retry-mover@{socket.gethostname()}"
    )
    started_at = datetime.now(UTC)
    # A job whose module is not in this code yet (another change brings it) is left out, not
    # failed every interval; the scheduler started after that change enqueues it.
    periodic, missing = runnable()
    for job_id in missing:
        log.warning("periodic job %s left out: its module is not in this code", job_id)
    next_watchdog = time.monotonic() + WATCHDOG_GRACE_SECONDS
    backoff, ticks = TICK_SECONDS, 0
    log.info("scheduler started; periodic jobs on queue %s", defaults.HOUSEKEEPING_QUEUE)
    while not stop.requested and (args.ticks is None or ticks < args.ticks):
        ticks += 1
        try:
            for job_id in enqueue_due_jobs(context.redis, datetime.now(UTC), started_at, periodic):
                log.info("enqueued %s", job_id)
            if mover.acquire_locks():
                mover.enqueue_scheduled_jobs()
            if time.monotonic() >= next_watchdog:
                next_watchdog = time.monotonic() + defaults.ALERTS_INTERVAL
                # Workers evaluate the other rules; this one must hold when every worker is dead.
                evaluate_alerts(redis=context.redis, rules={"no_worker": no_worker})
            backoff = TICK_SECONDS
        except (RedisError, PeeweeException, PsycopgError) as exc:
            log.warning("tick failed, next try in %.0f s: %s", backoff, exc)
            database.close()
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
        _sleep(backoff, stop)
    database.close()
    log.info("scheduler stopped")
    return 0


def _sleep(seconds: float, stop: Stop) -> None:
    deadline = time.monotonic() + seconds
    while not stop.requested and (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, 0.2))


if __name__ == "__main__":
    sys.exit(main())
