"""End-to-end and CREATE scenarios of scripts/bench_processor (servers on ports 8300–8399)."""

import subprocess
import sys
import time
import uuid

import requests
from redis import Redis

from scripts.bench_load import percentiles
from scripts.bench_processor_setup import (
    ROOT,
    body,
    make_franchise,
    map_entities,
    reset,
    start_workers,
    stop_workers,
    worker_env,
)
from store.crypto import webhook_token
from store.db import database
from store.settings import RECEIVE_PATH, Settings

RECEIVER_PORT = 8301
# receipt → the last task of the delivery written, per log (received_at is set by the receiver).
_LATENCY_SQL = """
SELECT l.id, l.receive_ms, extract(epoch FROM max(t.updated_at) - l.received_at) * 1000
  FROM webhook_logs l JOIN sync_queue t ON t.payload->'log_ids' @> to_jsonb(l.id)
 GROUP BY l.id
"""


def start_receiver(settings: Settings) -> subprocess.Popen:
    env = worker_env(settings) | {
        "RECEIVER_BIND": f"127.0.0.1:{RECEIVER_PORT}",
        "RECEIVER_ACCESS_LOG": "",
        "WEB_CONCURRENCY": "2",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "receiver.app:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            requests.get(f"http://127.0.0.1:{RECEIVER_PORT}/healthz", timeout=1)
            return process
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the receiver did not start")


def run_e2e(settings: Settings, redis: Redis, rate_per_min: int, seconds: int, secret: str):
    """Open-loop deliveries to the real receiver; receipt → tasks written, per delivery."""
    reset(redis)
    main, children = make_franchise(secret, 3)
    count = rate_per_min * seconds // 60
    products = [str(uuid.uuid4()) for _ in range(count)]
    map_entities("product", products, children)
    url = f"http://127.0.0.1:{RECEIVER_PORT}{RECEIVE_PATH}{webhook_token(main, secret)}"
    receiver = start_receiver(settings)
    workers = start_workers(settings, 2, burst=False)
    statuses = []
    try:
        time.sleep(2)  # workers up
        interval = 60 / rate_per_min
        started = time.perf_counter()
        session = requests.Session()
        for number, product in enumerate(products):
            time.sleep(max(0.0, started + number * interval - time.perf_counter()))
            text = body(main, "product", [product], "UPDATE", ["name", "salePrices"])
            answer = session.post(
                url, params={"requestId": str(uuid.uuid4())}, data=text, timeout=5
            )
            statuses.append(answer.status_code)
        _wait_processed(count)
    finally:
        stop_workers(workers)
        receiver.terminate()
        receiver.wait(timeout=30)
    rows = database.execute_sql(_LATENCY_SQL).fetchall()
    return {
        "sent": count,
        "non_200": sum(1 for s in statuses if s != 200),
        "with_tasks": len(rows),
        "receive": percentiles([r[1] for r in rows]),
        "to_tasks": percentiles([float(r[2]) for r in rows]),
    }


def _wait_processed(count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = database.execute_sql(
            "SELECT count(*) FROM webhook_logs WHERE status IN ('completed', 'ignored', 'failed')"
        ).fetchone()[0]
        if done >= count:
            return
        time.sleep(0.2)


def describe(name: str, stats: dict) -> str:
    return (
        f"{name}: p50 {stats['p50']:.1f} ms  p95 {stats['p95']:.1f} ms  p99 {stats['p99']:.1f} ms"
    )
