"""Overview: is the pipeline healthy? KPI tiles of the last 24 h and charts over a chosen range."""

import pandas as pd
import plotly.express as px
import streamlit as st

from console import data, runtime
from console.data import OUTCOMES
from console.widgets import LAST_HOUR, millis, percent, range_start, time_range

REFRESH_SECONDS = 30
LATENCY_HELP = "Last 24 h: the hourly p95 values, weighted by each hour's deliveries."

st.title("Overview")
left, right = st.columns([3, 1])
with left:
    range_label, _ = time_range("overview_range")
with right:
    auto_refresh = st.toggle(f"Auto-refresh every {REFRESH_SECONDS} s", value=True)


def kpi_tiles() -> None:
    kpi = data.kpis()
    row1 = st.columns(4)
    rollup = "From the hourly roll-up, refreshed every minute."
    row1[0].metric("Deliveries, 24 h", f"{kpi['deliveries']:,.0f}", help=rollup)
    row1[1].metric(
        "Failure rate, 24 h", percent(kpi["failure_rate"]), help=f"failed / deliveries. {rollup}"
    )
    row1[2].metric("Receive p95", millis(kpi["receive_p95"]), help=LATENCY_HELP)
    row1[3].metric("Processing p95", millis(kpi["processing_p95"]), help=LATENCY_HELP)
    row2 = st.columns(4)
    row2[0].metric(
        "Queue depth", f"{kpi['unprocessed']:,}", help=f"{kpi['rq_queued']} jobs waiting in RQ"
    )
    oldest = kpi["oldest_unprocessed_at"]
    row2[1].metric(
        "Oldest unprocessed",
        "none" if oldest is None else age(oldest),
        help="The oldest delivery whose first try has not finished (queued or running); "
        "deliveries waiting for a retry are not counted.",
    )
    row2[2].metric("Open alerts", kpi["open_alerts"])
    row2[3].metric("Sync tasks created, 24 h", f"{kpi['tasks']:,.0f}")


def age(moment) -> str:
    seconds = (pd.Timestamp.now(tz="UTC") - pd.Timestamp(moment)).total_seconds()
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def charts() -> None:
    # Recomputed on every refresh, so the window slides with the clock.
    since = range_start(range_label)
    per_minute = range_label == LAST_HOUR
    series = data.recent_series(since) if per_minute else data.chart_series(since)
    if series["failure"].empty:
        st.info("No deliveries in this time range yet.")
        return
    step = "minute" if per_minute else "hour"
    # The whole window on the x axis: a fresh system's single point is not stretched to fill it.
    window = [since, pd.Timestamp.now(tz="UTC")]
    failure = series["failure"].assign(failure_rate=lambda f: f["failure_rate"].astype(float) * 100)
    chart = px.line(
        failure, x="time", y="failure_rate", markers=True, title=f"Failure rate per {step}, %",
        labels={"failure_rate": "failed, %", "time": ""},
    )  # fmt: skip
    chart.add_hline(y=5, line_dash="dot", annotation_text="KPI 5 %")
    st.plotly_chart(chart.update_xaxes(range=window), width="stretch")
    latency = series["latency"].melt(id_vars="time", var_name="percentile", value_name="ms")
    for stage in ("receive", "processing"):
        part = latency[latency["percentile"].str.startswith(stage)]
        title = f"{stage.capitalize()} latency p50 / p95 / p99 per {step}, ms"
        chart = px.line(part, x="time", y="ms", color="percentile", markers=True, title=title)
        st.plotly_chart(chart.update_xaxes(title=None, range=window), width="stretch")
    left, right = st.columns(2)
    throughput = px.bar(
        series["throughput"], x="entity_type", y="deliveries", color="action",
        title="Throughput by entity type and action",
    )  # fmt: skip
    left.plotly_chart(throughput, width="stretch")
    summary = series["summary"]
    mix = pd.DataFrame({"status": OUTCOMES, "deliveries": [summary[s] for s in OUTCOMES]})
    right.plotly_chart(
        px.pie(mix, names="status", values="deliveries", title="Status mix"), width="stretch"
    )


@st.fragment(run_every=REFRESH_SECONDS if auto_refresh else None)
def live_view() -> None:
    with runtime.connected():
        kpi_tiles()
        charts()


live_view()
