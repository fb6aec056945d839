"""Read-only reports for the console: KPIs and chart series from webhook_health_stats, and the
indexed look-ups on webhook_logs, sync_queue and webhooks that its pages need."""

from datetime import datetime

from peewee import SQL, fn

from store.db import database
from store.models import SyncTask, Webhook, WebhookHealthStat, WebhookLog

UNPROCESSED = ("received", "processing")
OUTCOME_COLUMNS = ("completed", "failed", "ignored", "rejected")
Stat = WebhookHealthStat


def _weighted(column):
    """Hourly percentiles of several (account, type, action) rows, weighted by their deliveries.

    A true percentile needs the raw rows; over 24 h this mean of hourly values is close enough
    for a tile and keeps the page off the million-row table.
    """
    weight = fn.SUM(fn.COALESCE(Stat.received, 0)).filter(column.is_null(False))
    return fn.SUM(column * Stat.received) / fn.NULLIF(weight, 0)


def _in_range(since: datetime, until: datetime | None, account_id: str | None):
    condition = Stat.hour >= since
    if until is not None:
        condition &= Stat.hour < until
    if account_id:
        condition &= Stat.account_id == account_id
    return condition


def summarize_deliveries(
    since: datetime, until: datetime | None = None, account_id: str | None = None
) -> dict:
    """Deliveries, outcomes, failure rate and latency p95 of the hours in the range."""
    row = (
        Stat.select(
            fn.COALESCE(fn.SUM(Stat.received), 0).alias("deliveries"),
            fn.COALESCE(fn.SUM(Stat.completed), 0).alias("completed"),
            fn.COALESCE(fn.SUM(Stat.failed), 0).alias("failed"),
            fn.COALESCE(fn.SUM(Stat.ignored), 0).alias("ignored"),
            fn.COALESCE(fn.SUM(Stat.rejected), 0).alias("rejected"),
            fn.COALESCE(fn.SUM(Stat.tasks), 0).alias("tasks"),
            _weighted(Stat.receive_p95).alias("receive_p95"),
            _weighted(Stat.processing_p95).alias("processing_p95"),
        )
        .where(_in_range(since, until, account_id))
        .dicts()
        .get()
    )
    row = {key: (float(value) if value is not None else None) for key, value in row.items()}
    row["failure_rate"] = row["failed"] / row["deliveries"] if row["deliveries"] else None
    return row


def failure_rate_by_hour(
    since: datetime, until: datetime | None = None, account_id: str | None = None
) -> list[dict]:
    """hour, deliveries, failed, failure_rate (0..1) per hour with traffic."""
    query = (
        Stat.select(
            Stat.hour,
            fn.SUM(Stat.received).alias("deliveries"),
            fn.SUM(Stat.failed).alias("failed"),
            (fn.SUM(Stat.failed) * 1.0 / fn.NULLIF(fn.SUM(Stat.received), 0)).alias("failure_rate"),
        )
        .where(_in_range(since, until, account_id))
        .group_by(Stat.hour)
        .order_by(Stat.hour)
    )
    return list(query.dicts())


def outcomes_by_hour(
    since: datetime, until: datetime | None = None, account_id: str | None = None
) -> list[dict]:
    """hour, deliveries and each outcome's count per hour with traffic."""
    query = (
        Stat.select(
            Stat.hour,
            fn.SUM(Stat.received).alias("deliveries"),
            *(fn.SUM(getattr(Stat, name)).alias(name) for name in OUTCOME_COLUMNS),
        )
        .where(_in_range(since, until, account_id))
        .group_by(Stat.hour)
        .order_by(Stat.hour)
    )
    return list(query.dicts())


def latency_by_hour(
    since: datetime, until: datetime | None = None, account_id: str | None = None
) -> list[dict]:
    """hour and receive/processing p50, p95, p99 (ms) per hour."""
    columns = [
        _weighted(getattr(Stat, f"{stage}_{p}")).alias(f"{stage}_{p}")
        for stage in ("receive", "processing")
        for p in ("p50", "p95", "p99")
    ]
    query = (
        Stat.select(Stat.hour, *columns)
        .where(_in_range(since, until, account_id))
        .group_by(Stat.hour)
        .order_by(Stat.hour)
    )
    return list(query.dicts())


def throughput_by_type(
    since: datetime, until: datetime | None = None, account_id: str | None = None
) -> list[dict]:
    """entity_type, action, deliveries and events in the range, busiest first."""
    query = (
        Stat.select(
            Stat.entity_type,
            Stat.action,
            fn.SUM(Stat.received).alias("deliveries"),
            fn.SUM(Stat.events).alias("events"),
        )
        .where(_in_range(since, until, account_id))
        .group_by(Stat.entity_type, Stat.action)
        .order_by(SQL("deliveries DESC"))
    )
    return list(query.dicts())


def count_unprocessed_logs() -> int:
    """Logs received but not finished (the partial index webhook_logs_unfinished serves it)."""
    return (
        WebhookLog.select(fn.COUNT(WebhookLog.id))
        .where(WebhookLog.status.in_(UNPROCESSED))
        .scalar()
    )


def list_known_event_kinds() -> tuple[list[str], list[str]]:
    """Entity types and actions seen in the stats (for filter choices)."""
    types = [
        r[0] for r in Stat.select(Stat.entity_type).distinct().order_by(Stat.entity_type).tuples()
    ]
    actions = [r[0] for r in Stat.select(Stat.action).distinct().order_by(Stat.action).tuples()]
    return types, actions


