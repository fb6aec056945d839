"""python -m scripts.bench_receiver — the receiver against its floor, in one run, same settings.

Both apps run under gunicorn with gunicorn.conf.py against the same PostgreSQL and Redis, one at a
time, for --rounds interleaved rounds. Per app: open-loop latency at fixed rates, closed-loop
throughput (wrk when installed), and a burst of 2,000 deliveries at 32 connections with the rows
counted afterwards. Prints percentiles, ranges over rounds and receiver/floor ratios.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from redis import Redis

from scripts.bench_floor import FLOOR_TABLE
from scripts.bench_load import burst, closed_loop, make_bodies, open_loop, percentiles
from store.crypto import webhook_token
from store.db import create_database_if_missing, init_database
from store.migrations import migrate

ROOT = Path(__file__).resolve().parents[1]
ACCOUNT_ID = "9171a53c-b719-11eb-c0a8-800d00000001"
SECRET = "bench-secret"


@dataclass(frozen=True)
class App:
    name: str
    spec: str  # gunicorn app spec
    port: int
    table: str


DEFAULT_PORT = 8791  # the receiver's; the floor listens on the next one


def apps(port: int) -> list[App]:
    return [
        App("receiver", "receiver.app:create_app()", port, "webhook_logs"),
        App("floor", "scripts.bench_floor:create_app()", port + 1, FLOOR_TABLE),
    ]


def prepare(database_url: str) -> None:
    create_database_if_missing(database_url)
    database = init_database(database_url)
    with database.connection_context():
        migrate(database)
        database.execute_sql(
            f"CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} (id bigserial PRIMARY KEY,"
            " request_id text, payload jsonb, received_at timestamptz DEFAULT now())"
        )


def reset(database_url: str, redis: Redis) -> None:
    database = init_database(database_url)
    with database.connection_context():
        database.execute_sql(f"TRUNCATE webhook_logs, {FLOOR_TABLE}")
    redis.flushdb()


def count_rows(database_url: str, table: str) -> tuple[int, int]:
    database = init_database(database_url)
    with database.connection_context():
        return database.execute_sql(
            f"SELECT count(*), count(DISTINCT request_id) FROM {table}"
        ).fetchone()


def start(app: App, env: dict) -> subprocess.Popen:
    env = env | {"RECEIVER_BIND": f"127.0.0.1:{app.port}", "RECEIVER_ACCESS_LOG": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", app.spec],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            requests.get(f"http://127.0.0.1:{app.port}/healthz", timeout=5)
            return process
        except requests.RequestException:  # not listening yet, or too busy starting to answer
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{app.name} did not start")


def measure(app: App, args, env, redis, bodies) -> dict:
    reset(args.database_url, redis)
    process = start(app, env)
    path = f"/api/webhooks/receive/{webhook_token(ACCOUNT_ID, SECRET)}"
    base = f"http://127.0.0.1:{app.port}"
    result = {}
    try:
        for rate in args.rates:
            result[f"open {rate}/s"] = open_loop(base + path, rate, args.seconds, bodies)
        result["closed"] = closed_loop(base, path, args.seconds, args.connections, bodies)
        time.sleep(1)  # let requests in flight when the load stopped finish before the reset
        reset(args.database_url, redis)
        result["burst"] = burst(base + path, args.burst, 32, bodies)
    finally:
        process.terminate()
        process.wait(timeout=30)
    rows, distinct = count_rows(args.database_url, app.table)
    result["burst"]["lost"] = result["burst"]["ok"] - rows
    result["burst"]["duplicate rows"] = rows - distinct
    return result


def report(results: dict[str, list[dict]], args) -> None:
    print("\n=== open-loop latency (ms; range over rounds) ===")
    for rate in args.rates:
        key = f"open {rate}/s"
        for name, rounds in results.items():
            stats = [percentiles(r[key]["latencies"]) for r in rounds]
            errors = sum(r[key]["errors"] for r in rounds)
            cells = "  ".join(
                f"{q} {_range([s[q] for s in stats])}"
                for q in ("p50", "p95", "p99", "p99.9", "max")
            )
            print(f"{key:>12} {name:<9} {cells}  errors {errors}")
    print(f"\n=== closed-loop throughput (req/s, {args.connections} connections) ===")
    throughput = {n: [r["closed"]["rps"] for r in rs] for n, rs in results.items()}
    for name, values in throughput.items():
        errors = sum(r["closed"]["errors"] for r in results[name])
        tool = results[name][0]["closed"]["tool"]
        print(f"{name:<9} {_range(values, '.0f')}  errors {errors}  via {tool}")
    ratios = [a / b for a, b in zip(throughput["receiver"], throughput["floor"], strict=True)]
    print(f"receiver/floor throughput ratio: {_range(ratios, '.2f')}")
    print(f"\n=== burst of {args.burst} at 32 connections ===")
    for name, rounds in results.items():
        for r in rounds:
            b = r["burst"]
            p99 = percentiles(b["latencies"])["p99"]
            print(
                f"{name:<9} max {b['max_ms']:.1f} ms  p99 {p99:.1f} ms"
                f"  over 1500 ms {b['slow']}  non-200 {b['errors']}  lost {b['lost']}"
                f"  duplicate rows {b['duplicate rows']}  answered duplicate {b['duplicates']}"
            )
    p99 = {
        n: statistics.median(
            percentiles(r[f"open {args.rates[-1]}/s"]["latencies"])["p99"] for r in rs
        )
        for n, rs in results.items()
    }
    print(f"\nreceiver/floor p99 ratio at {args.rates[-1]}/s: {p99['receiver'] / p99['floor']:.2f}")


def _range(values, fmt=".1f") -> str:
    low, high = min(values), max(values)
    return f"{low:{fmt}}" if low == high else f"{low:{fmt}}–{high:{fmt}}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench_receiver", description=__doc__)
    parser.add_argument("--rates", type=int, nargs="+", default=[100, 200])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--burst", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", default=os.environ.get("WEB_CONCURRENCY", "4"))
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/moysklad_webhooks_bench"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("BENCH_RECEIVER_APP_PORT", DEFAULT_PORT)),
        help="the receiver port, the floor the next (8791; BENCH_RECEIVER_APP_PORT)",
    )
    args = parser.parse_args(argv)
    prepare(args.database_url)
    redis = Redis.from_url(args.redis_url)
    env = os.environ | {
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "APP_SECRET": SECRET,
        "WEB_CONCURRENCY": str(args.workers),
    }
    bodies = make_bodies(ACCOUNT_ID)
    print(f"gunicorn workers {args.workers}; bodies: {len(bodies)} distinct, 1–100 events")
    results = {app.name: [] for app in apps(args.port)}
    for round_number in range(args.rounds):
        for app in apps(args.port):
            print(f"round {round_number + 1}: {app.name} ...", flush=True)
            results[app.name].append(measure(app, args, env, redis, bodies))
    report(results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
