"""Overview: tiles and charts of a window read one source and agree; colours never move."""

import base64
import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from console.colours import ACTION_COLOURS, STATUS_COLOURS
from tests.console.conftest import assert_no_exception, open_page
from tests.console.seed import seed_console
from tests.jobs.log_rows import add_logs

ACCOUNT = "9171a53c-b719-11eb-c0a8-800d00000001"


def figure(app, key: str) -> dict:
    chart = next(c for c in app.get("plotly_chart") if f"chart_{key}" in c.proto.id)
    return json.loads(chart.proto.spec)


def values(array) -> list[float]:
    """A plotly JSON array: a list, or plotly's typed {"dtype", "bdata"} base64 form."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def bars_by_status(app) -> dict[str, float]:
    return {t["name"]: sum(values(t["y"])) for t in figure(app, "deliveries")["data"]}


def colours(app) -> dict[str, str]:
    return {t["name"]: t["marker"]["color"] for t in figure(app, "deliveries")["data"]}


def test_last_hour_tiles_and_charts_show_the_same_numbers(console):
    now = datetime.now(UTC)
    statuses = [("completed", 40, 3), ("failed", 6, 3), ("ignored", 10, 9), ("completed", 21, 20),
                ("rejected", 2, 20), ("received", 1, 1)]  # fmt: skip
    for status, count, minutes in statuses:
        add_logs(count, ACCOUNT, status, received_at=now - timedelta(minutes=minutes),
                 receive_ms=4.0, processing_ms=30.0)  # fmt: skip
    app = open_page("overview")
    assert_no_exception(app)
    tiles = {m.label: m.value for m in app.metric}
    bars = bars_by_status(app)
    assert tiles["Deliveries, last hour"] == f"{sum(bars.values()):,.0f}" == "80"
    assert bars == {"completed": 61, "failed": 6, "ignored": 10, "rejected": 2, "unfinished": 1}
    assert tiles["Failure rate, last hour"] == f"{bars['failed'] / 80 * 100:.1f} %" == "7.5 %"
    failure = figure(app, "failure")
    assert max(values(failure["data"][0]["y"])) == pytest.approx(6 / 46 * 100)  # 6 failed of 46
    assert failure["layout"]["yaxis"]["range"][0] == 0
    assert (
        tiles["Receive p95, last hour"] == "4 ms" and tiles["Processing p95, last hour"] == "30 ms"
    )


def test_the_hourly_window_tiles_and_charts_agree_too(console):
    seed_console(hours=6)  # 2 stats rows an hour, 100 deliveries and 5 failed each
    app = open_page("overview")
    app.selectbox(key="overview_range").select("Last 24 hours").run()
    tiles = {m.label: m.value for m in app.metric}
    bars = bars_by_status(app)
    assert tiles["Deliveries, last 24 hours"] == f"{sum(bars.values()):,.0f}" == "1,200"
    assert bars["failed"] == 60 and tiles["Failure rate, last 24 hours"] == "5.0 %"


def test_colours_are_fixed_per_status_and_action_and_red_is_only_failure(console):
    seed_console(hours=2)
    app = open_page("overview")
    app.selectbox(key="overview_range").select("Last 6 hours").run()
    first = colours(app)
    app.run()
    assert colours(app) == first
    assert first["failed"] == STATUS_COLOURS["failed"] == "#c62828"
    assert [s for s, c in first.items() if c == "#c62828"] == ["failed"]
    actions = {t["name"]: t["marker"]["color"] for t in figure(app, "throughput")["data"]}
    assert actions["DELETE"] == ACTION_COLOURS["DELETE"] != "#c62828"
    mix = figure(app, "mix")["data"][0]
    assert dict(zip(mix["labels"], mix["marker"]["colors"], strict=True))["failed"] == "#c62828"
