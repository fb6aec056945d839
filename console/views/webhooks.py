"""Webhooks: per account, what should be installed against what is, their health and traffic;
set up, reinstall or check now (RQ jobs whose reports are kept and shown here)."""

import streamlit as st

from console import data, runtime
from console.action_report_view import report_tables
from console.actions import perform, show_outcome
from console.auth import current_user
from console.confirm import confirmed_button
from console.readable import readable
from console.webhook_table import webhook_overview
from console.widgets import account_picker, audit_trail, logs_link
from jobs.lifecycle.webhook_sets import wanted_pairs
from jobs.queues import enqueue_reported_setup
from store.action_reports import attach_audit, attach_job, create_report

POLL_SECONDS = 2
# The health reason in full; the two counters say what each counts (they differ by design).
WEBHOOK_COLUMNS = {
    "health": st.column_config.TextColumn(width="large"),
    "deliveries_24h": st.column_config.NumberColumn(
        help="Deliveries logged in the last 24 h (webhook_logs)"
    ),
    "received_since_install": st.column_config.NumberColumn(
        help="Every delivery since setup installed it (the webhooks row's counter, flushed "
        "every 30 s): not the same window as deliveries_24h"
    ),
}
LIFECYCLE_KINDS = ("setup", "reinstall", "check")

user = current_user()
st.title("Webhooks")
show_outcome()
accounts = data.account_list()
if accounts.empty:
    st.info("No accounts yet: add one with `python -m scripts.accounts add`.")
    st.stop()
account_id = account_picker(key="webhooks_account")
account = accounts[accounts["id"] == account_id].iloc[0]
target = f"webhooks:{account_id}"

table = webhook_overview(account_id, account["account_type"])
installed = int(table["installed"].sum()) if not table.empty else 0
desired = int(table["desired"].sum()) if not table.empty else 0
tiles = st.columns(4)
tiles[0].metric("Desired", desired)
tiles[1].metric("Installed", installed)
tiles[2].metric("Missing", int((table["desired"] & ~table["installed"]).sum()) if desired else 0)
level, reasons = data.account_health(account_id)
tiles[3].metric("Account health", level)
if reasons:
    # A warning box either way: st.error is kept for the console's own failures.
    icon = ":material/error:" if level == "critical" else ":material/warning:"
    st.warning("\n".join(f"- {r}" for r in reasons), icon=icon)
if not account["webhooks_enabled"]:
    st.warning("Webhooks are switched off for this account (Accounts page).")
if table.empty:
    st.info("No webhooks desired or installed: the account has no type yet (Accounts page).")
else:
    picked = st.dataframe(
        readable(table),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=f"webhook_rows_{account_id}",
        column_config=WEBHOOK_COLUMNS,
    )
    rows = picked.selection.rows if picked is not None else []
    links = st.columns(3)
    with links[0]:
        logs_link("Logs of this account", account=account_id)
    with links[1]:
        logs_link("Its failed logs", account=account_id, status="failed")
    if rows:
        row = table.iloc[rows[0]]
        with links[2]:
            logs_link(
                f"Logs of {row['entity_type']} {row['action']}",
                account=account_id,
                entity_type=row["entity_type"],
                action=row["action"],
            )
    else:
        links[2].caption("Select a row for its logs.")


def start(mode: str) -> None:
    def run() -> int:
        report_id = create_report(mode, user.name, account_id)
        attach_job(report_id, enqueue_reported_setup(runtime.redis(), report_id))
        return report_id

    perform(
        user,
        f"webhooks {mode}",
        target,
        {"mode": mode},
        run,
        lambda report_id: f"report #{report_id} queued",
        on_audit=lambda audit_id, report_id: attach_audit(report_id, audit_id),
    )


if user.can_act:
    wanted = len(wanted_pairs(account["account_type"]))
    name = account["name"]
    left, middle, right, _ = st.columns([1, 1, 1, 2])
    question = st.container()  # full width, under the buttons
    with left:
        if st.button("Check now", key=f"check_{account_id}",
                     help="Compare with МойСклад without changing anything"):  # fmt: skip
            start("check")
    with middle:
        if confirmed_button(
            "Set up",
            f"Fixes {name}'s webhooks in МойСклад: creates the missing, re-enables the disabled, "
            f"deletes ours that its type does not want ({wanted} wanted).",
            key=f"setup_{account_id}",
            panel=question,
        ):
            start("setup")
    with right:
        if confirmed_button(
            "Reinstall",
            f"Deletes our {installed} webhook(s) of {name} in МойСклад and creates the "
            f"{wanted} wanted again. Changes made in МойСклад in between are not delivered.",
            key=f"reinstall_{account_id}",
            panel=question,
        ):
            start("reinstall")


def _unfinished(shown: list[dict]) -> bool:
    return any(r["status"] in ("queued", "running") for r in shown)


@st.fragment(
    run_every=POLL_SECONDS
    if _unfinished(data.action_reports(account_id, LIFECYCLE_KINDS))
    else None
)
def reports() -> None:
    with runtime.connected():
        shown = data.action_reports(account_id, LIFECYCLE_KINDS)
        report_tables(shown, "Reports of set up, reinstall and check")
    if st.session_state.get("reports_polling") and not _unfinished(shown):
        st.session_state["reports_polling"] = False
        st.rerun()  # the job finished: the whole page shows its effects (and stops polling)
    st.session_state["reports_polling"] = _unfinished(shown)


reports()
audit_trail("Operator actions on these webhooks", target=target)
