"""CREATE and end-to-end scenarios of scripts/bench_processor: the simulator, the gunicorn
receiver and workers as processes, our database and Redis."""

import time

import requests
from redis import Redis

from scripts.bench_load import percentiles
from scripts.bench_processor_servers import (
    SIM,
    sim_requests,
    simulated_franchise,
    start_receiver,
)
from scripts.bench_processor_setup import (
    body,
    map_entities,
    reset,
    start_workers,
    stop_workers,
    store_and_enqueue,
)
from store.crypto import webhook_token
from store.db import database
from store.models import SyncSettings
from store.settings import Settings

# receipt (the log's received_at) → the last task of the delivery written.
_LATENCY_SQL = """
SELECT l.id, l.receive_ms, extract(epoch FROM max(t.updated_at) - l.received_at) * 1000
  FROM webhook_logs l JOIN sync_queue t ON t.payload->'log_ids' @> to_jsonb(l.id)
 GROUP BY l.id
"""


def run_create(
    settings: Settings, redis: Redis, secret: str, bodies: int, per_body: int, latency: float
):
    """bodies × per_body CREATE events, filters on two of three children, simulator latency."""
    reset(redis)
    main, children = simulated_franchise(secret, 3)
    seed = f"{SIM}/_sim/accounts/{main}/entities"
    folder = requests.post(f"{seed}/productfolder", json={"name": "Обувь"}).json()["id"]
    items = [
        {"name": f"Товар {n}", "productFolder": folder, "attributes": {"Бренд": f"B{n % 4}"}}
        for n in range(bodies * per_body)
    ]
    products = [p["id"] for p in requests.post(f"{seed}/product", json=items, timeout=60).json()]
    _set_filter(children[0], {"conditions": [{"field": "folder", "op": "in", "values": [folder]}]})
    _set_filter(
        children[1],
        {
            "mode": "blacklist",
            "conditions": [{"field": "attribute", "attribute": "Бренд", "op": "eq", "value": "B0"}],
        },
    )
    requests.delete(SIM + "/_sim/requests", timeout=10)
    requests.post(SIM + "/_sim/config", json={"latency": latency}, timeout=10)  # reset cleared it
    workers = start_workers(settings, 2, burst=False)
    try:
        time.sleep(2)  # workers up
        for start in range(0, len(products), per_body):
            chunk = products[start : start + per_body]
            store_and_enqueue(
                redis, main, "product", "CREATE", body(main, "product", chunk, "CREATE")
            )
        _wait_processed(bodies)
    finally:
        stop_workers(workers)
    made = sim_requests()
    span = database.execute_sql(
        "SELECT extract(epoch FROM (SELECT max(created_at) FROM sync_queue)"
        " - (SELECT min(received_at) FROM webhook_logs))"
    ).fetchone()[0]
    return {
        "events": len(products),
        "entity_gets": sum(
            1 for r in made if r["method"] == "GET" and r["path"] == "/entity/product"
        ),
        "requests": len(made),
        "answered_429": sum(1 for r in made if r["status"] == 429),
        "loop_guard": all(
            r["headers"].get("x-lognex-webhook-disablebyprefix") == settings.loop_guard_prefix
            for r in made
        ),
        "tasks": database.execute_sql("SELECT count(*) FROM sync_queue").fetchone()[0],
        "seconds": float(span or 0),
    }


def _set_filter(child: str, product_filter: dict) -> None:
    SyncSettings.update(product_filter=product_filter).where(
        SyncSettings.child_account == child
    ).execute()


def run_e2e(settings: Settings, redis: Redis, rate_per_min: int, seconds: int, secret: str):
    """Users edit products in the simulator at a fixed rate; it delivers the webhooks to the
    real receiver; workers write tasks. Per delivery: receipt → its tasks written."""
    reset(redis)
    main, children = simulated_franchise(secret, 3)
    count = rate_per_min * seconds // 60
    seed = f"{SIM}/_sim/accounts/{main}/entities/product"
    items = [{"name": f"Товар {n}"} for n in range(count)]
    products = [p["id"] for p in requests.post(seed, json=items, timeout=60).json()]
    map_entities("product", products, children)
    url = settings.receive_prefix + webhook_token(main, secret)
    hook = {"url": url, "entityType": "product", "action": "UPDATE", "diffType": "FIELDS"}
    requests.post(f"{SIM}/_sim/accounts/{main}/webhooks", json=hook | {"app": "ours"}, timeout=10)
    receiver = start_receiver(settings)
    workers = start_workers(settings, 2, burst=False)
    try:
        time.sleep(2)  # workers up
        interval = 60 / rate_per_min
        started = time.perf_counter()
        session = requests.Session()
        for number, product in enumerate(products):
            time.sleep(max(0.0, started + number * interval - time.perf_counter()))
            change = {
                "action": "UPDATE",
                "entityType": "product",
                "id": product,
                "data": {"name": f"Товар {number} (изм.)"},
            }
            session.post(f"{SIM}/_sim/accounts/{main}/changes", json=change, timeout=10)
        requests.post(SIM + "/_sim/flush", json={"timeout": 10}, timeout=20)
        _wait_processed(count)
    finally:
        stop_workers(workers)
        receiver.terminate()
        receiver.wait(timeout=30)
    deliveries = requests.get(SIM + "/_sim/deliveries", timeout=30).json()
    rows = database.execute_sql(_LATENCY_SQL).fetchall()
    return {
        "sent": count,
        "delivered_ok": sum(1 for d in deliveries if d["outcome"] == "ok"),
        "with_tasks": len(rows),
        "delivery": percentiles([d["duration"] * 1000 for d in deliveries]),
        "receive": percentiles([r[1] for r in rows]),
        "to_tasks": percentiles([float(r[2]) for r in rows]),
    }


def _wait_processed(count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = database.execute_sql(
            "SELECT count(*) FROM webhook_logs WHERE status IN ('completed', 'ignored', 'failed')"
        ).fetchone()[0]
        if done >= count:
            return
        time.sleep(0.1)


def describe(name: str, stats: dict) -> str:
    return (
        f"{name}: p50 {stats['p50']:.1f} ms  p95 {stats['p95']:.1f} ms  p99 {stats['p99']:.1f} ms"
    )
