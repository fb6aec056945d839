"""python -m scripts.bench_sync_reports — how long the Sync page's and `scripts.sync status`'s
queries take on a big sync_queue, each beside a baseline measured in the same run (the status
table without the claimed-task index of migration 0014_e, and over all time instead of a window).

It fills its own database (the name must contain "bench"; created when missing) with --rows
finished tasks spread over the last --hours, plus a few thousand pending ones, then times every
report --repeat times and prints p50 / p95 in milliseconds.
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

from tabulate import tabulate

from store import sync_entities, sync_latency, sync_reports
from store.db import create_database_if_missing, database, init_database
from store.migrations import migrate

SOURCE = "9171a53c-b719-11eb-c0a8-800000000010"
TARGETS = 3
PENDING = 2000

_FILL_SQL = """
INSERT INTO sync_queue (target_account_id, source_account_id, entity_type, entity_id, operation,
                        status, scheduled_at, changed_at, finished_at, created_at, updated_at,
                        applied_mode, error)
SELECT ('9171a53c-b719-11eb-c0a8-80000000000' || (g %% %(targets)s))::uuid, %(source)s::uuid,
       'product', 'e-' || g, 'update',
       CASE WHEN g %% 1000 = 0 THEN 'failed' ELSE 'completed' END,
       t.at, t.at - interval '1 second', t.at, t.at, now(), 'live',
       CASE WHEN g %% 1000 = 0 THEN 'HTTP 500' END
  FROM generate_series(1, %(rows)s) g,
       LATERAL (SELECT now() - make_interval(secs => g * %(spacing)s) AS at) t;
INSERT INTO sync_queue (target_account_id, source_account_id, entity_type, entity_id, operation,
                        status, scheduled_at)
SELECT '9171a53c-b719-11eb-c0a8-800000000000'::uuid, %(source)s::uuid, 'product', 'p-' || g,
       'update', 'pending', now() - interval '30 seconds'
  FROM generate_series(1, %(pending)s) g;
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench_sync_reports",
        description=__doc__.split("\n\n")[0].split(" — ")[1],
    )
    parser.add_argument("--database-url", required=True, help="a scratch database (name: *bench*)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="finished tasks (1,000,000)")
    parser.add_argument("--hours", type=float, default=14 * 24, help="spread over (14 days)")
    parser.add_argument("--repeat", type=int, default=20, help="runs per query (20)")
    return parser


def timings(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    run()  # warm-up: caches and plans as a page that has been open a while has them
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, round(0.95 * len(samples)) - 1)]


def fill(rows: int, hours: float) -> None:
    database.execute_sql("TRUNCATE sync_queue RESTART IDENTITY")
    spacing = hours * 3600 / rows
    params = {"rows": rows, "targets": TARGETS, "source": SOURCE, "spacing": spacing}
    database.execute_sql(_FILL_SQL, params | {"pending": PENDING})
    # A table in use has its hint bits and visibility map set: so must the measured one.
    database.execute_sql("VACUUM ANALYZE sync_queue")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if "bench" not in urlparse(args.database_url).path:
        print("error: the database name must contain 'bench' (its sync_queue is emptied)",
              file=sys.stderr)  # fmt: skip
        return 2
    create_database_if_missing(args.database_url)
    init_database(args.database_url)
    with database.connection_context():
        migrate(database)
        return measure(args)


def measure(args: argparse.Namespace) -> int:
    fill(args.rows, args.hours)
    now = datetime.now(UTC)
    hour, day = now - timedelta(hours=1), now - timedelta(hours=24)
    reports = {
        "tasks_by_status, 1 h window": lambda: sync_reports.tasks_by_status(finished_since=hour),
        "tasks_by_status, 24 h window": lambda: sync_reports.tasks_by_status(finished_since=day),
        "lag_by_target": sync_reports.lag_by_target,
        "sync_series 1 h per minute": lambda: sync_latency.sync_series(hour, "minute"),
        "sync_series 24 h per hour": lambda: sync_latency.sync_series(day, "hour"),
        "summarize_sync 1 h": lambda: sync_latency.summarize_sync(hour),
        "failed_tasks (100)": lambda: sync_reports.failed_tasks(limit=100),
        "count_failed": sync_reports.count_failed,
        "recent_entities": lambda: sync_entities.recent_entities(SOURCE),
    }
    measured = {name: timings(run, args.repeat) for name, run in reports.items()}
    baselines = {"tasks_by_status, all time": timings(sync_reports.tasks_by_status, args.repeat)}
    with database.atomic() as transaction:
        database.execute_sql("DROP INDEX sync_queue_claimed")
        baselines["tasks_by_status, 1 h, no claimed index"] = timings(
            reports["tasks_by_status, 1 h window"], args.repeat
        )
        transaction.rollback()
    ours = measured["tasks_by_status, 1 h window"][0]
    rows = [[name, f"{p50:.1f}", f"{p95:.1f}", ""] for name, (p50, p95) in measured.items()]
    rows += [[f"baseline: {name}", f"{p50:.1f}", f"{p95:.1f}", f"{p50 / ours:.1f}× ours"]
             for name, (p50, p95) in baselines.items()]  # fmt: skip
    print(f"{args.rows:,} finished + {PENDING:,} pending tasks over {args.hours:g} h;"
          f" {args.repeat} runs each")  # fmt: skip
    print(tabulate(rows, headers=["query", "p50 ms", "p95 ms", "baseline / 1 h window"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
