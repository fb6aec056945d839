"""webhook_health_stats: the hourly roll-up of webhook_logs, one statement per hour."""

from datetime import datetime, timedelta

from store.db import database

NO_ACCOUNT = "00000000-0000-0000-0000-000000000000"  # rejected deliveries that named no account
NO_VALUE = "-"

# One INSERT ... SELECT per hour: re-running it replaces the hour's rows with fresh numbers.
ROLLUP_HOUR_SQL = f"""
INSERT INTO webhook_health_stats AS s (
    hour, account_id, entity_type, action, received, completed, failed, ignored, rejected,
    events, tasks, processing_p50, processing_p95, processing_p99,
    receive_p50, receive_p95, receive_p99, updated_at)
SELECT %(hour)s::timestamptz,
       COALESCE(account_id, '{NO_ACCOUNT}'::uuid),
       COALESCE(entity_type, '{NO_VALUE}'),
       COALESCE(action, '{NO_VALUE}'),
       count(*) FILTER (WHERE status <> 'rejected'),
       count(*) FILTER (WHERE status = 'completed'),
       count(*) FILTER (WHERE status = 'failed'),
       count(*) FILTER (WHERE status = 'ignored'),
       count(*) FILTER (WHERE status = 'rejected'),
       COALESCE(sum(events_count), 0),
       COALESCE(sum(tasks_created), 0),
       percentile_cont(0.50) WITHIN GROUP (ORDER BY processing_ms),
       percentile_cont(0.95) WITHIN GROUP (ORDER BY processing_ms),
       percentile_cont(0.99) WITHIN GROUP (ORDER BY processing_ms),
       percentile_cont(0.50) WITHIN GROUP (ORDER BY receive_ms),
       percentile_cont(0.95) WITHIN GROUP (ORDER BY receive_ms),
       percentile_cont(0.99) WITHIN GROUP (ORDER BY receive_ms),
       now()
FROM webhook_logs
WHERE received_at >= %(hour)s::timestamptz
  AND received_at < %(hour)s::timestamptz + interval '1 hour'
GROUP BY 2, 3, 4
ON CONFLICT (hour, account_id, entity_type, action) DO UPDATE SET
    received = EXCLUDED.received, completed = EXCLUDED.completed, failed = EXCLUDED.failed,
    ignored = EXCLUDED.ignored, rejected = EXCLUDED.rejected, events = EXCLUDED.events,
    tasks = EXCLUDED.tasks, processing_p50 = EXCLUDED.processing_p50,
    processing_p95 = EXCLUDED.processing_p95, processing_p99 = EXCLUDED.processing_p99,
    receive_p50 = EXCLUDED.receive_p50, receive_p95 = EXCLUDED.receive_p95,
    receive_p99 = EXCLUDED.receive_p99, updated_at = EXCLUDED.updated_at
"""


def hour_start(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def rollup_hour(hour: datetime) -> int:
    """Recompute the stats rows of the hour starting at `hour`; rows written."""
    cursor = database.execute_sql(ROLLUP_HOUR_SQL, {"hour": hour_start(hour)})
    return cursor.rowcount


def rollup_hours(since: datetime, until: datetime) -> dict[datetime, int]:
    """Every hour from the one containing `since` to the one containing `until`."""
    hour, last, written = hour_start(since), hour_start(until), {}
    while hour <= last:
        written[hour] = rollup_hour(hour)
        hour += timedelta(hours=1)
    return written
