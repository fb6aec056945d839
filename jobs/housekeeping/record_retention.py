"""cleanup_records: delete finished sync tasks, resolved alerts and audit entries past their
retention (TASK_RETENTION_DAYS, ALERT_RETENTION_DAYS, AUDIT_RETENTION_DAYS) in small batches."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from jobs import defaults
from jobs.context import current
from store.record_retention import RECORDS, count_old_records, delete_old_records_batch
from store.retention import Batch


def cleanup_records(
    now: datetime | None = None,
    dry_run: bool = False,
    batch_size: int = defaults.RETENTION_BATCH,
    on_batch: Callable[[Batch], None] | None = None,
) -> dict:
    """Periodic job: rows deleted per kind, batches, the longest batch (or, dry, what would go)."""
    settings = current().settings
    now = now or datetime.now(UTC)
    days = {
        "tasks": settings.task_retention_days,
        "alerts": settings.alert_retention_days,
        "audit": settings.audit_retention_days,
    }
    cutoffs = {kind: now - timedelta(days=days[kind]) for kind in RECORDS}
    if dry_run:
        return {kind: count_old_records(kind, cutoff) for kind, cutoff in cutoffs.items()} | {
            "dry_run": True
        }
    report: dict = {kind: 0 for kind in RECORDS} | {"batches": 0, "longest_batch_ms": 0.0}
    for kind, cutoff in cutoffs.items():
        for _ in range(defaults.RETENTION_MAX_BATCHES):
            batch = delete_old_records_batch(
                kind, cutoff, batch_size, defaults.RETENTION_LOCK_TIMEOUT_MS
            )
            report[kind] += batch.deleted
            report["batches"] += 1
            report["longest_batch_ms"] = max(report["longest_batch_ms"], batch.seconds * 1000)
            if on_batch is not None:
                on_batch(batch)
            if batch.deleted < batch_size:
                break
    return report
