"""Alerts: what is wrong now (acknowledge, resolve) and what was wrong recently."""

import pandas as pd
import streamlit as st

from console import data
from console.actions import perform, show_outcome
from console.auth import current_user
from console.held_work import held_work
from console.widgets import audit_trail
from jobs.processing.loop_detector import RULE
from store.alerts import acknowledge_alert, resolve_alert
from store.tasks import held_counts

SHOWN_ACTIVE = 50
RECENT_COLUMNS = ["id", "opened_at", "severity", "status", "rule", "subject", "message",
                  "acknowledged_by", "resolved_at", "resolved_by"]  # fmt: skip

user = current_user()
st.title("Alerts")
show_outcome()
active, recent = data.alert_lists()
held = held_counts([a["subject"] for a in active if a["rule"] == RULE])

st.subheader(f"Open alerts ({len(active)})")
if not active:
    st.success("No open alerts.")
for alert in active[:SHOWN_ACTIVE]:
    with st.container(border=True):
        icon = "🔴" if alert["severity"] == "critical" else "🟠"
        st.markdown(
            f"{icon} **{alert['rule']}** · {alert['subject']} · {alert['status']}"
            f" · opened {alert['opened_at']:%Y-%m-%d %H:%M} UTC"
            f" · last seen {alert['last_seen_at']:%H:%M}"
        )
        st.write(alert["message"])
        if alert["rule"] == RULE:
            tasks, deliveries = held.get(alert["subject"], (0, 0))
            st.markdown(f"**Held:** {tasks} task(s) from {deliveries} delivery(ies)")
        if alert["acknowledged_by"]:
            st.caption(f"acknowledged by {alert['acknowledged_by']}")
        if not user.can_act:
            continue
        left, right, _ = st.columns([1, 1, 4])
        target = f"alert:{alert['id']}"
        details = {"rule": alert["rule"], "subject": alert["subject"]}
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
            continue
        if right.button("Resolve", key=f"resolve_{alert['id']}"):
            perform(
                user,
                "resolve alert",
                target,
                details,
                lambda a=alert: resolve_alert(a["id"], by=user.name),
                lambda done: "resolved" if done else "was already resolved",
            )

st.subheader("Recent alerts")
if recent:
    st.dataframe(pd.DataFrame(recent)[RECENT_COLUMNS], hide_index=True, width="stretch")
else:
    st.caption("No alerts were ever opened.")

audit_trail("Operator actions on alerts", target_prefix="alert:")
