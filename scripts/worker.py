"""python -m scripts.worker — an RQ worker for the webhook and default queues."""

import argparse
import logging
import sys

from rq import SimpleWorker, Worker

from jobs import defaults
from jobs.context import configure
from store.redaction import masked_log_handler
from store.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.worker",
        description="Process queued jobs. SIGTERM finishes the job in hand, then exits.",
    )
    parser.add_argument(
        "--queues",
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
    context = configure(load_settings())
    # RQ adds no handler of its own when the root logger has one: every line is masked.
    logging.basicConfig(level=logging.INFO, handlers=[masked_log_handler()])
    worker_class = Worker if args.fork else SimpleWorker
    worker = worker_class(args.queues, connection=context.redis)
    # with_scheduler: RQ moves retried jobs back to their queue when their backoff is over.
    worker.work(burst=args.burst, with_scheduler=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
