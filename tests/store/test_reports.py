"""Console reports: stats add up by hour and weight percentiles by deliveries; unprocessed logs."""

import uuid
from datetime import UTC, datetime, timedelta

from store.health import oldest_unprocessed_at
from store.models import WebhookHealthStat, WebhookLog
from store.reports import (
    count_unprocessed_logs,
    deliveries_by_minute,
    failure_rate_by_hour,
    latency_by_hour,
    recent_throughput_by_type,
    summarize_deliveries,
    throughput_by_type,
    webhook_traffic,
)

HOUR = datetime(2026, 1, 5, 10, tzinfo=UTC)


def stat(account, entity_type, action, hour, received, failed, receive_p95):
    WebhookHealthStat.insert(
        hour=hour, account_id=account, entity_type=entity_type, action=action,
        received=received, completed=received - failed, failed=failed, events=received,
        receive_p95=receive_p95, processing_p95=10.0, updated_at=hour,
    ).execute()  # fmt: skip


def test_summary_sums_outcomes_and_weights_p95_by_deliveries(db):
    account = str(uuid.uuid4())
    stat(account, "product", "UPDATE", HOUR, received=300, failed=3, receive_p95=2.0)
    stat(account, "service", "CREATE", HOUR, received=100, failed=37, receive_p95=10.0)
    stat(account, "product", "UPDATE", HOUR - timedelta(days=2), 999, 999, 99.0)  # out of range
    summary = summarize_deliveries(HOUR - timedelta(hours=1))
    assert (summary["deliveries"], summary["failed"]) == (400, 40)
    assert summary["failure_rate"] == 0.1
    assert summary["receive_p95"] == 4.0  # (300 × 2 + 100 × 10) / 400


def test_empty_range_has_no_rate_and_no_latency(db):
    summary = summarize_deliveries(HOUR)
    assert summary["deliveries"] == 0
    assert summary["failure_rate"] is None and summary["receive_p95"] is None


def test_series_are_per_hour_and_per_kind(db):
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    stat(first, "product", "UPDATE", HOUR, 100, 10, 2.0)
    stat(second, "product", "UPDATE", HOUR, 100, 0, 2.0)
    stat(first, "product", "UPDATE", HOUR + timedelta(hours=1), 50, 50, 2.0)
    since = HOUR - timedelta(hours=1)
    rates = [(r["hour"], float(r["failure_rate"])) for r in failure_rate_by_hour(since)]
    assert rates == [(HOUR, 0.05), (HOUR + timedelta(hours=1), 1.0)]
    assert [r["receive_p95"] for r in latency_by_hour(since)] == [2.0, 2.0]
    assert throughput_by_type(since, account_id=first) == [
        {"entity_type": "product", "action": "UPDATE", "deliveries": 150, "events": 150}
    ]
    traffic = webhook_traffic(second, since)
    assert traffic[("product", "UPDATE")]["failure_rate"] == 0


def test_unprocessed_counts_received_and_processing_only(db):
    now = datetime.now(UTC)
    for n, status in enumerate(["received", "processing", "completed", "failed"]):
        WebhookLog.insert(
            request_id=f"r{n}", status=status, received_at=now - timedelta(minutes=n)
        ).execute()
    assert count_unprocessed_logs() == 2


def test_oldest_unprocessed_is_the_oldest_first_try_not_finished(db):
    now = datetime.now(UTC)
    rows = [  # (status, attempts, minutes ago)
        ("received", 0, 1),  # queued, never tried
        ("processing", 1, 2),  # first try running
        ("received", 2, 5),  # waiting for its retry: its first try ran
        ("processing", 3, 6),  # a retry running
        ("completed", 1, 9),
    ]
    for n, (status, attempts, minutes) in enumerate(rows):
        WebhookLog.insert(
            request_id=f"r{n}",
            status=status,
            attempts=attempts,
            received_at=now - timedelta(minutes=minutes),
        ).execute()
    assert oldest_unprocessed_at() == now - timedelta(minutes=2)
    WebhookLog.update(status="completed").where(WebhookLog.request_id == "r1").execute()
    assert oldest_unprocessed_at() == now - timedelta(minutes=1)


def test_minutes_come_from_the_newest_logs_only(db):
    now = datetime.now(UTC).replace(second=30, microsecond=0)
    rows = [("completed", 0, 2.0), ("failed", 0, 4.0), ("completed", 1, 6.0), ("completed", 2, 8.0)]
    for n, (status, minutes_ago, receive_ms) in enumerate(rows):
        WebhookLog.insert(
            request_id=f"m{n}", status=status, entity_type="product", action="UPDATE",
            events_count=2, received_at=now - timedelta(minutes=minutes_ago), receive_ms=receive_ms,
        ).execute()  # fmt: skip
    minutes = deliveries_by_minute(now - timedelta(hours=1), max_rows=3)
    assert [(m["deliveries"], m["failed"]) for m in minutes] == [(1, 0), (2, 1)]
    assert minutes[1]["failure_rate"] == 0.5 and minutes[1]["receive_p50"] == 3.0
    assert recent_throughput_by_type(now - timedelta(hours=1), max_rows=10) == [
        {"entity_type": "product", "action": "UPDATE", "deliveries": 4, "events": 8}
    ]
