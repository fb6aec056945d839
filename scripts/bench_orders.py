"""python -m scripts.bench_orders — children's orders into the main account, against the
simulator at 100 ms latency (app tokens):

  A (baseline)  200 child orders (1–30 positions: products, variants, services) applied by the
                sync executor in this process;
  B             200 orders of a second child applied by a worker process SIGKILLed 10 times
                (restarted each time) — still 200 copies, 0 duplicates;
  C             20 of A's orders edited in the child → their copies follow.

Every copy is checked: the same sum in kopecks and the same positions (main's ids, quantity,
price, discount, VAT). Prints per-task latency (written → finished) percentiles, requests,
429s, and B's time as a ratio of A's. Uses its own database (BENCH_ORDERS_DATABASE_URL) and
Redis (BENCH_ORDERS_REDIS_URL): both are emptied. The worker of B shortens the executor's
target lock (10 s → 3 s) so ten kills do not cost ten lock expiries, and claims 10 tasks a round
(not 100) so the kills land in the middle of the work; nothing else changes. B's time is mostly
ten worker restarts and lock expiries (BENCH_VERBOSE=1 prints the kills' timeline).
"""

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import uuid

from jobs.context import configure
from jobs.sync.orders_documents import order_sync_id
from scripts.simulator import Simulator, running_simulator
from store.accounts import add_account, link_child
from store.db import create_database_if_missing, database
from store.mappings import add_mapping
from store.migrations import migrate
from store.models import Account
from store.settings import Settings
from store.tasks import NewTask, TaskKey, insert_tasks

DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/moysklad_webhooks_h14_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/5"
SECRET = "bench-orders-secret"
ORDERS, EDITS, KILLS = 200, 20, 10
VERBOSE = bool(os.environ.get("BENCH_VERBOSE"))


def settings_for(api_url: str) -> Settings:
    return Settings(
        database_url=os.environ.get("BENCH_ORDERS_DATABASE_URL", DEFAULT_DB),
        redis_url=os.environ.get("BENCH_ORDERS_REDIS_URL", DEFAULT_REDIS),
        public_base_url="http://127.0.0.1:8000",
        app_secret=SECRET,
        moysklad_api_url=api_url,
    )


def prepare(settings: Settings):
    create_database_if_missing(settings.database_url)
    context = configure(settings)
    database.connect(reuse_if_open=True)
    migrate(database)
    tables = [
        r[0]
        for r in database.execute_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            " AND tablename <> 'schema_migrations'"
        )
    ]
    database.execute_sql("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE")
    context.redis.flushdb()
    return context


def ref(kind: str, entity_id: str) -> dict:
    return {"meta": {"href": f"/entity/{kind}/{entity_id}", "type": kind}}


def franchise(sim: Simulator) -> tuple[str, list[str]]:
    main, children = str(uuid.uuid4()), [str(uuid.uuid4()), str(uuid.uuid4())]
    for number, account in enumerate([main, *children]):
        token = f"bench-orders-{number}"
        sim.add_account(account, token, token_kind="app")
        kind = "main" if number == 0 else "child"
        add_account(account, f"Bench {kind} {number}", token, kind, SECRET, token_kind="app")
    for child in children:
        link_child(main, child)
    Account.update(sync_mode="live").execute()
    sim.add_entity(main, "organization", {"name": "Франчайзер"})
    return main, children


def goods(sim: Simulator, main: str, child: str, rng: random.Random) -> list[tuple]:
    """Main's goods copied into the child and mapped: [(type, child id, main id, price)]."""
    found = []
    for number in range(40):
        for kind in ("product", "service") if number < 20 else ("product",):
            name = f"{kind} {number}"
            main_id = sim.add_entity(main, kind, {"name": name})["id"]
            child_id = sim.add_entity(child, kind, {"name": name})["id"]
            add_mapping(child, kind, main_id, child_id)
            found.append((kind, child_id, main_id, rng.randint(100, 900_000)))
            if kind == "product" and number < 20:
                size = {"Размер": f"S{number}"}
                mv = sim.add_entity(main, "variant", {"product": main_id, "characteristics": size})
                cv = sim.add_entity(
                    child, "variant", {"product": child_id, "characteristics": size}
                )
                add_mapping(child, "variant", mv["id"], cv["id"])
                found.append(("variant", cv["id"], mv["id"], rng.randint(100, 900_000)))
    return found


