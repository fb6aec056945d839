"""Reads behind the pipeline's /metrics: recent logs by status, sync tasks, executor latency."""

from datetime import datetime

from store.db import database


def count_logs_by_status_since(since: datetime) -> dict[str, int]:
    """Logs received since `since`, by status (every status present, zeros included)."""
    rows = database.execute_sql(
        "SELECT status, count(*) FROM webhook_logs WHERE received_at >= %s GROUP BY status",
        (since,),
    )
    return dict(rows)


def count_sync_tasks_by_status() -> dict[str, int]:
    return dict(database.execute_sql("SELECT status, count(*) FROM sync_queue GROUP BY status"))


def sync_latency_quantiles(since: datetime, quantiles: tuple[float, ...]) -> list[float | None]:
    """Seconds from a task's change (or creation) to its finish, over tasks finished since."""
    row = database.execute_sql(
        "SELECT percentile_cont(%s::float8[]) WITHIN GROUP"
        " (ORDER BY extract(epoch FROM finished_at - COALESCE(changed_at, created_at)))"
        " FROM sync_queue WHERE finished_at >= %s AND status IN ('completed', 'failed')",
        (list(quantiles), since),
    ).fetchone()
    return list(row[0]) if row and row[0] is not None else [None] * len(quantiles)
