"""python -m scripts.bench_sync — the sync executor end to end: the simulator (100 ms latency,
app tokens) delivers main's webhooks to our receiver; webhook workers write tasks; 2 sync workers
apply them to 3 children. Each scenario prints its numbers beside a baseline measured in the same
run (the same writes sent one request per entity):
- bulk: 1,000 new products created in main in 10 bodies → all in the 3 children (requests per
  child, 429s, duplicates, equality, first receipt → last write);
- edits: price edits at 100/min for 3 minutes → main change → child write p50/p95/p99;
- crash: the bulk scenario while a sync worker is SIGKILLed 20 times → duplicates, statuses.
"""

import argparse
import random
import sys
import time

from rq import Worker

from jobs.context import configure
from scripts import bench_sync_checks as checks
from scripts import bench_sync_scenarios as scenarios
from scripts.bench_processor_setup import prepare
from scripts.bench_sync_setup import (
    Bench,
    make_franchise,
    start_services,
    start_simulator,
    stop_all,
)
from store.settings import Settings

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/moysklad_webhooks_h13_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"
CHILDREN = 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench_sync", description=__doc__)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--simulator-port", type=int, default=19210)
    parser.add_argument("--receiver-port", type=int, default=19211)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--sync-workers", type=int, default=2)
    parser.add_argument("--edit-rate", type=int, default=100, help="price edits per minute")
    parser.add_argument("--edit-seconds", type=int, default=180)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--scenarios", nargs="+", default=["bulk", "edits", "crash"])
    args = parser.parse_args(argv)
    settings = Settings(
        database_url=args.database_url,
        redis_url=args.redis_url,
        public_base_url=f"http://127.0.0.1:{args.receiver_port}",
        app_secret="bench-sync-secret",
        moysklad_api_url=f"http://127.0.0.1:{args.simulator_port}/api/remap/1.2",
    )
    redis = prepare(settings)
    configure(settings, redis)
    simulator = start_simulator(args.simulator_port, args.latency)
    bench = Bench(settings, f"http://127.0.0.1:{args.simulator_port}")
    failures = 0
    try:
        products: list[str] = []
        if "bulk" in args.scenarios or "edits" in args.scenarios:
            products, ok = bulk(bench, redis, args)
            failures += not ok
        if "edits" in args.scenarios:
            failures += not edits(bench, redis, args, products)
        if "crash" in args.scenarios:
            failures += not crash(bench, redis, args)
    finally:
        stop_all(bench)
        simulator.terminate()
        simulator.wait(timeout=30)
    print(f"targets missed: {failures}")
    return 1 if failures else 0


def _fresh(bench: Bench, redis, args) -> None:
    stop_all(bench)
    redis.flushdb()
    make_franchise(bench, CHILDREN)
    bench.sim("POST", "/_sim/config", {"latency": args.latency})
    start_services(bench, args.receiver_port, args.sync_workers)
    wait_workers(redis, 2 + args.sync_workers)
    bench.sim("DELETE", "/_sim/requests")


def wait_workers(redis, count: int, timeout: float = 60) -> None:
    """Until `count` RQ workers are registered (python start-up takes seconds here)."""
    deadline = time.monotonic() + timeout
    while Worker.count(connection=redis) < count and time.monotonic() < deadline:
        time.sleep(0.2)


def bulk(bench: Bench, redis, args) -> tuple[list[str], bool]:
    _fresh(bench, redis, args)
    with scenarios.Dispatcher(redis):
        products = scenarios.create_products(bench, "Товар")
        done = checks.wait_tasks_final(len(products) * CHILDREN, timeout=180)
    span = checks.span_seconds()
    counts = checks.requests_by_token(bench)
    print(f"bulk: {len(products)} products in {scenarios.BODIES} bodies → {CHILDREN} children,"
          f" {args.sync_workers} sync workers, latency {args.latency * 1000:.0f} ms;"
          f" all final: {done};"
          f" tasks {checks.task_statuses()}; first receipt → last write {span:.1f} s")  # fmt: skip
    ok = done and span is not None and span <= 30
    main_total = counts[bench.main]["total"]
    for number, child in enumerate(bench.children):
        c = counts[child]
        per_1000 = (c["total"] + main_total / CHILDREN) * 1000 / len(products)
        wrong = checks.differences(bench, child, number)
        dups = checks.duplicates(bench, child)
        print(f"  child {number + 1}: {c['total']} requests (GET {c['GET']}, POST {c['POST']}),"
              f" 429s {c['429']}, duplicates {dups}, unequal/missing {len(wrong)}"
              f"{' e.g. ' + wrong[0] if wrong else ''}; with its share of main's reads:"
              f" {per_1000:.1f} requests per 1,000 entities")  # fmt: skip
        ok = ok and per_1000 <= 25 and c["429"] == 0 and dups == 0 and not wrong
    print(f"  main account: {main_total} requests (reads shared by the children),"
          f" 429s {counts[bench.main]['429']}")  # fmt: skip
    baseline = scenarios.one_by_one_creates(bench, redis)
    print(f"  baseline (the same {baseline['requests']} writes one request per entity, "
          f"{baseline['children']} children in parallel): {baseline['seconds']:.1f} s,"
          f" {baseline['requests'] / baseline['children']:.0f} requests per child;"
          f" ratio requests ours/baseline"
          f" {sum(counts[c]['total'] for c in bench.children) / max(baseline['requests'], 1):.3f},"
          f" time ours/baseline {(span or 0) / baseline['seconds']:.2f}")  # fmt: skip
    verdict = "met" if ok else "MISSED"
    print(f"  bulk targets (≤ 25 requests/child/1,000, 0 × 429, ≤ 30 s, equal): {verdict}")
    return products, ok


