"""The verdict at the top of every page: healthy / degraded / down, and why."""

import streamlit as st

from console import data
from console.colours import VERDICT_COLOURS

SHOWN_REASONS = 20


def verdict_banner() -> None:
    level, reasons = data.verdict()
    colour = VERDICT_COLOURS[level]
    first = f" — {reasons[0][1]}" if reasons else " — every check passes"
    more = f" (+{len(reasons) - 1} more)" if len(reasons) > 1 else ""
    st.markdown(f":{colour}-badge[**Pipeline: {level.upper()}**]{first}{more}")
    if len(reasons) > 1:
        with st.expander(f"Why {level}: {len(reasons)} reason(s)"):
            for severity, why in reasons[:SHOWN_REASONS]:
                st.markdown(f"- :{VERDICT_COLOURS[severity]}-badge[{severity}] {why}")
