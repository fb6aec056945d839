"""python -m scripts.bench_processor — process_webhook throughput, CREATE efficiency, end-to-end.

Scenarios (each prints its numbers and a baseline measured in the same run):
- throughput: N queued single-event UPDATE deliveries of mapped entities (no МойСклад calls)
  drained by W burst workers (`python -m scripts.worker --burst`); baseline: the same count of
  no-op RQ jobs (same queue, same options) on the same number of workers.
- create: 10 bodies × 100 CREATE events for a main account with 3 children (two with filters),
  simulator latency 100 ms: entity GETs, 429s, loop-guard header, time until every task is
  written; baseline: the GETs a per-entity read would need, and the latency floor.
- e2e: users edit products in the simulator at 100/min; it delivers the webhooks to the gunicorn
  receiver; 2 workers write the tasks. Percentiles of receipt → tasks written; baseline: the
  receiver's own receive time and the simulator's delivery round trip in the same run.
"""

import argparse
import statistics
import sys

from scripts.bench_processor_flows import describe, run_create, run_e2e
from scripts.bench_processor_servers import RECEIVER_PORT, SIM_API, start_simulator
from scripts.bench_processor_setup import prepare
from scripts.bench_processor_throughput import noop_round, throughput_round
from store.settings import Settings

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test_proc_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"
SECRET = "bench-secret"


def run_throughput(settings: Settings, args) -> int:
    redis = prepare(settings)
    ours, floor = [], []
    for number in range(args.rounds):
        result = throughput_round(
            settings, redis, SECRET, args.deliveries, args.workers, args.children
        )
        noop = noop_round(settings, redis, args.deliveries, args.workers)
        ours.append(result["wall"])
        floor.append(noop)
        print(
            f"round {number + 1}: {args.deliveries} UPDATE deliveries ({args.children} children)"
            f" drained by {args.workers} workers in {result['wall']:.1f} s wall"
            f" (first start → last finish {result['span']:.1f} s), statuses {result['statuses']},"
            f" pending tasks {result['tasks']}; no-op RQ jobs: {noop:.1f} s"
        )
    per_worker = args.deliveries / statistics.median(ours) / args.workers
    print(
        f"throughput: wall {min(ours):.1f}–{max(ours):.1f} s"
        f" ({per_worker:.0f} deliveries/s per worker, median);"
        f" no-op baseline {min(floor):.1f}–{max(floor):.1f} s;"
        f" ratio ours/no-op {statistics.median(ours) / statistics.median(floor):.2f}"
    )
    return 0


def run_end_to_end(settings: Settings, args) -> int:
    redis = prepare(settings)
    simulator = start_simulator(0.0)
    try:
        _e2e_rounds(settings, redis, args)
    finally:
        simulator.terminate()
        simulator.wait(timeout=30)
    return 0


def _e2e_rounds(settings: Settings, redis, args) -> None:
    for number in range(args.rounds):
        result = run_e2e(settings, redis, args.rate, args.seconds, SECRET)
        print(
            f"e2e round {number + 1}: {result['sent']} deliveries at {args.rate}/min through"
            f" simulator → gunicorn receiver → 2 workers; delivered {result['delivered_ok']};"
            f" logs with tasks {result['with_tasks']}"
        )
        print("  " + describe("simulator → receiver answer (baseline)", result["delivery"]))
        print("  " + describe("receipt → log stored (receiver, baseline)", result["receive"]))
        print("  " + describe("receipt → tasks written", result["to_tasks"]))
        ratio = result["to_tasks"]["p95"] / max(result["receive"]["p95"], 0.001)
        print(f"  p95 ratio tasks/stored {ratio:.1f}")


def run_creates(settings: Settings, args) -> int:
    redis = prepare(settings)
    simulator = start_simulator(0.0)
    try:
        for number in range(args.rounds):
            r = run_create(settings, redis, SECRET, args.bodies, args.per_body, args.latency)
            print(
                f"create round {number + 1}: {r['events']} CREATE events in {args.bodies} bodies,"
                f" 3 children (2 filtered), simulator latency {args.latency * 1000:.0f} ms:"
                f" {r['entity_gets']} entity GETs ({r['requests']} requests in all),"
                f" {r['answered_429']} answered 429, loop-guard header on all: {r['loop_guard']},"
                f" {r['tasks']} tasks written {r['seconds']:.2f} s after the first receipt"
            )
            floor = r["entity_gets"] * args.latency / args.workers
            print(
                f"  baseline: one GET per entity would be {r['events']} GETs"
                f" ({r['entity_gets'] / r['events']:.3f} GETs per entity here);"
                f" latency floor of these GETs on {args.workers} workers {floor:.2f} s"
            )
    finally:
        simulator.terminate()
        simulator.wait(timeout=30)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench_processor",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("scenario", choices=["throughput", "create", "e2e", "all"])
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="a database the benchmark may wipe (default: %(default)s)",
    )
    parser.add_argument(
        "--redis-url",
        default=DEFAULT_REDIS_URL,
        help="a Redis db the benchmark may flush (default: %(default)s)",
    )
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--children", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--rate", type=int, default=100, help="e2e deliveries per minute")
    parser.add_argument("--seconds", type=int, default=60, help="e2e duration")
    parser.add_argument("--bodies", type=int, default=10, help="create: bodies")
    parser.add_argument("--per-body", type=int, default=100, help="create: events per body")
    parser.add_argument("--latency", type=float, default=0.1, help="create: simulator latency")
    args = parser.parse_args(argv)
    settings = Settings(
        database_url=args.database_url,
        redis_url=args.redis_url,
        public_base_url=f"http://127.0.0.1:{RECEIVER_PORT}",
        app_secret=SECRET,
        moysklad_api_url=SIM_API,
    )
    if args.scenario in ("throughput", "all"):
        run_throughput(settings, args)
    if args.scenario in ("create", "all"):
        run_creates(settings, args)
    if args.scenario in ("e2e", "all"):
        run_end_to_end(settings, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