def edits(bench: Bench, redis, args, products: list[str]) -> bool:
    database_mark = time.time()
    before = checks.request_count(bench)
    with scenarios.Dispatcher(redis):
        sent = scenarios.price_edits(bench, products, args.edit_rate, args.edit_seconds)
        checks.wait_tasks_final(0, timeout=60)
        time.sleep(1)
        checks.wait_tasks_final(0, timeout=60)
    latencies = checks.percentiles(scenarios.edit_latencies(sent["changed_at"]))
    counts = checks.requests_by_token(bench, since=before)
    child_requests = sum(counts[c]["total"] for c in bench.children)
    rate_429 = sum(c["429"] for c in counts.values())
    print(f"edits: {sent['count']} price edits at {args.edit_rate}/min for {args.edit_seconds} s"
          f" → {CHILDREN} children: main change → child write {checks.describe(latencies)};"
          f" child requests {child_requests}"
          f" ({child_requests / max(sent['count'] * CHILDREN, 1):.2f} per write),"
          f" 429s {rate_429}, took {time.time() - database_mark:.0f} s")  # fmt: skip
    baseline = scenarios.one_by_one_edits(bench, redis, products, sample=30)
    ratio = latencies.get("p95", 0) / max(baseline.get("p95", 1), 1)
    print(f"  baseline (the same change, one PUT per child straight after it): "
          f"{checks.describe(baseline)}; ratio p95 ours/baseline {ratio:.1f}")  # fmt: skip
    ok = latencies.get("n") == sent["count"] * CHILDREN and latencies["p95"] < 2000
    print(f"  edits target (p95 < 2 s, every edit written): {'met' if ok else 'MISSED'}")
    return ok


def crash(bench: Bench, redis, args) -> bool:
    _fresh(bench, redis, args)
    killer = scenarios.Killer(bench, redis, args.kills, random.Random(13))
    with scenarios.Dispatcher(redis):
        killer.thread.start()
        products = scenarios.create_products(bench, "Краш")
        killer.thread.join()  # no worker is killed or started after this
        done = checks.wait_tasks_final(len(products) * CHILDREN, timeout=300)
    statuses = checks.task_statuses()
    span = checks.span_seconds()
    dups = {n + 1: checks.duplicates(bench, c) for n, c in enumerate(bench.children)}
    resent = _resent_creates(bench)
    print(f"crash: {len(products)} products → {CHILDREN} children with {killer.done} SIGKILLs of a"
          f" sync worker: all final {done}, tasks {statuses}, first receipt → last write"
          f" {span:.1f} s; duplicates per child {dups}")  # fmt: skip
    print(f"  baseline (a writer without syncId or match-field linking): {resent} entities were"
          f" written again after a kill — each would have been a duplicate;"
          f" ours made {sum(dups.values())}")  # fmt: skip
    ok = done and not any(dups.values()) and statuses.get("completed") == len(products) * CHILDREN
    print(f"  crash target (0 duplicates, every task completed): {'met' if ok else 'MISSED'}")
    return ok


def _resent_creates(bench: Bench) -> int:
    """Child entities written more than once (created, then a killed job's task written again:
    linked by the match field or re-sent with its syncId) — each a duplicate for a writer that
    neither matches nor sends a syncId."""
    by_token = {token: account for account, token in bench.tokens.items()}
    writes: dict[tuple[str, str], int] = {}
    sync_ids: dict[str, dict[str, str]] = {}
    for request in bench.sim("GET", "/_sim/requests"):
        child = by_token.get(request["token"])
        if request["method"] != "POST" or child not in bench.children:
            continue
        if child not in sync_ids:
            dump = bench.sim("GET", f"/_sim/accounts/{child}/entities/product")
            sync_ids[child] = {p["syncId"]: p["id"] for p in dump if p.get("syncId")}
        for item in request["json"] if isinstance(request["json"], list) else []:
            href = ((item.get("meta") or {}).get("href") or "").rsplit("/", 1)[-1]
            entity = href or sync_ids[child].get(item.get("syncId"), "")
            writes[(child, entity)] = writes.get((child, entity), 0) + 1
    return sum(1 for count in writes.values() if count > 1)


if __name__ == "__main__":
    sys.exit(main())
