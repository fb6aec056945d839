"""Every read of the console, cached for a short while so reruns and many viewers stay cheap."""

from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st
from rq import Queue

from console import runtime
from jobs import defaults
from jobs.monitoring import health
from store import accounts, alerts, audit, reports
from store import action_reports as action_report_store
from store import health as store_health
from store.account_edits import get_sync_settings, list_children
from store.logs import LogFilter, count_logs, failed_log_ids, find_logs, get_log

KPI_TTL = 15  # seconds; the Overview refreshes itself every REFRESH_SECONDS
LIST_TTL = 10
KPI_HOURS = 24


def hour_floor(moment: datetime) -> datetime:
    """Stats are hourly: rounding keeps the cache key stable within the hour."""
    return moment.replace(minute=0, second=0, microsecond=0)


def since_hours(hours: int) -> datetime:
    return hour_floor(datetime.now(UTC) - timedelta(hours=hours - 1))


def since_minutes(minutes: int) -> datetime:
    """Minute-aligned, so the cache key holds for a minute."""
    return (datetime.now(UTC) - timedelta(minutes=minutes)).replace(second=0, microsecond=0)


@st.cache_data(ttl=KPI_TTL, show_spinner=False)
def now_tiles() -> dict:
    """What is true now, whatever the window: backlog, queue, open alerts."""
    queued = Queue(defaults.WEBHOOKS_QUEUE, connection=runtime.redis()).count
    return {
        "unprocessed": reports.count_unprocessed_logs(),
        "oldest_unprocessed_at": store_health.oldest_unprocessed_at(),
        "rq_queued": queued,
        "open_alerts": alerts.count_active_alerts(),
    }


RECENT_MAX_ROWS = 50_000  # the per-minute view reads at most this many of the newest logs
OUTCOMES = ("completed", "failed", "ignored", "rejected")
UNFINISHED = "unfinished"  # received or processing: counted in deliveries, no outcome yet
LATENCIES = [f"{stage}_{p}" for stage in ("receive", "processing") for p in ("p50", "p95", "p99")]


@st.cache_data(ttl=KPI_TTL, show_spinner=False)
def window(since: datetime, per_minute: bool) -> dict:
    """Tiles and charts of one window from ONE source, so they always agree: the raw log per
    minute (last hour), the hourly roll-up otherwise. "time" is the minute or the hour."""
    if per_minute:
        steps = reports.deliveries_by_minute(since, RECENT_MAX_ROWS)
        summary = reports.summarize_recent_deliveries(since, RECENT_MAX_ROWS)
        throughput = reports.recent_throughput_by_type(since, RECENT_MAX_ROWS)
        frame = pd.DataFrame(steps).rename(columns={"minute": "time"})
        latency = frame[["time", *LATENCIES]] if not frame.empty else pd.DataFrame()
        source = "the raw log, per minute"
    else:
        frame = pd.DataFrame(reports.outcomes_by_hour(since)).rename(columns={"hour": "time"})
        latency = pd.DataFrame(reports.latency_by_hour(since)).rename(columns={"hour": "time"})
        summary = reports.summarize_deliveries(since)
        throughput = reports.throughput_by_type(since)
        source = "the hourly roll-up (webhook_health_stats)"
    if frame.empty:
        empty = pd.DataFrame()
        return {"summary": summary, "outcomes": empty, "failure": empty, "latency": empty,
                "throughput": empty, "source": source}  # fmt: skip
    for column in ("deliveries", *OUTCOMES):
        frame[column] = frame[column].astype(float)
    frame[UNFINISHED] = (frame["deliveries"] - frame[list(OUTCOMES)].sum(axis=1)).clip(lower=0)
    outcomes = frame[["time", *OUTCOMES, UNFINISHED]].melt(
        id_vars="time", var_name="status", value_name="deliveries"
    )
    failure = frame[["time", "deliveries", "failed"]].assign(
        failure_rate=lambda f: f["failed"] / f["deliveries"].where(f["deliveries"] > 0)
    )
    return {
        "summary": summary,
        "outcomes": outcomes,
        "failure": failure,
        "latency": latency,
        "throughput": pd.DataFrame(throughput),
        "source": source,
    }


@st.cache_data(ttl=LIST_TTL, show_spinner=False)
def account_list() -> pd.DataFrame:
    rows = accounts.list_accounts()
    frame = pd.DataFrame(rows, columns=list(rows[0]) if rows else ["id", "name", "account_type"])
    if "api_token_encrypted" in frame:
        frame = frame.drop(columns=["api_token_encrypted"])
    frame["id"] = frame["id"].astype(str)
    return frame


