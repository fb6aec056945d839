"""The Sync page's reads: reports on sync_queue, cached briefly, and — for the comparisons —
read-only GETs of entities in МойСклад through the jobs' client (the shared rate limiter and the
loop-guard header apply). A read for display goes direct: it changes nothing, and a job round
trip would only make the operator wait; every write stays a queued job."""

from datetime import datetime

import pandas as pd
import streamlit as st

from console import runtime
from jobs.monitoring.executor_health import executor_findings
from jobs.moysklad.errors import MoySkladError
from jobs.moysklad.factory import client_for_account
from store import sync_entities, sync_latency, sync_reports, sync_retries
from store.crypto import TokenError
from store.sync_reports import STATUSES, TaskFilter

SYNC_TTL = 10  # seconds
MOYSKLAD_TTL = 30  # a comparison re-reads МойСклад at most this often
EXPAND = "productFolder,uom,country"  # references shown by name across accounts


@st.cache_data(ttl=SYNC_TTL, show_spinner=False)
def status_table(since: datetime) -> pd.DataFrame:
    """A row per target: its mode, tasks per status (completed and cancelled: finished since
    `since`), due tasks and lag (seconds)."""
    table: dict[str, dict] = {}
    for row in sync_reports.tasks_by_status(finished_since=since):
        entry = table.setdefault(
            row["target_account_id"],
            {"target": row["name"] or row["target_account_id"], "mode": row["sync_mode"]}
            | dict.fromkeys(STATUSES, 0),
        )
        entry[row["status"]] = row["tasks"]
    for entry in table.values():
        entry |= {"due": 0, "lag": "—"}
    for row in sync_reports.lag_by_target():
        entry = table.get(row["target_account_id"])
        if entry is not None:
            entry |= {"due": row["due"], "lag": f"{row['lag_seconds']:.1f} s"}
    return pd.DataFrame(list(table.values()), columns=["target", "mode", *STATUSES, "due", "lag"])


@st.cache_data(ttl=SYNC_TTL, show_spinner=False)
def executor_health() -> list[tuple[str, str]]:
    """(severity, reason) of everything that makes the executor degraded or down now."""
    return [tuple(finding) for finding in executor_findings(redis=runtime.redis())]


@st.cache_data(ttl=SYNC_TTL, show_spinner=False)
def tiles(since: datetime) -> dict:
    return {
        **sync_latency.summarize_sync(since),
        "lag": sync_reports.overall_lag(),
        "due": sum(r["due"] for r in sync_reports.lag_by_target() if r["sync_mode"] != "off"),
        "failed_now": sync_reports.count_failed(),
    }


@st.cache_data(ttl=SYNC_TTL, show_spinner=False)
def series(since: datetime, bucket: str, applied_mode: str | None) -> pd.DataFrame:
    return pd.DataFrame(sync_latency.sync_series(since, bucket, applied_mode=applied_mode))


@st.cache_data(ttl=SYNC_TTL, show_spinner=False)
def failed(task_filter: TaskFilter, limit: int) -> tuple[list[dict], int, tuple[int, int]]:
    """The newest failed tasks, how many match, and (would re-queue, would stay failed)."""
    return (
        sync_reports.failed_tasks(task_filter, limit),
        sync_reports.count_failed(task_filter),
        sync_retries.count_requeueable(task_filter),
    )


@st.cache_data(ttl=SYNC_TTL, show_spinner=False)
def shadow_requests(target_account_id: str) -> list[dict]:
    return sync_entities.shadow_requests(target_account_id)


@st.cache_data(ttl=SYNC_TTL, show_spinner=False)
def child_entity_ids(child_id: str, entity_type: str, main_ids: tuple[str, ...]) -> dict:
    return sync_entities.child_entity_ids(child_id, entity_type, list(main_ids))


@st.cache_data(ttl=SYNC_TTL, show_spinner=False)
def recent_entities(main_account_id: str) -> list[tuple[str, str]]:
    return sync_entities.recent_entities(main_account_id)


@st.cache_data(ttl=SYNC_TTL, show_spinner=False)
def entity_copies(main_account_id: str, entity_type: str, entity_id: str) -> list[dict]:
    return sync_entities.entity_copies(main_account_id, entity_type, entity_id)


@st.cache_data(ttl=MOYSKLAD_TTL, show_spinner=False)
def read_entities(
    account_id: str, entity_type: str, ids: tuple[str, ...], expand: str | None = None
) -> tuple[dict[str, dict], str | None]:
    """{id: entity} of those that exist in the account now, or the error МойСклад gave."""
    if not ids:
        return {}, None
    try:
        client = client_for_account(runtime.context(), account_id)
        rows = client.get_entities(entity_type, list(ids), expand=expand)
    except (MoySkladError, TokenError) as exc:
        return {}, f"МойСклад could not be read: {exc}"
    return {row["id"]: row for row in rows}, None
