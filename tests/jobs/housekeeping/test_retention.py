"""Retention: old finished logs go in batches, failed ones are kept longer, unfinished always."""

import dataclasses
from datetime import UTC, datetime, timedelta

from jobs.context import configure
from jobs.housekeeping.retention import cleanup_logs
from store.models import WebhookHealthStat, WebhookLog
from store.stats import rollup_hour
from tests.jobs.log_rows import add_logs

ACCOUNT = "9171a53c-b719-11eb-c0a8-800d00000001"
NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)


def statuses() -> dict[str, int]:
    return {s: WebhookLog.select().where(WebhookLog.status == s).count() for s in STATUSES}


STATUSES = ("completed", "ignored", "rejected", "failed", "received")


def test_cleanup_deletes_old_finished_logs_in_batches_and_keeps_the_rest(settings, db, redis):
    configure(dataclasses.replace(settings, log_retention_days=30, failed_log_retention_days=90))
    old, ancient, recent = NOW - timedelta(days=31), NOW - timedelta(days=91), NOW
    for status in ("completed", "ignored", "rejected"):
        add_logs(12, ACCOUNT, status, old)
    add_logs(4, ACCOUNT, "failed", old)  # older than 30 days but not 90: kept
    add_logs(3, ACCOUNT, "failed", ancient)
    add_logs(2, ACCOUNT, "received", ancient)  # never processed: kept whatever its age
    add_logs(5, ACCOUNT, "completed", recent)
    rollup_hour(old)

    planned = cleanup_logs(NOW, dry_run=True)
    assert planned == {"finished": 36, "failed": 3, "dry_run": True}
    assert WebhookLog.select().count() == 36 + 4 + 3 + 2 + 5

    report = cleanup_logs(NOW, batch_size=10)
    assert report["finished"] == 36 and report["failed"] == 3
    assert report["batches"] == 4 + 1
    assert statuses() == {"completed": 5, "ignored": 0, "rejected": 0, "failed": 4, "received": 2}
    assert WebhookHealthStat.get().received == 28  # the hour's stats are kept


def test_second_cleanup_finds_nothing(settings, db, redis):
    configure(settings)
    add_logs(3, ACCOUNT, "completed", NOW - timedelta(days=settings.log_retention_days + 1))
    assert cleanup_logs(NOW)["finished"] == 3
    assert cleanup_logs(NOW)["finished"] == 0
