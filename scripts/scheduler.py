"""python -m scripts.scheduler — register the periodic jobs and run rq-scheduler."""

import argparse
import sys

from rq_scheduler import Scheduler

from jobs.context import configure
from jobs.housekeeping.schedule import PERIODIC_JOBS, register_periodic_jobs
from store.settings import load_settings

POLL_SECONDS = 5  # must be shorter than the shortest periodic interval


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.scheduler",
        description="Register every periodic job (idempotently) and enqueue them on time.",
    )
    parser.add_argument("--register-only", action="store_true", help="register, then exit")
    args = parser.parse_args(argv)
    context = configure(load_settings())
    scheduler = Scheduler(connection=context.redis, interval=POLL_SECONDS)
    register_periodic_jobs(scheduler)
    for job in PERIODIC_JOBS:
        print(f"registered {job.id}: {job.func} every {job.interval}s")
    if not args.register_only:
        scheduler.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
