"""Buttons that ask first: the first click names what will happen, Confirm does it, Cancel not."""

from collections.abc import Callable

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

PENDING = "confirm_pending_"  # session key prefix: the button waiting for its confirmation


def confirmed_button(
    label: str,
    consequence: str,
    key: str,
    disabled: bool = False,
    help: str | None = None,
    on_ask: Callable[[], None] | None = None,
    panel: DeltaGenerator | None = None,
) -> bool:
    """True on the run where the operator confirmed `label`; `key` must be unique per subject
    (per account, per log) so one subject's pending question never shows on another's.
    `on_ask` runs at the first click (to keep what the question is about, e.g. a list of ids);
    `panel` is where the question shows (a full-width place when the button sits in a column)."""
    pending = PENDING + key
    if not st.session_state.get(pending):
        if st.button(label, key=key, disabled=disabled, help=help):
            if on_ask is not None:
                on_ask()
            st.session_state[pending] = True
            st.rerun()
        return False
    with (panel or st).container(border=True):
        st.warning(f"**{label}?** {consequence}", icon=":material/help:")
        yes, no, _ = st.columns([2, 1, 3])
        if yes.button(f"Confirm: {label}", key=f"{key}_confirm", type="primary"):
            st.session_state.pop(pending, None)
            return True
        if no.button("Cancel", key=f"{key}_cancel"):
            st.session_state.pop(pending, None)
            st.rerun()
    return False
