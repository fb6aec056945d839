"""Retention of finished sync tasks, resolved alerts and the audit log: batches, what may go."""

import dataclasses
from datetime import UTC, datetime, timedelta

from jobs.context import configure
from jobs.housekeeping.record_retention import cleanup_records
from store.db import database
from store.models import Alert, AuditEntry, SyncTask

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
TARGET, SOURCE = "9171a53c-b719-11eb-c0a8-800d00000001", "9171a53c-b719-11eb-c0a8-800d00000002"


def add_tasks(count: int, status: str, finished: datetime | None, updated: datetime) -> None:
    rows = [
        {
            "target_account_id": TARGET,
            "source_account_id": SOURCE,
            "entity_type": "product",
            "entity_id": f"{status}-{updated.isoformat()}-{number}",
            "operation": "update",
            "status": status,
            "scheduled_at": updated,
            "created_at": updated,
            "updated_at": updated,
            "finished_at": finished,
        }
        for number in range(count)
    ]
    SyncTask.insert_many(rows).execute()


def test_old_finished_tasks_resolved_alerts_and_audit_go_in_batches_the_rest_stays(
    settings, db, redis
):
    configure(
        dataclasses.replace(
            settings, task_retention_days=14, alert_retention_days=365, audit_retention_days=730
        ),
        redis,
    )
    old, recent = NOW - timedelta(days=15), NOW - timedelta(days=1)
    add_tasks(7, "completed", old, old)
    add_tasks(4, "cancelled", None, old)  # cancelled before 0013_a: no finished_at
    add_tasks(3, "completed", recent, old)  # pending long, finished recently: kept
    for status in ("pending", "held", "processing", "failed"):
        add_tasks(1, status, None, old)  # still owed work, or the operator's to look at
    for age, status in ((400, "resolved"), (400, "open"), (10, "resolved")):
        when = NOW - timedelta(days=age)
        Alert.insert(
            rule="r",
            subject=f"{age}-{status}",
            severity="warning",
            status=status,
            message="m",
            opened_at=when,
            last_seen_at=when,
            resolved_at=when if status == "resolved" else None,
        ).execute()
    for age in (800, 800, 10):
        AuditEntry.insert(
            actor="a",
            role="admin",
            action="x",
            result="ok",
            created_at=NOW - timedelta(days=age),
        ).execute()

    assert cleanup_records(NOW, dry_run=True) == {
        "tasks": 11,
        "alerts": 1,
        "audit": 2,
        "dry_run": True,
    }
    report = cleanup_records(NOW, batch_size=5)
    assert (report["tasks"], report["alerts"], report["audit"]) == (11, 1, 2)
    assert report["batches"] == 3 + 1 + 1
    left = {
        row[0]: row[1]
        for row in database.execute_sql("SELECT status, count(*) FROM sync_queue GROUP BY status")
    }
    assert left == {"completed": 3, "pending": 1, "held": 1, "processing": 1, "failed": 1}
    assert sorted(a.subject for a in Alert.select()) == ["10-resolved", "400-open"]
    assert AuditEntry.select().count() == 1
    assert cleanup_records(NOW)["tasks"] == 0
