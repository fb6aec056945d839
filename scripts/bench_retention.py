"""python -m scripts.bench_retention — delete 1,000,000 old log rows the way cleanup-logs does.

Fills a scratch database (never your DATABASE_URL unless you pass it) with old completed rows plus
recent and old-but-failed ones, runs jobs.housekeeping.retention.cleanup_logs while another
connection keeps inserting deliveries, and prints each batch's longest duration and the inserts'
longest wait.
"""

import argparse
import statistics
import sys
import threading
import time
import uuid
from datetime import UTC, datetime

import psycopg2

from jobs.context import configure
from jobs.housekeeping.retention import cleanup_logs
from store.db import connect_params, create_database_if_missing, database
from store.migrations import migrate
from store.settings import load_settings

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/bench_retention"
FILL_SQL = """
INSERT INTO webhook_logs (request_id, account_id, entity_type, action, events_count, payload,
                          status, received_at, receive_ms, processing_ms)
SELECT 'bench-' || %(tag)s || '-' || g, %(account)s, 'product', 'UPDATE', 1,
       '{"events": [{"action": "UPDATE"}]}'::jsonb, %(status)s,
       now() - %(age)s::interval - (g || ' seconds')::interval, 2.0, 20.0
FROM generate_series(1, %(rows)s) AS g
"""


def fill(rows: int) -> None:
    account = str(uuid.uuid4())
    batches = [("old", "completed", "40 days", rows), ("recent", "completed", "1 day", 10_000)]
    batches.append(("failed", "failed", "40 days", 10_000))
    database.execute_sql("TRUNCATE webhook_logs")
    for tag, status, age, count in batches:
        params = {"tag": tag, "account": account, "status": status, "age": age, "rows": count}
        database.execute_sql(FILL_SQL, params)
    database.execute_sql("VACUUM ANALYZE webhook_logs")


def insert_while(stop: threading.Event, database_url: str, waits: list[float]) -> None:
    """A receiver stand-in: one INSERT after another, each wait recorded."""
    connection = psycopg2.connect(**connect_params(database_url))
    connection.autocommit = True
    with connection.cursor() as cursor:
        while not stop.is_set():
            started = time.perf_counter()
            cursor.execute(
                "INSERT INTO webhook_logs (request_id, status) VALUES (%s, 'completed')",
                (f"live-{uuid.uuid4()}",),
            )
            waits.append(time.perf_counter() - started)
            time.sleep(0.005)
    connection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench_retention", description=__doc__)
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"default {DEFAULT_URL}")
    parser.add_argument("--rows", type=int, default=1_000_000, help="old rows to delete")
    parser.add_argument("--batch", type=int, default=None, help="rows per DELETE batch")
    args = parser.parse_args(argv)
    create_database_if_missing(args.database_url)
    settings = load_settings({"DATABASE_URL": args.database_url})
    configure(settings)
    migrate(database)
    started = time.perf_counter()
    fill(args.rows)
    print(f"filled {args.rows:,} old + 10,000 recent + 10,000 old failed rows", end=" ")
    print(f"in {time.perf_counter() - started:.1f} s")

    durations: list[float] = []
    waits: list[float] = []
    stop = threading.Event()
    writer = threading.Thread(target=insert_while, args=(stop, args.database_url, waits))
    writer.start()
    started = time.perf_counter()
    kwargs = {"batch_size": args.batch} if args.batch else {}
    record = lambda batch: durations.append(batch.seconds)  # noqa: E731
    report = cleanup_logs(datetime.now(UTC), on_batch=record, **kwargs)
    elapsed = time.perf_counter() - started
    stop.set()
    writer.join()

    left = dict(database.execute_sql("SELECT status, count(*) FROM webhook_logs GROUP BY 1"))
    print(f"deleted {report['finished']:,} rows in {report['batches']} batches, {elapsed:.1f} s")
    print(
        f"batch duration: max {max(durations) * 1000:.0f} ms,"
        f" median {statistics.median(durations) * 1000:.0f} ms"
    )
    print(f"concurrent inserts: {len(waits)}, longest wait {max(waits) * 1000:.1f} ms")
    print(f"rows left by status: {left}")
    ok = max(durations) < 1.0 and left.get("failed") == 10_000
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