def list_tasks_of_log(log_id: int) -> list[dict]:
    """The sync_queue tasks a delivery created (index sync_queue_log)."""
    query = (
        SyncTask.select(
            SyncTask.id,
            SyncTask.target_account_id,
            SyncTask.entity_type,
            SyncTask.entity_id,
            SyncTask.operation,
            SyncTask.priority,
            SyncTask.status,
            SyncTask.attempts,
            SyncTask.error,
            SyncTask.scheduled_at,
        )
        .where(SyncTask.log_id == log_id)
        .order_by(SyncTask.id)
    )
    return list(query.dicts())


def list_installed_webhooks(account_id: str) -> list[dict]:
    """The account's rows of the webhooks table (what setup last saw installed)."""
    query = (
        Webhook.select(
            Webhook.entity_type,
            Webhook.action,
            Webhook.diff_type,
            Webhook.enabled,
            Webhook.moysklad_webhook_id,
            Webhook.url,
            Webhook.last_triggered_at,
            Webhook.received_count,
            Webhook.failed_count,
            Webhook.last_check_at,
            Webhook.last_check_result,
        )
        .where(Webhook.account == account_id)
        .order_by(Webhook.entity_type, Webhook.action)
    )
    return list(query.dicts())


def webhook_traffic(account_id: str, since: datetime) -> dict[tuple[str, str], dict]:
    """Per (entity type, action) of one account since `since`: deliveries, failed, failure_rate."""
    query = (
        Stat.select(
            Stat.entity_type,
            Stat.action,
            fn.SUM(Stat.received).alias("deliveries"),
            fn.SUM(Stat.failed).alias("failed"),
        )
        .where(_in_range(since, None, account_id))
        .group_by(Stat.entity_type, Stat.action)
    )
    return {
        (r["entity_type"], r["action"]): {
            **r,
            "failure_rate": r["failed"] / r["deliveries"] if r["deliveries"] else None,
        }
        for r in query.dicts()
    }


RECENT_BY_MINUTE = """
WITH recent AS (
    SELECT received_at, status, receive_ms, processing_ms FROM webhook_logs
    WHERE received_at >= %(since)s ORDER BY received_at DESC LIMIT %(max_rows)s)
SELECT date_trunc('minute', received_at) AS minute, count(*) AS deliveries,
       count(*) FILTER (WHERE status = 'completed') AS completed,
       count(*) FILTER (WHERE status = 'failed') AS failed,
       count(*) FILTER (WHERE status = 'ignored') AS ignored,
       count(*) FILTER (WHERE status = 'rejected') AS rejected,
       count(*) FILTER (WHERE status = 'failed')::float / count(*) AS failure_rate,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY receive_ms) AS receive_p50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY receive_ms) AS receive_p95,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY receive_ms) AS receive_p99,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY processing_ms) AS processing_p50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY processing_ms) AS processing_p95,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY processing_ms) AS processing_p99
FROM recent GROUP BY 1 ORDER BY 1
"""

RECENT_SUMMARY = """
WITH recent AS (
    SELECT status, receive_ms, processing_ms, tasks_created FROM webhook_logs
    WHERE received_at >= %(since)s ORDER BY received_at DESC LIMIT %(max_rows)s)
SELECT count(*) AS deliveries,
       count(*) FILTER (WHERE status = 'completed') AS completed,
       count(*) FILTER (WHERE status = 'failed') AS failed,
       count(*) FILTER (WHERE status = 'ignored') AS ignored,
       count(*) FILTER (WHERE status = 'rejected') AS rejected,
       COALESCE(sum(tasks_created), 0) AS tasks,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY receive_ms) AS receive_p95,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY processing_ms) AS processing_p95
FROM recent
"""

RECENT_BY_KIND = """
WITH recent AS (
    SELECT entity_type, action, events_count FROM webhook_logs
    WHERE received_at >= %(since)s AND entity_type IS NOT NULL
    ORDER BY received_at DESC LIMIT %(max_rows)s)
SELECT entity_type, action, count(*) AS deliveries, sum(events_count) AS events
FROM recent GROUP BY 1, 2 ORDER BY 3 DESC
"""


def _rows(sql: str, params: dict) -> list[dict]:
    cursor = database.execute_sql(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def deliveries_by_minute(since: datetime, max_rows: int) -> list[dict]:
    """Per minute from the raw log (the stats are hourly): outcomes, failure rate, latencies.

    Only the newest `max_rows` deliveries count, so a flood cannot make the page slow.
    """
    return _rows(RECENT_BY_MINUTE, {"since": since, "max_rows": max_rows})


def recent_throughput_by_type(since: datetime, max_rows: int) -> list[dict]:
    """entity_type, action, deliveries, events of the newest `max_rows` deliveries since `since`."""
    return _rows(RECENT_BY_KIND, {"since": since, "max_rows": max_rows})


def summarize_recent_deliveries(since: datetime, max_rows: int) -> dict:
    """The same newest `max_rows` deliveries as deliveries_by_minute, summed over the window
    (true p95s from the raw rows): the tiles above the per-minute charts."""
    row = _rows(RECENT_SUMMARY, {"since": since, "max_rows": max_rows})[0]
    row = {key: (float(value) if value is not None else None) for key, value in row.items()}
    row["failure_rate"] = row["failed"] / row["deliveries"] if row["deliveries"] else None
    return row
