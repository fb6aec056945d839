"""Reads of webhook_logs that health and alert rules judge (the recent window, not the stats)."""

from datetime import datetime

from store.db import database


def finished_counts(since: datetime) -> dict[tuple[str, str, str], tuple[int, int]]:
    """(account, entity type, action) → (completed, failed) of logs received since `since`."""
    rows = database.execute_sql(
        "SELECT account_id::text, entity_type, action,"
        " count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE status = 'failed')"
        " FROM webhook_logs WHERE received_at >= %s AND account_id IS NOT NULL"
        " AND status IN ('completed', 'failed') GROUP BY 1, 2, 3",
        (since,),
    )
    return {(a, t, act): (completed, failed) for a, t, act, completed, failed in rows}


def receive_p95(since: datetime) -> tuple[float | None, int]:
    """p95 of receive_ms over deliveries since `since`, and how many there were."""
    row = database.execute_sql(
        "SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY receive_ms), count(receive_ms)"
        " FROM webhook_logs WHERE received_at >= %s",
        (since,),
    ).fetchone()
    return row[0], row[1]


def oldest_unprocessed_at() -> datetime | None:
    """received_at of the oldest log whose first try has not finished: waiting in the queue (or
    stranded) or running now. A log waiting for a retry is not "behind": its first try ran."""
    return database.execute_sql(
        "SELECT min(received_at) FROM webhook_logs"
        " WHERE (status = 'received' AND attempts = 0) OR (status = 'processing' AND attempts = 1)"
    ).fetchone()[0]


def stuck_processing(started_before: datetime) -> tuple[int, datetime | None]:
    """How many logs have been `processing` since before `started_before`, and the oldest start."""
    return database.execute_sql(
        "SELECT count(*), min(started_at) FROM webhook_logs"
        " WHERE status = 'processing' AND started_at < %s",
        (started_before,),
    ).fetchone()


def last_delivery_by_account() -> dict[str, datetime | None]:
    """Every account's newest delivery (None: never) — one index probe per account."""
    rows = database.execute_sql(
        "SELECT a.id::text, (SELECT max(received_at) FROM webhook_logs l"
        " WHERE l.account_id = a.id) FROM accounts a"
    )
    return dict(rows)
