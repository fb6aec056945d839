"""How fast the executor works: tasks finished per time bucket, and the latency from the main
change to the child write (finished_at − changed_at) p50/p95/p99 — per bucket or over a window."""

from datetime import UTC, datetime

from store.db import database
from store.sync_reports import TaskFilter

BUCKETS = ("minute", "hour")


def sync_series(
    since: datetime,
    bucket: str = "minute",
    target_account_id: str | None = None,
    applied_mode: str | None = None,
    until: datetime | None = None,
) -> list[dict]:
    """Per time bucket since `since` (empty ones included): tasks completed and failed,
    completed per minute, and main change → child write latency p50/p95/p99 in seconds
    (finished_at − changed_at of the completed ones). `applied_mode` narrows the completed ones
    to live writes or shadow runs."""
    if bucket not in BUCKETS:
        raise ValueError(f"bucket must be one of {BUCKETS}, got {bucket!r}")
    until = until or datetime.now(UTC)
    condition, params = TaskFilter(target_account_id=target_account_id).where()
    done = "q.status = 'completed'" + (" AND q.applied_mode = %s" if applied_mode else "")
    mode_params = [applied_mode] if applied_mode else []
    latency = "extract(epoch FROM q.finished_at - q.changed_at)"
    percentiles = ", ".join(
        f"percentile_cont({p}) WITHIN GROUP (ORDER BY {latency})"
        f" FILTER (WHERE {done} AND q.changed_at IS NOT NULL) AS p{name}"
        for p, name in ((0.5, 50), (0.95, 95), (0.99, 99))
    )
    rows = database.execute_sql(
        f"WITH buckets AS (SELECT generate_series(date_trunc(%s, %s::timestamptz),"
        f" date_trunc(%s, %s::timestamptz), ('1 ' || %s)::interval) AS time),"
        f" finished AS (SELECT date_trunc(%s, q.finished_at) AS time,"
        f" count(*) FILTER (WHERE {done}) AS completed,"
        f" count(*) FILTER (WHERE q.status = 'failed') AS failed, {percentiles}"
        f" FROM sync_queue q WHERE q.finished_at >= date_trunc(%s, %s::timestamptz)"
        f" AND q.finished_at < %s AND {condition} GROUP BY 1)"
        " SELECT b.time, COALESCE(f.completed, 0), COALESCE(f.failed, 0),"
        " f.p50, f.p95, f.p99"
        " FROM buckets b LEFT JOIN finished f ON f.time = b.time ORDER BY b.time",
        [bucket, since, bucket, until, bucket, bucket]
        + mode_params
        + mode_params * 3
        + [bucket, since, until]
        + params,
    ).fetchall()
    minutes = 1 if bucket == "minute" else 60
    return [
        {
            "time": time,
            "completed": completed,
            "failed": failed,
            "per_minute": completed / minutes,
            "p50": p50,
            "p95": p95,
            "p99": p99,
        }
        for time, completed, failed, p50, p95, p99 in rows
    ]


def summarize_sync(since: datetime, target_account_id: str | None = None) -> dict:
    """Tasks completed and failed since `since` and the change → write latency p50/p95/p99 (s)
    of the completed ones, over the whole window."""
    condition, params = TaskFilter(target_account_id=target_account_id).where()
    latency = "extract(epoch FROM q.finished_at - q.changed_at)"
    done = "q.status = 'completed' AND q.changed_at IS NOT NULL"
    row = database.execute_sql(
        "SELECT count(*) FILTER (WHERE q.status = 'completed'),"
        " count(*) FILTER (WHERE q.status = 'failed'), "
        + ", ".join(
            f"percentile_cont({p}) WITHIN GROUP (ORDER BY {latency}) FILTER (WHERE {done})"
            for p in (0.5, 0.95, 0.99)
        )
        + f" FROM sync_queue q WHERE q.finished_at >= %s AND {condition}",
        [since, *params],
    ).fetchone()
    return dict(zip(("completed", "failed", "p50", "p95", "p99"), row, strict=True))
