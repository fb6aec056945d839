"""cleanup_logs: delete old webhook_logs in small batches (failed ones kept longer); stats stay."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from jobs import defaults
from jobs.context import current
from store.retention import Batch, count_old_logs, delete_old_logs_batch


def cleanup_logs(
    now: datetime | None = None,
    dry_run: bool = False,
    batch_size: int = defaults.RETENTION_BATCH,
    on_batch: Callable[[Batch], None] | None = None,
) -> dict:
    """Periodic job and `scripts.webhooks cleanup-logs`: rows deleted per phase, longest batch."""
    settings = current().settings
    now = now or datetime.now(UTC)
    cutoffs = {
        "finished": now - timedelta(days=settings.log_retention_days),
        "failed": now - timedelta(days=settings.failed_log_retention_days),
    }
    if dry_run:
        return {phase: count_old_logs(phase, cutoff) for phase, cutoff in cutoffs.items()} | {
            "dry_run": True
        }
    report: dict = {"finished": 0, "failed": 0, "batches": 0, "longest_batch_ms": 0.0}
    for phase, cutoff in cutoffs.items():
        for _ in range(defaults.RETENTION_MAX_BATCHES):
            batch = delete_old_logs_batch(
                phase, cutoff, batch_size, defaults.RETENTION_LOCK_TIMEOUT_MS
            )
            report[phase] += batch.deleted
            report["batches"] += 1
            report["longest_batch_ms"] = max(report["longest_batch_ms"], batch.seconds * 1000)
            if on_batch is not None:
                on_batch(batch)
            if batch.deleted < batch_size:
                break
    return report
