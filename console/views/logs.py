"""Logs: find deliveries, read one (payload, error, timings, tasks), retry what failed."""

import streamlit as st

from console import data, runtime
from console.actions import perform, show_outcome
from console.auth import current_user
from console.widgets import TIME_RANGES, account_picker, audit_trail, range_start
from jobs.queues import enqueue_webhook, retry_failed_logs
from store.logs import LogFilter

PAGE_SIZE = 50
STATUSES = ("received", "processing", "completed", "failed", "ignored", "rejected")
ALL_TIME = "All time"

user = current_user()
st.title("Logs")
show_outcome()

types, actions = data.event_kinds()
with st.container(border=True):
    row = st.columns([2, 1, 1, 2, 1])
    with row[0]:
        account_id = account_picker(key="logs_account", allow_all=True)
    entity_type = row[1].selectbox(
        "Entity type", [None, *types], format_func=lambda v: v or "All", key="logs_type"
    )
    action = row[2].selectbox(
        "Action", [None, *actions], format_func=lambda v: v or "All", key="logs_action"
    )
    statuses = row[3].multiselect("Status", STATUSES, key="logs_statuses")
    range_label = row[4].selectbox("Received", [*TIME_RANGES, ALL_TIME], index=2, key="logs_range")
    search = st.text_input(
        "Search by requestId or entity id", placeholder="exact id", key="logs_search"
    ).strip()

log_filter = LogFilter(
    account_id=account_id,
    entity_type=entity_type,
    action=action,
    statuses=tuple(statuses),
    received_from=range_start(range_label),
    search=search or None,
)

page = st.session_state.get("logs_page", 1)
frame, total = data.logs_page(log_filter, PAGE_SIZE, page - 1)
pages = max(1, -(-total // PAGE_SIZE))
st.caption(f"{total:,} matching logs · page {min(page, pages)} of {pages:,}")
if frame.empty:
    st.info("No logs match these filters.")
else:
    accounts = data.account_list()
    names = dict(zip(accounts["id"], accounts["name"], strict=True)) if not accounts.empty else {}
    shown = frame.assign(account=frame["account_id"].map(names).fillna(frame["account_id"]))
    order = ["id", "received_at", "account"]
    order += [c for c in frame.columns if c not in (*order, "account_id")]
    st.dataframe(shown[order], hide_index=True, width="stretch")
st.number_input("Page", min_value=1, max_value=pages, value=min(page, pages), key="logs_page")

failed_count = total if statuses == ["failed"] else None
if user.can_act:
    with st.expander("Retry all failed logs matching this filter"):
        if failed_count is None:
            failed_count = data.logs_page(
                LogFilter(**{**log_filter.__dict__, "statuses": ("failed",)}), 1, 0
            )[1]
        confirmed = st.checkbox(f"Yes, re-run {failed_count:,} failed logs", key="confirm_retry")
        if st.button("Retry all failed", disabled=not (confirmed and failed_count)):
            perform(
                user,
                "retry failed logs",
                "logs",
                {"filter": {k: str(v) for k, v in log_filter.__dict__.items() if v}},
                lambda: retry_failed_logs(runtime.redis(), log_filter),
                lambda ids: f"{len(ids)} logs re-queued",
            )

st.subheader("Log detail")
choices = [None, *frame["id"].tolist()] if not frame.empty else [None]
log_id = st.selectbox(
    "Open a log of this page",
    choices,
    format_func=lambda i: "—" if i is None else f"#{i}",
    key="log_detail_id",
)
log = data.log_detail(log_id) if log_id else None
if log is not None:
    status_line = f"**{log['status']}** · {log['entity_type']} {log['action']}"
    st.markdown(f"{status_line} · {log['events_count']} events · request `{log['request_id']}`")
    if log["error"] or log["reason"]:
        st.error(log["error"] or log["reason"])
    timing = st.columns(5)
    timing[0].metric("Receive", f"{log['receive_ms'] or 0:.1f} ms")
    timing[1].metric("Processing", f"{log['processing_ms'] or 0:.1f} ms")
    timing[2].metric("Attempts", log["attempts"])
    timing[3].metric("Tasks created", log["tasks_created"])
    timing[4].metric("HTTP answer", log["http_status"])
    st.caption(
        f"received {log['received_at']} · started {log['started_at'] or '—'}"
        f" · finished {log['finished_at'] or '—'}"
    )
    st.markdown("Payload")
    if log["payload"] is not None:
        st.json(log["payload"], expanded=2)
    else:
        st.code(log["raw_body"] or "", language="json")
    st.markdown("Sync tasks it created")
    if log["tasks"]:
        st.dataframe(log["tasks"], hide_index=True, width="stretch")
    else:
        st.caption("None.")
    retryable = log["status"] in ("failed", "received")
    if user.can_act and retryable and st.button(f"Retry log #{log['id']}"):
        perform(
            user,
            "retry log",
            f"log:{log['id']}",
            {"request_id": log["request_id"], "status": log["status"]},
            lambda: (
                retry_failed_logs(runtime.redis(), LogFilter(search=log["request_id"]))
                if log["status"] == "failed"
                else [enqueue_webhook(runtime.redis(), log["id"])]
            ),
            lambda queued: f"{len(queued)} job queued",
        )

audit_trail("Operator actions on logs", target_prefix="log")
