"""Logs: find deliveries, read one (payload, error, tries, tasks), retry or give up what failed."""

from datetime import datetime

import streamlit as st

from console import data, runtime
from console.action_report_view import report_tables
from console.actions import perform, show_outcome
from console.auth import current_user
from console.colours import STATUS_COLOURS
from console.confirm import confirmed_button
from console.log_state import log_state
from console.readable import readable
from console.widgets import TIME_RANGES, account_picker, audit_trail, range_start
from jobs.queues import (
    PROCESS_WEBHOOK_TRIES,
    enqueue_webhook,
    give_up_webhook,
    retry_failed_logs,
    scheduled_retries,
)
from store.action_reports import attach_audit, create_report, finish_report
from store.logs import LogFilter

PAGE_SIZE = 50
STATUSES = ("received", "processing", "completed", "failed", "ignored", "rejected")
ALL_TIME = "All time"
REFRESH_SECONDS = 15
TABLE_COLUMNS = ["id", "received_at", "account", "entity_type", "action", "status", "state",
                 "error", "note", "attempts", "events", "tasks", "receive_ms", "processing_ms",
                 "request_id"]  # fmt: skip
SNAPSHOT_KEY = "retry_all_ids"  # the failed log ids the Retry all question named


def apply_link_filters() -> None:
    """A link from another page (?account=…&status=failed) presets the filters, once."""
    params = dict(st.query_params)
    if not params or st.session_state.get("logs_link") == params:
        return
    st.session_state["logs_link"] = params
    presets = {"account": "logs_account", "entity_type": "logs_type", "action": "logs_action",
               "search": "logs_search"}  # fmt: skip
    for param, key in presets.items():
        if params.get(param):
            st.session_state[key] = params[param]
    if params.get("status") in STATUSES:
        st.session_state["logs_statuses"] = [params["status"]]


user = current_user()
st.title("Logs")
show_outcome()
apply_link_filters()

types, actions = data.event_kinds()
types = sorted({*types, *filter(None, [st.session_state.get("logs_type")])})
actions = sorted({*actions, *filter(None, [st.session_state.get("logs_action")])})
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
    auto_refresh = st.toggle(f"Auto-refresh every {REFRESH_SECONDS} s", value=True,
                             key="logs_refresh")  # fmt: skip

log_filter = LogFilter(
    account_id=account_id,
    entity_type=entity_type,
    action=action,
    statuses=tuple(statuses),
    received_from=range_start(range_label),
    search=search or None,
)


def status_colour(status: str) -> str:
    return f"color: {STATUS_COLOURS.get(status, 'inherit')}; font-weight: 600"