@st.cache_data(ttl=60, show_spinner=False)
def event_kinds() -> tuple[list[str], list[str]]:
    return reports.list_known_event_kinds()


ERROR_SHOWN = 200  # characters of an error or note in the table (the detail shows all)


@st.cache_data(ttl=LIST_TTL, show_spinner=False)
def logs_page(log_filter: LogFilter, page_size: int, page: int) -> tuple[pd.DataFrame, int]:
    rows = [
        {
            "id": log.id,
            "received_at": log.received_at,
            "account_id": str(log.account_id) if log.account_id else "",
            "entity_type": log.entity_type,
            "action": log.action,
            "events": log.events_count,
            "status": log.status,
            "attempts": log.attempts,
            "tasks": log.tasks_created,
            "receive_ms": log.receive_ms,
            "processing_ms": log.processing_ms,
            "request_id": log.request_id,
            "error": (log.error or "")[:ERROR_SHOWN] or None,
            "note": (log.reason or "")[:ERROR_SHOWN] or None,
            "given_up_by": log.given_up_by,
        }
        for log in find_logs(log_filter, limit=page_size, offset=page * page_size)
    ]
    return pd.DataFrame(rows), count_logs(log_filter)


@st.cache_data(ttl=LIST_TTL, show_spinner=False)
def log_detail(log_id: int) -> dict | None:
    log = get_log(log_id)
    if log is None:
        return None
    return {**log.__data__, "tasks": reports.list_tasks_of_log(log_id)}


def retryable_failed(log_filter: LogFilter) -> list[int]:
    """Not cached: what Retry all would re-run right now (its confirmation keeps this list)."""
    return failed_log_ids(log_filter)


@st.cache_data(ttl=LIST_TTL, show_spinner=False)
def installed_webhooks(account_id: str) -> list[dict]:
    return reports.list_installed_webhooks(account_id)


@st.cache_data(ttl=LIST_TTL, show_spinner=False)
def webhook_traffic(account_id: str) -> dict:
    return reports.webhook_traffic(account_id, since_hours(KPI_HOURS))


@st.cache_data(ttl=LIST_TTL, show_spinner=False)
def children(parent_id: str) -> list[dict]:
    return list_children(parent_id)


@st.cache_data(ttl=LIST_TTL, show_spinner=False)
def sync_settings(child_id: str) -> dict:
    return get_sync_settings(child_id)


@st.cache_data(ttl=LIST_TTL, show_spinner=False)
def alert_lists() -> tuple[list[dict], list[dict]]:
    active = [alert.__data__ for alert in alerts.active_alerts()]
    recent = [alert.__data__ for alert in alerts.recent_alerts(limit=100)]
    return active, recent


def audit_trail(target: str | None = None, target_prefix: str | None = None) -> pd.DataFrame:
    """Not cached: an action's own entry must show on the rerun it causes."""
    rows = audit.recent_actions(target=target, target_prefix=target_prefix)
    columns = ["created_at", "actor", "role", "action", "target", "result"]
    return pd.DataFrame(rows, columns=[*columns, "details", "id"])[columns]


@st.cache_data(ttl=LIST_TTL, show_spinner=False)
def webhook_health(account_id: str) -> dict[str, tuple[str, list[str]]]:
    """'<entity type> <action>' → (level, reasons), judged by jobs.monitoring.health (last hour)."""
    return {h.subject: (h.level, h.reasons) for h in health.webhook_health(account_id)}


@st.cache_data(ttl=LIST_TTL, show_spinner=False)
def account_health(account_id: str) -> tuple[str, list[str]]:
    judged = health.account_health().get(account_id)
    return (judged.level, judged.reasons) if judged else ("—", ["the account is not active"])


@st.cache_data(ttl=KPI_TTL, show_spinner=False)
def verdict() -> tuple[str, list[tuple[str, str]]]:
    """The pipeline's one verdict (jobs.monitoring.health.verdict): level and reasons."""
    judged = health.verdict(runtime.redis())
    return judged.level, judged.reasons


def audit_entries(ids: list[int]) -> dict[int, dict]:
    """Not cached: a report's audit entry is written on the rerun that shows it."""
    return audit.actions_by_id(ids)


def action_reports(account_id: str | None, kinds: tuple[str, ...]) -> list[dict]:
    """Not cached: the page polls a queued report until its job finishes."""
    return action_report_store.recent_reports(account_id, kinds)
