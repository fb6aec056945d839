"""python -m scripts.bench_faults — zero loss under faults, measured on a world of its own.

A throwaway PostgreSQL cluster and Redis (as setup.sh starts it) under var/bench_faults on free
ports of 19700–19799, our processes under supervisord (scripts/supervise.py), a МойСклад-like
sender at 50 deliveries/s (scripts/bench_faults_load.py), and per scenario: sent / answered 200 /
other / timeouts / stored / lost (answered 200, never stored) / duplicated / unfinished after
settling / time to settle, with answer latency against the no-fault baseline of the same run.
Exits 1 when anything was lost, duplicated or left unfinished, or the fuzz run got a 5xx.

    python -m scripts.bench_faults                       every scenario (~15 min)
    python -m scripts.bench_faults --quick               shorter outages and 1,000 fuzz bodies
    python -m scripts.bench_faults --scenario redis_down --scenario fuzz
"""

import argparse
import random
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import psycopg2

from scripts.bench_faults_faults import FAULTS, World
from scripts.bench_faults_load import fuzz_deliveries, key, moysklad_deliveries, send
from scripts.bench_faults_stack import FINAL, ROOT
from scripts.bench_load import percentiles

RATE = 50  # deliveries per second, as a busy franchise sends them
FUZZ_RATE = 100


@dataclass(frozen=True)
class Scenario:
    name: str
    seconds: int  # of load (quick run: quick_seconds)
    quick_seconds: int
    receivers: int = 1
    workers: int = 2
    fuzz: int = 0  # bodies (quick: a tenth)


SCENARIOS = [
    Scenario("baseline", 30, 10),
    Scenario("pg_down", 90, 30),
    Scenario("redis_down", 90, 30),
    Scenario("pg_down_redis_restart", 90, 30),
    Scenario("worker_kills", 70, 30),
    Scenario("scheduler_restarts", 50, 30),
    Scenario("scale_out", 60, 20, receivers=2, workers=4),
    Scenario("fuzz", 0, 0, fuzz=10_000),
]


def run_scenario(world: World, scenario: Scenario, quick: bool, settle_limit: float) -> dict:
    prefix = f"{scenario.name}-{uuid.uuid4().hex[:8]}"
    world.shape(scenario.receivers, scenario.workers)
    rng = random.Random(prefix)
    if scenario.fuzz:
        count = scenario.fuzz // 10 if quick else scenario.fuzz
        deliveries = fuzz_deliveries(rng, prefix, world.path, world.account_id, count)
        rate = FUZZ_RATE
    else:
        count = RATE * (scenario.quick_seconds if quick else scenario.seconds)
        deliveries = moysklad_deliveries(rng, prefix, world.path, world.account_id, count)
        rate = RATE
    notes: list[str] = []
    fault: Callable | None = FAULTS.get(scenario.name)
    faulting = threading.Thread(target=fault, args=(world, quick, notes)) if fault else None
    if faulting:
        faulting.start()
    deliveries = list(deliveries)
    sent = send(world.receiver_ports[: scenario.receivers], deliveries, rate)
    if faulting:
        faulting.join()
    load_ended = time.monotonic()
    answered = {key(o.request_id) for o in sent.outcomes if o.status == 200}
    rows = settle(world, prefix, answered, settle_limit)
    settled = time.monotonic() - load_ended
    stored = {rid: status for rid, status in rows if status != "rejected"}
    stored_count = Counter(rid for rid, _ in rows)
    after = world.after_settling(scenario.name)
    notes += after
    server_errors = sent.count(lambda o: o.status >= 500)
    lost = answered - set(stored)
    if scenario.fuzz:
        notes.append(f"{server_errors} answers >= 500")
    if scenario.fuzz or lost:
        notes.append(f"cases in {world.keep_cases(scenario.name, deliveries, sent, lost)}")
    return {
        "scenario": scenario.name,
        "sent": len(sent.outcomes),
        "200": len(answered),
        "other": sent.count(lambda o: o.status != 200 and not o.timed_out),
        "timeouts": sent.count(lambda o: o.timed_out),
        "stored": len(stored),
        "lost": len(lost),
        "duplicated": sum(n - 1 for n in stored_count.values() if n > 1),
        "unfinished": sum(1 for status in stored.values() if status not in FINAL),
        "settle_s": round(settled, 1),
        "latency": percentiles([o.latency_ms for o in sent.outcomes]),
        "server_errors": server_errors if scenario.fuzz else 0,
        "notes": notes,
    }


def settle(world: World, prefix: str, answered: set[str], limit: float) -> list[tuple]:
    """Wait until every answered delivery is stored and every stored one finished (or `limit`)."""
    deadline = time.monotonic() + limit
    rows: list[tuple] = []
    while time.monotonic() < deadline:
        try:
            rows = world.logs_of(prefix)
        except psycopg2.Error:  # PostgreSQL is still starting: try again
            time.sleep(1)
            continue
        stored = {rid for rid, status in rows if status != "rejected"}
        if answered <= stored and all(status in FINAL for _, status in rows):
            return rows
        time.sleep(1)
    return rows


def report(results: list[dict]) -> None:
    baseline = next((r for r in results if r["scenario"] == "baseline"), None)
    header = (
        f"{'scenario':<22} {'sent':>6} {'200':>6} {'other':>6} {'t/o':>5} {'stored':>6}"
        f" {'lost':>5} {'dup':>4} {'unfin':>5} {'settle s':>8} {'p50 ms':>7} {'p99 ms':>7}"
        f" {'p99 ×base':>9}  notes"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        p99 = r["latency"]["p99"]
        ratio = p99 / baseline["latency"]["p99"] if baseline and baseline["latency"]["p99"] else 0
        print(
            f"{r['scenario']:<22} {r['sent']:>6} {r['200']:>6} {r['other']:>6} {r['timeouts']:>5}"
            f" {r['stored']:>6} {r['lost']:>5} {r['duplicated']:>4} {r['unfinished']:>5}"
            f" {r['settle_s']:>8} {r['latency']['p50']:>7.1f} {p99:>7.1f} {ratio:>9.2f}"
            f"  {'; '.join(r['notes'])}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench_faults", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short outages, 1,000 fuzz bodies")
    names = [s.name for s in SCENARIOS]
    parser.add_argument("--scenario", action="append", choices=names, help="only these (repeat)")
    parser.add_argument("--settle", type=float, default=240, help="seconds to wait for settling")
    args = parser.parse_args(argv)
    chosen = [s for s in SCENARIOS if s.name == "baseline" or s.name in (args.scenario or names)]
    results = []
    with World(ROOT / "var" / "bench_faults") as world:
        print(world.describe(), flush=True)
        for scenario in chosen:
            began = time.monotonic()
            results.append(run_scenario(world, scenario, args.quick, args.settle))
            print(f"  {scenario.name}: done in {time.monotonic() - began:.0f} s", flush=True)
    print()
    report(results)
    failed = [
        r["scenario"]
        for r in results
        if r["lost"] or r["duplicated"] or r["unfinished"] or r["server_errors"]
        or any(note.startswith("FAIL") for note in r["notes"])
    ]  # fmt: skip
    verdict = "every scenario: 0 lost, 0 duplicated, 0 unfinished"
    print("\n" + ("FAILED: " + ", ".join(failed) if failed else verdict))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
