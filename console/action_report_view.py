"""Action reports (setup, reinstall, check, retry-all) as tables, each with its audit entry."""

import pandas as pd
import streamlit as st

from console import data
from console.readable import readable

SUMMARY_COLUMNS = ["id", "created_at", "kind", "status", "requested_by", "outcome", "result",
                   "audit_entry", "finished_at"]  # fmt: skip


def summary_table(reports: list[dict]) -> pd.DataFrame:
    """One row per report; counts as words ("15 created, 2 kept") and the audit entry's result."""
    audits = data.audit_entries([r["audit_id"] for r in reports if r["audit_id"]])
    rows = []
    for report in reports:
        summary = report["summary"] or {}
        counts = summary.get("counts") or {}
        audit = audits.get(report["audit_id"])
        rows.append(
            {
                "id": report["id"],
                "created_at": report["created_at"],
                "kind": report["kind"],
                "status": report["status"],
                "requested_by": report["requested_by"],
                "outcome": report["error"] or summary.get("outcome") or "—",
                "result": ", ".join(f"{n} {what}" for what, n in sorted(counts.items())) or "—",
                "audit_entry": f"#{audit['id']} {audit['action']}: {audit['result']}"
                if audit
                else "—",
                "finished_at": report["finished_at"],
            }
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def report_tables(reports: list[dict], title: str) -> None:
    """The reports' summary, then the newest finished one's rows."""
    st.subheader(title)
    if not reports:
        st.caption("No reports yet.")
        return
    st.dataframe(readable(summary_table(reports)), hide_index=True, width="stretch")
    finished = next((r for r in reports if r["status"] in ("done", "failed")), None)
    if finished is None:
        return
    summary = finished["summary"] or {}
    for line in [*summary.get("errors", []), *summary.get("warnings", [])]:
        st.warning(line)
    st.caption(f"Report #{finished['id']} ({finished['kind']}), row by row:")
    if finished["rows"]:
        frame = pd.DataFrame(finished["rows"])
        st.dataframe(readable(frame), hide_index=True, width="stretch")
    else:
        st.caption("No rows.")
