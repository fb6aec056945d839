"""Retention of webhook_logs: small DELETE batches, each a short statement of its own."""

import time
from dataclasses import dataclass
from datetime import datetime

from store.db import database

# Finished logs only: a `received`/`processing` log is still owed processing, whatever its age.
PHASES = {
    "finished": "status IN ('completed', 'ignored', 'rejected')",
    "failed": "status = 'failed'",
}
DELETE_BATCH_SQL = """
DELETE FROM webhook_logs WHERE id IN (
    SELECT id FROM webhook_logs WHERE received_at < %s AND {condition}
    LIMIT %s FOR UPDATE SKIP LOCKED)
"""


@dataclass(frozen=True)
class Batch:
    phase: str
    deleted: int
    seconds: float


def delete_old_logs_batch(
    phase: str, older_than: datetime, batch_size: int, lock_timeout_ms: int
) -> Batch:
    """Delete up to batch_size logs of the phase older than `older_than`, in one transaction."""
    started = time.perf_counter()
    with database.atomic():
        # A batch that would queue behind a long lock gives up instead of blocking others.
        database.execute_sql(f"SET LOCAL lock_timeout = {int(lock_timeout_ms)}")
        cursor = database.execute_sql(
            DELETE_BATCH_SQL.format(condition=PHASES[phase]), (older_than, batch_size)
        )
        deleted = cursor.rowcount
    return Batch(phase, deleted, time.perf_counter() - started)


def count_old_logs(phase: str, older_than: datetime) -> int:
    """How many logs a cleanup would delete (dry run)."""
    query = f"SELECT count(*) FROM webhook_logs WHERE received_at < %s AND {PHASES[phase]}"
    return database.execute_sql(query, (older_than,)).fetchone()[0]