def positions(catalogue: list[tuple], rng: random.Random) -> list[dict]:
    return [
        {
            "assortment": ref(kind, child_id),
            "quantity": rng.randint(1, 12),
            "price": price,
            "discount": rng.choice((0, 0, 5, 10, 12.5)),
            "vat": rng.choice((0, 10, 20)),
        }
        for kind, child_id, _, price in rng.sample(catalogue, rng.randint(1, 30))
    ]


def child_orders(sim, child: str, catalogue, rng) -> list[dict]:
    org = sim.add_entity(child, "organization", {"name": f"ИП {child[:4]}", "inn": "7701000001"})
    customer = sim.add_entity(child, "counterparty", {"name": "Покупатель"})
    return [
        sim.add_entity(
            child,
            "customerorder",
            {
                "organization": ref("organization", org["id"]),
                "agent": ref("counterparty", customer["id"]),
                "positions": positions(catalogue, rng),
            },
        )
        for _ in range(ORDERS)
    ]


def write_tasks(main: str, child: str, orders: list[dict], operation: str = "order") -> None:
    insert_tasks(
        [
            NewTask(TaskKey(main, "customerorder", o["id"]), operation, child, 7, {"bench": 1})
            for o in orders
        ]
    )


def run_in_process(main: str) -> float:
    from jobs.sync.executor import apply_sync_tasks

    started = time.monotonic()
    while apply_sync_tasks(main).get("remaining"):
        pass
    return time.monotonic() - started


def unfinished(main: str, child: str) -> int:
    return database.execute_sql(
        "SELECT count(*) FROM sync_queue WHERE target_account_id = %s AND source_account_id = %s"
        " AND status NOT IN ('completed', 'failed', 'cancelled')",
        (main, child),
    ).fetchone()[0]


def finished(main: str, child: str) -> int:
    return database.execute_sql(
        "SELECT count(*) FROM sync_queue WHERE target_account_id = %s AND source_account_id = %s"
        " AND status = 'completed'",
        (main, child),
    ).fetchone()[0]


def start_worker(settings: Settings) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "APP_SECRET": SECRET,
        "MOYSKLAD_API_URL": settings.moysklad_api_url,
        "CONFIG_FILE": "",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "scripts.bench_orders", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def run_with_kills(settings, context, main: str, child: str, kills: int) -> tuple[float, int]:
    from jobs.queues import enqueue_sync

    started = time.monotonic()
    killed = 0
    worker = start_worker(settings)
    enqueue_sync(context.redis, main)
    last = finished(main, child)
    deadline = started + 900
    while unfinished(main, child) and time.monotonic() < deadline:
        time.sleep(0.05)
        done = finished(main, child)
        if killed < kills and done > last:
            time.sleep(random.uniform(0.0, 0.5))  # mid-round: a write may be in flight
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            killed += 1
            last = finished(main, child)
            if VERBOSE:
                print(f"  kill {killed} at {time.monotonic() - started:.1f} s: {last} completed")
            worker = start_worker(settings)
            enqueue_sync(context.redis, main)
        elif int(time.monotonic() - started) % 2 == 0:
            enqueue_sync(context.redis, main)  # the dispatcher's part: a due target is woken
    worker.terminate()
    worker.wait(timeout=30)
    return time.monotonic() - started, killed


def check(sim, main: str, child: str, orders: list[dict], catalogue) -> dict:
    """Copies per child order (by syncId), duplicates, equal sums and positions."""
    main_of = {(kind, cid): mid for kind, cid, mid, _ in catalogue}
    copies: dict[str, list[dict]] = {}
    for order in sim.entities(main, "customerorder"):
        copies.setdefault(order.get("syncId"), []).append(order)
    missing = duplicates = unequal = 0
    for order in (sim.entity(child, "customerorder", o["id"]) for o in orders):
        found = copies.get(order_sync_id(child, "customerorder", order["id"]), [])
        missing += not found
        duplicates += max(len(found) - 1, 0)
        if found and (_sum(found[0]) != _sum(order) or _lines(found[0]) != _lines(order, main_of)):
            unequal += 1
    return {"copies": len(orders) - missing, "missing": missing, "duplicates": duplicates,
            "unequal": unequal}  # fmt: skip


def _sum(order: dict) -> int:
    return round(order["sum"])


def _lines(order: dict, main_of: dict | None = None) -> list:
    lines = []
    for p in order["positions"]:
        kind, entity_id = p["assortment"]["meta"]["href"].rsplit("/", 2)[-2:]
        entity_id = main_of[(kind, entity_id)] if main_of else entity_id
        lines.append((kind, entity_id, p["quantity"], p["price"], p["discount"], p["vat"]))
    return lines


