"""Overview: is the pipeline healthy? Tiles and charts of one window, from one source."""

import pandas as pd
import plotly.express as px
import streamlit as st

from console import data, runtime
from console.colours import (
    ACTION_COLOURS,
    PERCENTILE_COLOURS,
    STATUS_COLOURS,
    THRESHOLD_COLOUR,
)
from console.data import OUTCOMES, UNFINISHED
from console.defaults import PROCESSING_P95_TARGET_MS
from console.readable import time_zone, time_zone_label
from console.widgets import LAST_HOUR, millis, percent, range_start, time_range
from jobs import defaults

REFRESH_SECONDS = 30
REJECTED_NOTE = (
    "rejected: every refused request, МойСклад's re-sends of it included (it sends a refused "
    "delivery up to 3 more times); unfinished: queued, retrying or running."
)
MIX_COLOURS = {**STATUS_COLOURS, UNFINISHED: STATUS_COLOURS["received"]}

st.title("Overview")
left, right = st.columns([3, 1])
with left:
    range_label, _ = time_range("overview_range")
with right:
    auto_refresh = st.toggle(f"Auto-refresh every {REFRESH_SECONDS} s", value=True)


def window_tiles(series: dict, label: str) -> None:
    summary = series["summary"]
    source = f"From {series['source']}: the same numbers as the charts below."
    span = label.split(",")[0].lower()
    row1 = st.columns(4)
    row1[0].metric(f"Deliveries, {span}", f"{summary['deliveries'] or 0:,.0f}", help=source)
    row1[1].metric(f"Failure rate, {span}", percent(summary["failure_rate"]),
                   help=f"failed / deliveries. {source}")  # fmt: skip
    row1[2].metric(f"Receive p95, {span}", millis(summary["receive_p95"]), help=source)
    row1[3].metric(f"Processing p95, {span}", millis(summary["processing_p95"]), help=source)


def now_tiles() -> None:
    kpi = data.now_tiles()
    row2 = st.columns(4)
    row2[0].metric("Queue depth now", f"{kpi['unprocessed']:,}",
                   help=f"{kpi['rq_queued']} jobs waiting in RQ")  # fmt: skip
    oldest = kpi["oldest_unprocessed_at"]
    row2[1].metric(
        "Oldest unprocessed",
        "none" if oldest is None else age(oldest),
        help="The oldest delivery whose first try has not finished (queued or running); "
        "deliveries waiting for a retry are not counted.",
    )
    row2[2].metric("Open alerts", kpi["open_alerts"])


def age(moment) -> str:
    seconds = (pd.Timestamp.now(tz="UTC") - pd.Timestamp(moment)).total_seconds()
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def localised(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(time=pd.to_datetime(frame["time"], utc=True).dt.tz_convert(time_zone()))


def threshold(chart, y: float, text: str):
    return chart.add_hline(y=y, line_dash="dot", line_color=THRESHOLD_COLOUR,
                           annotation_text=text, annotation_position="top left")  # fmt: skip


def charts(series: dict, since, step: str) -> None:
    window = [pd.Timestamp(since).tz_convert(time_zone()), pd.Timestamp.now(tz=time_zone())]
    axis = f"time ({time_zone_label()})"
    outcomes = localised(series["outcomes"])
    chart = px.bar(
        outcomes, x="time", y="deliveries", color="status", title=f"Deliveries per {step}",
        color_discrete_map=MIX_COLOURS, category_orders={"status": [*OUTCOMES, UNFINISHED]},
        labels={"time": axis},
    )  # fmt: skip
    st.plotly_chart(chart.update_xaxes(range=window).update_yaxes(rangemode="tozero"),
                    width="stretch", key="chart_deliveries")  # fmt: skip
    st.caption(REJECTED_NOTE)
    failure = localised(series["failure"]).assign(
        failure_rate=lambda f: f["failure_rate"].astype(float) * 100
    )
    chart = px.line(
        failure, x="time", y="failure_rate", markers=True, title=f"Failure rate per {step}, %",
        labels={"failure_rate": "failed, %", "time": axis},
        color_discrete_sequence=[STATUS_COLOURS["failed"]],
    )  # fmt: skip
    threshold(chart, defaults.FAILURE_RATE_WARNING * 100, "warning 5 %")
    threshold(chart, defaults.FAILURE_RATE_CRITICAL * 100, "critical 10 %")
    top = max(12.0, float(failure["failure_rate"].max() or 0) * 1.1)
    st.plotly_chart(chart.update_xaxes(range=window).update_yaxes(range=[0, top]),
                    width="stretch", key="chart_failure")  # fmt: skip
    latency_charts(series["latency"], window, axis, step)
    left, right = st.columns(2)
    throughput = px.bar(
        series["throughput"], x="entity_type", y="deliveries", color="action",
        title="Throughput by entity type and action", color_discrete_map=ACTION_COLOURS,
    )  # fmt: skip
    left.plotly_chart(throughput.update_yaxes(rangemode="tozero"), width="stretch",
                      key="chart_throughput")  # fmt: skip
    mix = outcomes.groupby("status", as_index=False)["deliveries"].sum()
    right.plotly_chart(
        px.pie(mix, names="status", values="deliveries", title="Status mix",
               color="status", color_discrete_map=MIX_COLOURS),
        width="stretch", key="chart_mix",
    )  # fmt: skip


def latency_charts(latency: pd.DataFrame, window, axis: str, step: str) -> None:
    melted = localised(latency).melt(id_vars="time", var_name="percentile", value_name="ms")
    limits = {
        "receive": (defaults.RECEIVE_P95_WARNING_MS, "alert: p95 100 ms"),
        "processing": (PROCESSING_P95_TARGET_MS, "target: p95 1 s"),
    }
    for stage in ("receive", "processing"):
        part = melted[melted["percentile"].str.startswith(stage)].assign(
            percentile=lambda f, s=stage: f["percentile"].str.removeprefix(f"{s}_")
        )
        title = f"{stage.capitalize()} latency p50 / p95 / p99 per {step}, ms"
        chart = px.line(
            part, x="time", y="ms", color="percentile", markers=True, title=title,
            color_discrete_map=PERCENTILE_COLOURS, labels={"time": axis},
        )  # fmt: skip
        threshold(chart, *limits[stage])
        st.plotly_chart(chart.update_xaxes(range=window).update_yaxes(rangemode="tozero"),
                        width="stretch", key=f"chart_{stage}")  # fmt: skip


@st.fragment(run_every=REFRESH_SECONDS if auto_refresh else None)
def live_view() -> None:
    with runtime.connected():
        # Recomputed on every refresh, so the window slides with the clock.
        since = range_start(range_label)
        per_minute = range_label == LAST_HOUR
        series = data.window(since, per_minute)
        window_tiles(series, range_label)
        now_tiles()
        st.caption(f"Times in {time_zone_label()} (change it in the sidebar).")
        if series["outcomes"].empty:
            st.info("No deliveries in this time range yet.")
            return
        charts(series, since, "minute" if per_minute else "hour")


live_view()
