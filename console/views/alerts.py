"""Alerts: what is wrong now (acknowledge, resolve with a note) and what was wrong recently."""

import pandas as pd
import streamlit as st

from console import data, runtime
from console.actions import perform, show_outcome
from console.auth import current_user
from console.colours import SEVERITY_COLOURS, SEVERITY_HEX
from console.held_work import held_work
from console.readable import local, readable, time_zone_label
from console.subjects import describe_subject
from console.widgets import audit_trail, logs_link
from jobs.processing.loop_detector import RULE
from store.alerts import acknowledge_alert, resolve_alert
from store.tasks import held_counts

SHOWN_ACTIVE = 50
REFRESH_SECONDS = 30
RECENT_COLUMNS = ["id", "opened_at", "severity", "status", "rule", "subject", "message",
                  "acknowledged_by", "resolved_at", "resolved_by", "resolution_note"]  # fmt: skip

user = current_user()
st.title("Alerts")
show_outcome()
auto_refresh = st.toggle(f"Auto-refresh every {REFRESH_SECONDS} s", value=True,
                         key="alerts_refresh")  # fmt: skip


def severity_badge(severity: str) -> str:
    """Text and colour (an emoji alone renders as an empty box in some browsers)."""
    return f":{SEVERITY_COLOURS.get(severity, 'gray')}-badge[{severity.upper()}]"


def open_alert_card(alert: dict, names: dict, held: dict) -> None:
    subject, filters = describe_subject(alert["rule"], alert["subject"], names)
    with st.container(border=True):
        st.markdown(
            f"{severity_badge(alert['severity'])} **{alert['rule']}** · {subject}"
            f" · {alert['status']} · opened {local(alert['opened_at'], '%Y-%m-%d %H:%M')}"
            f" {time_zone_label()} · last seen {local(alert['last_seen_at'], '%H:%M')}"
        )
        st.write(alert["message"])
        if alert["rule"] == RULE:
            tasks, deliveries = held.get(alert["subject"], (0, 0))
            st.markdown(f"**Held:** {tasks} task(s) from {deliveries} delivery(ies)")
        if alert["acknowledged_by"]:
            st.caption(f"acknowledged by {alert['acknowledged_by']}")
        logs_link(f"Logs of {subject}", **filters)
        if user.can_act:
            alert_actions(alert, held)


def alert_actions(alert: dict, held: dict) -> None:
    target = f"alert:{alert['id']}"
    details = {"rule": alert["rule"], "subject": alert["subject"]}
    left, right, _ = st.columns([1, 1, 4])
    if alert["status"] == "open" and left.button("Acknowledge", key=f"ack_{alert['id']}"):
        perform(
            user,
            "acknowledge alert",
            target,
            details,
            lambda a=alert: acknowledge_alert(a["id"], by=user.name),
            lambda done: "acknowledged" if done else "was no longer open",
        )
    if alert["rule"] == RULE:
        held_work(user, alert, held.get(alert["subject"], (0, 0)), target, details)
        return
    note = st.text_input(
        "Note on resolve (optional)", key=f"note_{alert['id']}",
        placeholder="what was done, e.g. reinstalled the webhooks",
    )  # fmt: skip
    if right.button("Resolve", key=f"resolve_{alert['id']}"):
        perform(
            user,
            "resolve alert",
            target,
            {**details, "note": note.strip() or None},
            lambda a=alert: resolve_alert(a["id"], by=user.name, note=note.strip() or None),
            lambda done: "resolved" if done else "was already resolved",
        )


@st.fragment(run_every=REFRESH_SECONDS if auto_refresh else None)
def live() -> None:
    with runtime.connected():
        active, recent = data.alert_lists()
        accounts = data.account_list()
        names = dict(zip(accounts["id"], accounts["name"], strict=True)) if len(accounts) else {}
        held = held_counts([a["subject"] for a in active if a["rule"] == RULE])
        st.subheader(f"Open alerts ({len(active)})")
        if not active:
            st.success("No open alerts.")
        for alert in active[:SHOWN_ACTIVE]:
            open_alert_card(alert, names, held)
        st.subheader("Recent alerts")
        if not recent:
            st.caption("No alerts were ever opened.")
            return
        frame = pd.DataFrame(recent)[RECENT_COLUMNS]
        pairs = zip(frame["rule"], frame["subject"], strict=True)
        frame["subject"] = [describe_subject(rule, subject, names)[0] for rule, subject in pairs]
        st.dataframe(
            readable(frame).style.map(
                lambda s: f"color: {SEVERITY_HEX.get(s, 'inherit')}; font-weight: 600",
                subset=["severity"],
            ),
            hide_index=True,
            width="stretch",
        )


live()
audit_trail("Operator actions on alerts", target_prefix="alert:")