def latencies(main: str, child: str) -> list[float]:
    rows = database.execute_sql(
        "SELECT extract(epoch FROM finished_at - created_at) FROM sync_queue"
        " WHERE target_account_id = %s AND source_account_id = %s AND status = 'completed'",
        (main, child),
    ).fetchall()
    return sorted(float(r[0]) for r in rows)


def pcts(values: list[float]) -> str:
    if len(values) < 2:
        return "n/a"
    q = statistics.quantiles(values, n=100)
    return f"p50 {q[49]:.2f} s, p95 {q[94]:.2f} s, p99 {q[98]:.2f} s"


def edit(sim, child: str, orders: list[dict], catalogue, rng) -> list[dict]:
    edited = rng.sample(orders, EDITS)
    for order in edited:
        sim.update_entity(
            child, "customerorder", order["id"], {"positions": positions(catalogue, rng)}
        )
    return edited


def bench(port: int, seed: int) -> int:
    rng = random.Random(seed)
    sim = Simulator()
    with running_simulator(sim, port=port) as api_url:
        settings = settings_for(api_url)
        context = prepare(settings)
        main, (child_a, child_b) = franchise(sim)
        catalogue_a, catalogue_b = goods(sim, main, child_a, rng), goods(sim, main, child_b, rng)
        orders_a = child_orders(sim, child_a, catalogue_a, rng)
        orders_b = child_orders(sim, child_b, catalogue_b, rng)
        sizes = [len(o["positions"]) for o in orders_a + orders_b]
        mean = statistics.mean(sizes)
        print(f"{2 * ORDERS} child orders, {min(sizes)}–{max(sizes)} positions (mean {mean:.1f});")
        print("simulator latency 100 ms, app tokens")
        sim.reset_instruments()
        sim.set_latency(0.1)

        write_tasks(main, child_a, orders_a)
        seconds_a = run_in_process(main)
        result_a = check(sim, main, child_a, orders_a, catalogue_a)
        print(f"A baseline (in-process executor): {seconds_a:.1f} s, {result_a},")
        print(f"  {pcts(latencies(main, child_a))}")

        write_tasks(main, child_b, orders_b)
        seconds_b, killed = run_with_kills(settings, context, main, child_b, KILLS)
        result_b = check(sim, main, child_b, orders_b, catalogue_b)
        print(f"B worker SIGKILLed {killed}×: {seconds_b:.1f} s, {result_b},")
        print(f"  {pcts(latencies(main, child_b))}; time ratio B/A {seconds_b / seconds_a:.2f}")

        edited = edit(sim, child_a, orders_a, catalogue_a, rng)
        write_tasks(main, child_a, edited)
        seconds_c = run_in_process(main)
        result_c = check(sim, main, child_a, edited, catalogue_a)
        print(f"C {EDITS} edits: {seconds_c:.1f} s, {result_c}")
        requests = sim.requests
        refused = sum(1 for r in requests if r.status == 429)
        writes = sum(1 for r in requests if r.method != "GET")
        print(f"requests {len(requests)} (writes {writes}), 429 answers {refused}")
        ok = all(r["missing"] == r["duplicates"] == r["unequal"] == 0
                 for r in (result_a, result_b, result_c))  # fmt: skip
        total = len(sim.entities(main, "customerorder"))
        print(f"main holds {total} customerorders (want {2 * ORDERS}): {'OK' if ok else 'FAIL'}")
        return 0 if ok and total == 2 * ORDERS else 1


def worker() -> int:
    """B's worker: the sync queue, a short target lock (see the module's docstring)."""
    from jobs.sync import defaults as sync_defaults

    sync_defaults.TARGET_LOCK_TTL = 3.0  # read when jobs.sync.target_lock is imported
    sync_defaults.CLAIM_BATCH = 10  # 20 rounds: room for ten kills in the middle of the work
    from scripts.worker import main as worker_main

    return worker_main(["--queues", "sync"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench_orders", description=__doc__)
    parser.add_argument("mode", nargs="?", default="bench", choices=("bench", "worker"))
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("BENCH_SIMULATOR_PORT", 19410))
    )
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    return worker() if args.mode == "worker" else bench(args.port, args.seed)


if __name__ == "__main__":
    sys.exit(main())
