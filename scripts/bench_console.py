"""python -m scripts.bench_console — fill webhook_logs with N rows, time every console page.

Uses DATABASE_URL / REDIS_URL; `--fresh` empties the console's tables first (never point it at
production). Each page is rendered with Streamlit's AppTest, caches cleared before every run, so
the times are what a first visitor waits for.
"""

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

from jobs.context import configure
from store.accounts import add_account, link_child
from store.db import database
from store.migrations import migrate
from store.settings import load_settings
from store.users import hash_password

APP = str(Path(__file__).resolve().parents[1] / "console" / "app.py")
PAGES = ("overview", "logs", "accounts", "alerts", "webhooks")
DAYS = 30
BENCH_USER = "bench"
TABLES = "webhook_logs, webhook_health_stats, sync_queue, alerts, audit_log, webhooks, accounts"

FILL_LOGS = """
INSERT INTO webhook_logs (request_id, account_id, entity_type, action, entity_ids, events_count,
                          payload, status, error, tasks_created, received_at, started_at,
                          finished_at, receive_ms, processing_ms)
SELECT 'bench-' || g,
       (%(accounts)s::uuid[])[1 + g %% 3],
       (ARRAY['product', 'product', 'product', 'service', 'variant', 'bundle',
              'customerorder'])[1 + g %% 7],
       (ARRAY['UPDATE','UPDATE','UPDATE','CREATE','DELETE'])[1 + (g / 7) %% 5],
       ARRAY[md5(g::text)],
       1 + g %% 3,
       jsonb_build_object('events', jsonb_build_array(jsonb_build_object(
           'meta', jsonb_build_object('type', 'product',
                                      'href', 'https://x/entity/' || md5(g::text)),
           'action', 'UPDATE', 'updatedFields', jsonb_build_array('salePrices')))),
       s.status,
       CASE WHEN s.status = 'failed' THEN 'МойСклад answered 500' END,
       CASE WHEN s.status = 'completed' THEN 1 + g %% 3 ELSE 0 END,
       t.at, t.at + interval '5 ms', t.at + interval '60 ms',
       1 + (g %% 40) / 10.0, 20 + (g %% 200)
FROM generate_series(1, %(rows)s) AS g
CROSS JOIN LATERAL (SELECT now() - (%(days)s * interval '1 day') * (g::float / %(rows)s) AS at) t
CROSS JOIN LATERAL (SELECT CASE WHEN g %% 100 < 93 THEN 'completed'
                                WHEN g %% 100 < 97 THEN 'failed'
                                WHEN g %% 100 < 99 THEN 'ignored'
                                WHEN g %% 1000 < 995 THEN 'rejected'
                                ELSE 'received' END AS status) s
"""

# What the hourly roll-up job writes; done here in one statement so the bench needs no worker.
FILL_STATS = """
INSERT INTO webhook_health_stats (hour, account_id, entity_type, action, received, completed,
    failed, ignored, rejected, events, tasks, processing_p50, processing_p95, processing_p99,
    receive_p50, receive_p95, receive_p99)
SELECT date_trunc('hour', received_at), account_id, entity_type, action, count(*),
       count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE status = 'failed'),
       count(*) FILTER (WHERE status = 'ignored'), count(*) FILTER (WHERE status = 'rejected'),
       sum(events_count), sum(tasks_created),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY processing_ms),
       percentile_cont(0.95) WITHIN GROUP (ORDER BY processing_ms),
       percentile_cont(0.99) WITHIN GROUP (ORDER BY processing_ms),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY receive_ms),
       percentile_cont(0.95) WITHIN GROUP (ORDER BY receive_ms),
       percentile_cont(0.99) WITHIN GROUP (ORDER BY receive_ms)
FROM webhook_logs WHERE account_id IS NOT NULL
GROUP BY 1, 2, 3, 4
"""

FILL_TASKS = """
INSERT INTO sync_queue (target_account_id, source_account_id, entity_type, entity_id, operation,
                        status, log_id)
SELECT (%(accounts)s::uuid[])[2], (%(accounts)s::uuid[])[1], 'product', 'e-' || id, 'update',
       'completed', id
FROM webhook_logs WHERE status = 'completed' AND id %% 10 = 0
"""


