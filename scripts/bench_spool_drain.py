"""python -m scripts.bench_spool_drain — how fast recovery empties the spool after an outage.

N deliveries are spooled in Redis (as the receiver spools them while PostgreSQL is down), then
drained by the sweeper's drain (batched INSERTs and job pipelines) until the spool is empty. The
baseline, measured in the same run against the same PostgreSQL and Redis: the same N deliveries
stored directly, one INSERT and one enqueue each — what the receiver does when PostgreSQL is up.
Rounds are interleaved; prints the rates, percentiles of each unit of work, and the ratio.
Its database and Redis db are emptied: never point it at production.
"""

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime

from redis import Redis

from jobs.context import configure
from jobs.housekeeping.spool_drain import drain_spool
from jobs.queues import enqueue_webhook
from scripts.bench_load import make_bodies, percentiles
from store.db import create_database_if_missing, database
from store.logs import Delivery, record_delivery
from store.migrations import migrate
from store.settings import Settings
from store.spool import spool_delivery, spool_size

ACCOUNT_ID = "9171a53c-b719-11eb-c0a8-800d00000001"


def deliveries(count: int, round_number: int) -> list[Delivery]:
    bodies = make_bodies(ACCOUNT_ID)
    made = []
    for number in range(count):
        body = bodies[number % len(bodies)]
        events = json.loads(body)["events"]
        made.append(
            Delivery(
                request_id=f"bench-{round_number}-{number}",
                account_id=ACCOUNT_ID,
                entity_type=events[0]["meta"]["type"],
                action=events[0]["action"],
                entity_ids=[e["meta"]["href"].rsplit("/", 1)[-1] for e in events],
                events_count=len(events),
                body=body.decode(),
            )
        )
    return made


def reset(redis: Redis) -> None:
    database.execute_sql("TRUNCATE webhook_logs RESTART IDENTITY CASCADE")
    redis.flushdb()


def direct(redis: Redis, items: list[Delivery]) -> tuple[float, list[float]]:
    """Seconds for all, and milliseconds of each delivery (INSERT + enqueue)."""
    each = []
    started = time.perf_counter()
    for item in items:
        one = time.perf_counter()
        enqueue_webhook(redis, record_delivery(item, receive_ms=1.0))
        each.append((time.perf_counter() - one) * 1000)
    return time.perf_counter() - started, each


def drained(redis: Redis, items: list[Delivery], batch: int) -> tuple[float, list[float]]:
    """Seconds to drain all, and milliseconds of each batch."""
    now = datetime.now(UTC)
    pipeline = redis.pipeline(transaction=False)
    for item in items:
        spool_delivery(pipeline, item, now, 1.0)
    pipeline.execute()
    ticks = []

    def clock() -> float:
        ticks.append(time.perf_counter())
        return ticks[-1]

    started = time.perf_counter()
    result = drain_spool(redis, batch=batch, budget_seconds=3600, clock=clock)
    seconds = time.perf_counter() - started
    if result.drained != len(items) or spool_size(redis):
        raise SystemExit(f"drain stored {result.drained} of {len(items)}; {spool_size(redis)} left")
    batches = [(b - a) * 1000 for a, b in itertools.pairwise(ticks[1:])]
    return seconds, batches


def _fmt(p: dict[str, float]) -> str:
    return "  ".join(f"{k} {v:.1f}" for k, v in p.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench_spool_drain", description=__doc__
    )
    parser.add_argument("--deliveries", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=500, help="rows per INSERT (the default)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/moysklad_webhooks_bench"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    )
    args = parser.parse_args(argv)
    create_database_if_missing(args.database_url)
    redis = Redis.from_url(args.redis_url)
    configure(Settings(args.database_url, args.redis_url, "http://127.0.0.1", "bench"), redis)
    migrate(database)
    rates = {"direct": [], "drain": []}
    units = {"direct": [], "drain": []}
    for round_number in range(args.rounds):
        items = deliveries(args.deliveries, round_number)
        for name in ("direct", "drain"):
            reset(redis)
            if name == "direct":
                seconds, each = direct(redis, items)
            else:
                seconds, each = drained(redis, items, args.batch)
            rates[name].append(len(items) / seconds)
            units[name] += each
            print(f"round {round_number + 1} {name:6} {len(items) / seconds:8.0f}/s", flush=True)
    reset(redis)
    print(f"\n{args.deliveries} deliveries, {args.rounds} rounds, drain batch {args.batch}")
    for name, label in (("direct", "per delivery"), ("drain", "per batch")):
        low, high = min(rates[name]), max(rates[name])
        spread = _fmt(percentiles(units[name]))
        print(f"{name:6} {low:.0f}–{high:.0f} deliveries/s  ({label} ms: {spread})")
    ratio = statistics.median(rates["drain"]) / statistics.median(rates["direct"])
    print(f"drain/direct rate ratio (medians): {ratio:.1f}")
    seconds = args.deliveries / statistics.median(rates["drain"])
    print(f"time to drain {args.deliveries}: {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
