"""Small pieces several pages share: time range, account picker, the audit trail."""

from datetime import datetime

import streamlit as st

from console import data

LAST_HOUR = "Last hour, per minute"
TIME_RANGES = {
    LAST_HOUR: 1,
    "Last 6 hours": 6,
    "Last 24 hours": 24,
    "Last 7 days": 24 * 7,
    "Last 30 days": 24 * 30,
}


def time_range(key: str, default: str = LAST_HOUR) -> tuple[str, datetime]:
    """The chosen label and the start of the range (minute-aligned for the last hour)."""
    labels = list(TIME_RANGES)
    label = st.selectbox("Time range", labels, index=labels.index(default), key=key)
    return label, range_start(label)


def range_start(label: str) -> datetime | None:
    """Where a range label starts; None for a label that is not a range (all time)."""
    if label == LAST_HOUR:
        return data.since_minutes(60)
    return data.since_hours(TIME_RANGES[label]) if label in TIME_RANGES else None


def account_picker(
    label: str = "Account", key: str = "account", allow_all: bool = False, types=None
) -> str | None:
    """An account id chosen by name (None = all, when allowed, or when there are none)."""
    frame = data.account_list()
    if types is not None and not frame.empty:
        frame = frame[frame["account_type"].isin(types)]
    options = ([None] if allow_all else []) + list(frame["id"]) if not frame.empty else [None]
    names = dict(zip(frame["id"], frame["name"], strict=True)) if not frame.empty else {}
    types_by_id = dict(zip(frame["id"], frame["account_type"], strict=True)) if names else {}
    return st.selectbox(
        label,
        options,
        key=key,
        format_func=lambda account_id: (
            "All accounts"
            if account_id is None
            else labelled(names[account_id], types_by_id[account_id])
        ),
    )


def labelled(name: str, account_type: str | None) -> str:
    """ "Shop (main)" — once, even when the name already says it."""
    suffix = f"({account_type or 'no type'})"
    return name if name.endswith(suffix) else f"{name} {suffix}"


def audit_trail(title: str, target: str | None = None, target_prefix: str | None = None) -> None:
    """The operator actions on what this page shows, newest first."""
    with st.expander(title, expanded=False):
        frame = data.audit_trail(target=target, target_prefix=target_prefix)
        if frame.empty:
            st.caption("No operator actions yet.")
        else:
            st.dataframe(frame, hide_index=True, width="stretch")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def millis(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} ms"


LOGS_PAGE = "views/logs.py"


def logs_link(label: str, **filters: str) -> None:
    """A link to the Logs page filtered by account, entity_type, action, status or search; it
    stays in this session (a plain URL would open a new, signed-out one)."""
    st.page_link(
        LOGS_PAGE,
        label=label,
        icon=":material/list_alt:",
        query_params={k: v for k, v in filters.items() if v},
    )