def fill(rows: int, secret: str) -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(3)]
    add_account(ids[0], "Bench main", "bench-main", "main", secret)
    for number, child in enumerate(ids[1:], 1):
        add_account(child, f"Bench child {number}", f"bench-child-{number}", "child", secret)
        link_child(ids[0], child)
    params = {"accounts": ids, "rows": rows, "days": DAYS}
    for label, statement in (("logs", FILL_LOGS), ("stats", FILL_STATS), ("tasks", FILL_TASKS)):
        started = time.perf_counter()
        database.execute_sql(statement, params)
        print(f"filled {label} in {time.perf_counter() - started:.1f} s", flush=True)
    database.execute_sql("ANALYZE")
    return ids


OVERVIEW_VARIANTS = {
    "overview: last 24 hours": lambda app: app.selectbox(key="overview_range").select(
        "Last 24 hours"
    ),
    "overview: last 30 days": lambda app: app.selectbox(key="overview_range").select(
        "Last 30 days"
    ),
}
# The Logs page's slowest shapes: whole table, a type that needs a scan, an id search.
LOGS_VARIANTS = {
    "logs: all time": lambda app: app.selectbox(key="logs_range").select("All time"),
    "logs: all time, service, failed": lambda app: (
        app.selectbox(key="logs_range").select("All time"),
        app.selectbox(key="logs_type").select("service"),
        app.multiselect(key="logs_statuses").select("failed"),
    ),
    "logs: all time, search entity id": lambda app: (
        app.selectbox(key="logs_range").select("All time"),
        app.text_input(key="logs_search").input("c4ca4238a0b923820dcc509a6f75849b"),  # md5('1')
    ),
    "logs: detail of the newest": lambda app: app.selectbox(key="log_detail_id").select(
        int(app.dataframe[0].value["id"].iloc[0])
    ),
}


def time_pages(runs: int) -> dict[str, list[float]]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    def render(page: str, change=None) -> float:
        app = AppTest.from_file(APP, default_timeout=60)
        app.session_state["console_user"] = BENCH_USER
        app.run()
        if page != "overview":
            app.switch_page(f"views/{page}.py").run()
        if change is not None:
            change(app)
        # Only the page's own run is timed, with every cached read dropped first.
        st.cache_data.clear()
        started = time.perf_counter()
        app.run()
        elapsed = time.perf_counter() - started
        if app.exception:
            raise SystemExit(f"{page}: {app.exception[0].value}")
        return elapsed

    cases = {page: (page, None) for page in PAGES}
    cases.update({label: ("logs", change) for label, change in LOGS_VARIANTS.items()})
    cases.update({label: ("overview", change) for label, change in OVERVIEW_VARIANTS.items()})
    times: dict[str, list[float]] = {label: [] for label in cases}
    for _ in range(runs):
        for label, (page, change) in cases.items():
            times[label].append(render(page, change))
            print(f"{label:34s} {times[label][-1]:.2f} s", flush=True)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench_console", description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--fresh", action="store_true", help=f"TRUNCATE {TABLES} first")
    parser.add_argument("--runs", type=int, default=3, help="timed renders per page")
    parser.add_argument("--no-fill", action="store_true", help="time the pages on the data as is")
    args = parser.parse_args(argv)
    os.environ["CONSOLE_USERS"] = f"{BENCH_USER}:operator:{hash_password('bench')}"
    settings = load_settings()
    configure(settings)
    with database.connection_context():
        migrate(database)
        if not args.no_fill:
            existing = database.execute_sql("SELECT count(*) FROM webhook_logs").fetchone()[0]
            if existing and not args.fresh:
                print(f"webhook_logs has {existing} rows: pass --fresh to replace them")
                return 1
            database.execute_sql(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
            fill(args.rows, settings.encryption_secrets)
        total = database.execute_sql("SELECT count(*) FROM webhook_logs").fetchone()[0]
    print(f"webhook_logs: {total:,} rows; rendering each page {args.runs} times (cold caches)")
    times = time_pages(args.runs)
    for page, seconds in times.items():
        rendered = ", ".join(f"{s:.2f}" for s in seconds)
        print(
            f"{page:10s} median {statistics.median(seconds):.2f} s  max {max(seconds):.2f} s"
            f"  ({rendered})"
        )
    return 0 if all(max(s) < 2.0 for s in times.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
