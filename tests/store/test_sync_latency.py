"""Throughput and main change → child write latency from seeded sync_queue rows."""

from datetime import timedelta

import pytest

from store.sync_latency import summarize_sync, sync_series
from tests.store.sync_rows import KAZAN, MOSCOW, add_franchise, add_task
from tests.store.test_sync_reports import NOW


def test_series_counts_per_minute_and_latency_percentiles_from_change_to_write(db):
    add_franchise()
    for latency in (1, 2, 3, 4):
        add_task(
            MOSCOW, "completed", now=NOW, finished_ago=10, latency=latency, applied_mode="live"
        )
    add_task(KAZAN, "completed", now=NOW, finished_ago=180, latency=10, applied_mode="shadow")
    add_task(KAZAN, "completed", now=NOW, finished_ago=180, latency=20, applied_mode="live")
    add_task(KAZAN, "failed", now=NOW, finished_ago=185, latency=30)
    add_task(MOSCOW, "completed", now=NOW, finished_ago=3600, latency=99)  # before the range
    series = sync_series(NOW - timedelta(minutes=5), "minute", until=NOW + timedelta(seconds=1))
    assert len(series) == 6  # 5 minutes back through this one, empty minutes included
    by_minute = {int((NOW - row["time"]).total_seconds() // 60): row for row in series}
    now_row, earlier = by_minute[0], by_minute[3]
    assert (now_row["completed"], now_row["failed"], now_row["per_minute"]) == (4, 0, 4)
    assert (now_row["p50"], now_row["p95"], now_row["p99"]) == pytest.approx((2.5, 3.85, 3.97))
    assert (earlier["completed"], earlier["failed"], earlier["p50"]) == (2, 1, 15)
    assert [by_minute[m]["completed"] for m in (1, 2, 4, 5)] == [0, 0, 0, 0]
    assert by_minute[1]["p50"] is None
    live = sync_series(NOW - timedelta(minutes=5), "minute", applied_mode="live", until=NOW)
    assert sum(row["completed"] for row in live) == 5
    hourly = sync_series(NOW - timedelta(minutes=5), "hour", target_account_id=KAZAN, until=NOW)
    assert sum(row["completed"] for row in hourly) == 2
    assert sum(row["per_minute"] for row in hourly) == pytest.approx(2 / 60)


def test_series_refuses_an_unknown_bucket(db):
    with pytest.raises(ValueError, match="bucket must be one of"):
        sync_series(NOW, "week")


def test_summary_of_a_window_takes_percentiles_over_all_its_tasks(db):
    add_franchise()
    for latency in range(1, 101):
        add_task(MOSCOW, "completed", now=NOW, finished_ago=latency * 10, latency=latency / 10)
    add_task(KAZAN, "failed", now=NOW, finished_ago=30)
    add_task(KAZAN, "completed", now=NOW, finished_ago=7200, latency=500)  # before the window
    summary = summarize_sync(NOW - timedelta(hours=1))
    assert (summary["completed"], summary["failed"]) == (100, 1)
    assert (summary["p50"], summary["p95"], summary["p99"]) == pytest.approx((5.05, 9.505, 9.901))
    assert summarize_sync(NOW - timedelta(hours=1), KAZAN)["completed"] == 0
