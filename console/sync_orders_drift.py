"""The Sync page's orders and drift: the children's orders copied into main (live), recorded
(shadow) or waiting for a position's mapping with the reason; what the last verify of each child
found, by kind, and what it queued to repair it."""

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from console.readable import readable
from store import order_reports, verify_runs

REPORT_TTL = 10  # seconds
WAITING_SHOWN = 50
KINDS = ("base", "prices", "attributes", "references", "child_gone", "main_gone")
ORDER_COLUMNS = {
    "child_name": "child",
    "copied": "copied to main",
    "shadow": "recorded (shadow)",
    "waiting_for_mapping": "waiting for a mapping",
    "pending": "pending",
    "failed": "failed",
    "cancelled": "cancelled",
}
WAITING_COLUMNS = {
    "task_id": "task",
    "child_name": "child",
    "order_type": "order type",
    "order_id": "child order",
    "reason": "reason",
    "waiting_since": "waiting since",
    "next_look": "next look",
}


@st.cache_data(ttl=REPORT_TTL, show_spinner=False)
def _orders(since: datetime) -> tuple[list[dict], list[dict]]:
    return order_reports.orders_by_child(since), order_reports.waiting_orders(WAITING_SHOWN)


@st.cache_data(ttl=REPORT_TTL, show_spinner=False)
def _drift(since: datetime) -> tuple[list[dict], dict[str, int]]:
    return verify_runs.latest_verify_runs(), verify_runs.repairs_applied(since)


def orders_and_drift(since: datetime | None) -> None:
    since = since or datetime.min.replace(tzinfo=UTC)
    orders(since)
    drift(since)


def orders(since: datetime) -> None:
    st.subheader("Children's orders in main")
    by_child, waiting = _orders(since)
    if not by_child:
        st.info("No child's order was copied, recorded or is waiting in this time range.")
        return
    frame = pd.DataFrame(by_child)
    frame["child_name"] = frame["child_name"].fillna(frame["child_account_id"])
    st.dataframe(
        readable(frame[list(ORDER_COLUMNS)].rename(columns=ORDER_COLUMNS)),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        "Copied and recorded: order tasks applied in the chosen range (a copy made or updated in "
        "main; in shadow, the request it would send). Waiting, pending and failed: now. An "
        "order with a position that has no mapping waits — it is never sent short — and goes on "
        "once the mapping exists, or an operator sends it without those positions "
        "(`python -m scripts.sync send-without-unmapped TASK_ID`). Waiting never counts toward "
        "SYNC_MAX_ATTEMPTS."
    )
    if waiting:
        st.markdown(f"**Waiting for a mapping** — the oldest {min(len(waiting), WAITING_SHOWN)}")
        shown = pd.DataFrame(waiting)
        shown["child_name"] = shown["child_name"].fillna(shown["child_account_id"])
        st.dataframe(
            readable(shown[list(WAITING_COLUMNS)].rename(columns=WAITING_COLUMNS)),
            hide_index=True,
            width="stretch",
        )


def drift(since: datetime) -> None:
    st.subheader("Drift found by verify")
    runs, repaired = _drift(since)
    if not runs:
        st.info(
            "No child verified yet: the nightly verify (periodic-verify) or "
            "`python -m scripts.sync verify --child ID [--repair]` fills this in."
        )
        return
    rows = []
    for run in runs:
        row = {
            "child": run["child_name"] or run["child_account_id"],
            "verified at": run["finished_at"],
            "checked": run["checked"],
            "not compared (unchanged)": run["unchanged"],
            "different": run["different"],
        }
        row |= {kind: run["by_kind"].get(kind, 0) for kind in KINDS}
        row |= {
            "repair": "yes" if run["repair"] else "report only",
            "tasks queued": run["tasks_written"] + run["tasks_merged"],
            "mappings dropped": run["mappings_dropped"],
            "repairs applied in the range": repaired.get(run["child_account_id"], 0),
            "alert": run["alert"],
        }
        rows.append(row)
    st.dataframe(readable(rows), hide_index=True, width="stretch")
    st.caption(
        "The newest verify of each child: entities whose synced fields differ between main and "
        "the child (a hand edit, a missed webhook), by kind; broken pairs are child_gone / "
        "main_gone. With repair the fixing tasks are queued (origin verify); more differences "
        "than the child's drift threshold open a sync_drift alert."
    )
    examples = [
        {"child": run["child_name"] or run["child_account_id"], "entity type": d["entity_type"],
         "main entity": d["main_id"], "fields": ", ".join(
             f"{field or 'pair'}: {kind}" for field, kind in d["fields"].items())}
        for run in runs for d in run["differences"]
    ]  # fmt: skip
    if examples:
        with st.expander(f"Differences of the newest runs ({len(examples)})"):
            st.dataframe(readable(examples), hide_index=True, width="stretch")