def log_table():
    """This page of matching logs, newest first; the chosen row's id (or None)."""
    page = st.session_state.get("logs_page", 1)
    frame, total = data.logs_page(log_filter, PAGE_SIZE, page - 1)
    pages = max(1, -(-total // PAGE_SIZE))
    st.caption(f"{total:,} matching logs · page {min(page, pages)} of {pages:,} · "
               "select a row to open it")  # fmt: skip
    chosen = None
    if frame.empty:
        st.info("No logs match these filters.")
    else:
        accounts = data.account_list()
        names = dict(zip(accounts["id"], accounts["name"], strict=True)) if len(accounts) else {}
        retries = scheduled_retries(runtime.redis(), frame["id"].tolist())
        shown = frame.assign(
            account=frame["account_id"].map(names).fillna(frame["account_id"]),
            state=[
                log_state(r.status, r.attempts, r.given_up_by, retries.get(r.id))
                for r in frame.itertuples()
            ],
        )[TABLE_COLUMNS]
        picked = st.dataframe(
            readable(shown).style.map(status_colour, subset=["status"]),
            hide_index=True,
            width="stretch",
            on_select="rerun",
            selection_mode="single-row",
            key="logs_rows",
            column_config={"error": st.column_config.TextColumn(width="large")},
        )
        if picked is not None and picked.selection.rows:
            chosen = int(frame.iloc[picked.selection.rows[0]]["id"])
    st.number_input("Page", min_value=1, max_value=pages, value=min(page, pages), key="logs_page")
    return frame, chosen


def retry_all() -> None:
    ids = data.retryable_failed(log_filter)
    asked = st.session_state.get(SNAPSHOT_KEY) or ids
    with st.expander(f"Retry all failed logs matching this filter ({len(ids):,})"):
        st.caption("Logs given up are left alone. The question names the logs it will re-run; "
                   "logs failing after it are not added.")  # fmt: skip

        def keep_snapshot() -> None:
            st.session_state[SNAPSHOT_KEY] = ids

        if confirmed_button(
            "Retry all failed",
            f"Re-queues {len(asked):,} failed log(s) (ids {_id_range(asked)}) for another try.",
            key="retry_all",
            disabled=not ids,
            on_ask=keep_snapshot,
        ):
            confirmed = st.session_state.pop(SNAPSHOT_KEY, ids)
            made: dict[str, int] = {}

            def run() -> list[int]:
                made["report"] = create_report("retry-all", user.name)
                queued = retry_failed_logs(runtime.redis(), LogFilter(ids=tuple(confirmed)))
                rows = [{"log_id": i, "result": "re-queued" if i in queued else
                         "not failed any more"} for i in confirmed]  # fmt: skip
                outcome = f"{len(queued)} of {len(confirmed)} re-queued"
                finish_report(made["report"], {"outcome": outcome,
                              "counts": {"re-queued": len(queued)}}, rows)  # fmt: skip
                return queued

            perform(
                user,
                "retry failed logs",
                "logs",
                {"confirmed": len(confirmed), "first": min(confirmed), "last": max(confirmed)},
                run,
                lambda queued: f"{len(queued)} of {len(confirmed)} confirmed logs re-queued",
                on_audit=lambda audit_id, _: attach_audit(made["report"], audit_id),
            )
    report_tables(data.action_reports(None, ("retry-all",)), "Reports of Retry all")


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _id_range(ids: list[int]) -> str:
    if not ids:
        return "none"
    return f"#{ids[0]}" if len(ids) == 1 else f"#{min(ids)}…#{max(ids)}"


def detail(log_id: int | None) -> None:
    log = data.log_detail(log_id) if log_id else None
    if log is None:
        st.caption("Select a row of the table (or pick its id above) to open a log.")
        return
    next_try = scheduled_retries(runtime.redis(), [log["id"]]).get(log["id"])
    state = log_state(log["status"], log["attempts"], log["given_up_by"], next_try)
    status_line = f"**{state}** · {log['entity_type']} {log['action']}"
    st.markdown(f"{status_line} · {log['events_count']} events · request `{log['request_id']}`")
    if log["status"] == "failed":
        st.error(log["error"] or "failed (no error recorded)")
    elif log["status"] == "received" and log["error"]:
        st.warning(f"Last try: {log['error']}")
    if log["reason"]:
        st.info(f"Note: {log['reason']}", icon=":material/info:")  # neutral, not an error
    timing = st.columns(5)
    timing[0].metric("Receive", f"{log['receive_ms'] or 0:.1f} ms")
    timing[1].metric("Processing", f"{log['processing_ms'] or 0:.1f} ms")
    timing[2].metric("Tries", f"{log['attempts']} of {PROCESS_WEBHOOK_TRIES}")
    timing[3].metric("Tasks created", log["tasks_created"])
    timing[4].metric("HTTP answer", log["http_status"])
    st.markdown("Timeline")
    timeline = [{"try": "—", "started_at": log["received_at"], "finished_at": None,
                 "outcome": "received", "detail": f"HTTP {log['http_status']}"}]  # fmt: skip
    timeline += [
        {**entry, **{k: _moment(entry.get(k)) for k in ("started_at", "finished_at")}}
        for entry in log["tries"] or []
    ]
    if next_try:
        timeline.append({"try": log["attempts"] + 1, "started_at": next_try, "finished_at": None,
                         "outcome": "scheduled", "detail": "next try"})  # fmt: skip
    st.dataframe(readable(timeline), hide_index=True, width="stretch")
    st.markdown("Payload")
    if log["payload"] is not None:
        st.json(log["payload"], expanded=2)
    else:
        st.code(log["raw_body"] or "", language="json")
    st.markdown("Sync tasks it created")
    if log["tasks"]:
        st.dataframe(readable(log["tasks"]), hide_index=True, width="stretch")
    else:
        st.caption("None.")
    if user.can_act:
        actions_of(log)


def actions_of(log: dict) -> None:
    target = f"log:{log['id']}"
    given_up = bool(log["given_up_by"])
    left, right, _ = st.columns([1, 1, 3])
    question = st.container()  # full width, under the buttons
    if log["status"] in ("failed", "received") and not given_up:
        with left:
            if st.button(f"Retry log #{log['id']}", key=f"retry_{log['id']}"):
                perform(
                    user,
                    "retry log",
                    target,
                    {"request_id": log["request_id"], "status": log["status"]},
                    lambda: (
                        retry_failed_logs(runtime.redis(), LogFilter(ids=(log["id"],)))
                        if log["status"] == "failed"
                        else [enqueue_webhook(runtime.redis(), log["id"])]
                    ),
                    lambda queued: f"{len(queued)} job queued",
                )
    hopeless = log["status"] == "failed" or (log["status"] == "received" and log["attempts"])
    if hopeless and not given_up:
        with right:
            if confirmed_button(
                f"Give up log #{log['id']}",
                f"Stops retrying log #{log['id']} ({log['attempts']} of {PROCESS_WEBHOOK_TRIES} "
                "tries done): it stays failed, its waiting retry is removed and Retry all "
                "leaves it alone.",
                key=f"give_up_{log['id']}",
                panel=question,
            ):
                perform(
                    user,
                    "give up log",
                    target,
                    {"request_id": log["request_id"], "status": log["status"]},
                    lambda: give_up_webhook(runtime.redis(), log["id"], user.name),
                    lambda before: f"given up (was {before})" if before else "nothing to give up",
                )


@st.fragment(run_every=REFRESH_SECONDS if auto_refresh else None)
def live() -> None:
    with runtime.connected():
        frame, chosen = log_table()
        if user.can_act:
            retry_all()
        st.subheader("Log detail")
        choices = [None, *frame["id"].tolist()] if not frame.empty else [None]
        picked = st.selectbox(
            "Open a log of this page",
            choices,
            format_func=lambda i: "—" if i is None else f"#{i}",
            key="log_detail_id",
        )
        detail(chosen or picked)


live()
audit_trail("Operator actions on logs", target_prefix="log")
