"""The hourly roll-up: counts and percentiles per (hour, account, type, action), re-runnable."""

from datetime import UTC, datetime, timedelta

from jobs.monitoring.stats import update_stats
from store.models import WebhookHealthStat
from store.stats import rollup_hour
from tests.jobs.log_rows import add_logs

ACCOUNT = "9171a53c-b719-11eb-c0a8-800d00000001"
HOUR = datetime(2026, 11, 28, 10, tzinfo=UTC)


def test_rollup_counts_statuses_and_percentiles_per_hour_and_pair(db):
    at = HOUR + timedelta(minutes=5)
    for ms in range(1, 101):
        add_logs(1, ACCOUNT, "completed", at, receive_ms=ms, processing_ms=ms * 10, tasks_created=2)
    add_logs(5, ACCOUNT, "failed", at)
    add_logs(3, ACCOUNT, "ignored", at)
    add_logs(2, None, "rejected", at, entity_type=None, action=None)
    add_logs(4, ACCOUNT, "completed", at, action="CREATE")
    add_logs(7, ACCOUNT, "completed", HOUR + timedelta(hours=1))  # the next hour: not counted

    rollup_hour(HOUR)

    row = WebhookHealthStat.get(WebhookHealthStat.action == "UPDATE")
    assert (row.received, row.completed, row.failed, row.ignored) == (108, 100, 5, 3)
    assert row.events == 108 and row.tasks == 200
    assert row.receive_p50 == 50.5 and abs(row.receive_p95 - 95.05) < 0.01
    assert abs(row.receive_p99 - 99.01) < 0.01 and abs(row.processing_p95 - 950.5) < 0.1
    assert WebhookHealthStat.get(WebhookHealthStat.action == "CREATE").completed == 4
    assert WebhookHealthStat.get(WebhookHealthStat.action == "-").rejected == 2
    assert WebhookHealthStat.select().count() == 3


def test_rerun_replaces_the_hour_with_fresh_numbers(db):
    add_logs(3, ACCOUNT, "completed", HOUR)
    rollup_hour(HOUR)
    add_logs(2, ACCOUNT, "failed", HOUR + timedelta(minutes=59))
    rollup_hour(HOUR)
    row = WebhookHealthStat.get()
    assert WebhookHealthStat.select().count() == 1
    assert (row.received, row.completed, row.failed) == (5, 3, 2)


def test_update_stats_refreshes_current_and_previous_hour(db):
    now = HOUR + timedelta(minutes=1)
    add_logs(2, ACCOUNT, "completed", HOUR - timedelta(minutes=1))  # closes the previous hour
    add_logs(1, ACCOUNT, "completed", HOUR)
    update_stats(now)
    hours = {r.hour: r.received for r in WebhookHealthStat.select()}
    assert hours == {HOUR - timedelta(hours=1): 2, HOUR: 1}
