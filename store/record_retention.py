"""Retention of what processing and operators leave behind: finished sync tasks, resolved alerts,
the audit log. Small DELETE batches, each its own short transaction, like webhook_logs'."""

import time
from dataclasses import dataclass
from datetime import datetime

from store.db import database
from store.retention import Batch


@dataclass(frozen=True)
class Records:
    table: str
    age: str  # the SQL expression compared with the cutoff (each has an index)
    condition: str  # only these rows may go, whatever their age


# A pending, held or processing task is still owed work; failed ones stay for the operator.
RECORDS = {
    "tasks": Records(
        "sync_queue",
        "COALESCE(finished_at, updated_at)",
        "status IN ('completed', 'cancelled')",
    ),
    "alerts": Records("alerts", "resolved_at", "status = 'resolved'"),
    "audit": Records("audit_log", "created_at", "true"),
}
_DELETE_SQL = """
DELETE FROM {table} WHERE id IN (
    SELECT id FROM {table} WHERE {age} < %s AND {condition}
    LIMIT %s FOR UPDATE SKIP LOCKED)
"""


def delete_old_records_batch(
    kind: str, older_than: datetime, batch_size: int, lock_timeout_ms: int
) -> Batch:
    """Delete up to batch_size rows of the kind older than `older_than`, in one transaction."""
    records = RECORDS[kind]
    started = time.perf_counter()
    with database.atomic():
        database.execute_sql(f"SET LOCAL lock_timeout = {int(lock_timeout_ms)}")
        cursor = database.execute_sql(
            _DELETE_SQL.format(table=records.table, age=records.age, condition=records.condition),
            (older_than, batch_size),
        )
        deleted = cursor.rowcount
    return Batch(kind, deleted, time.perf_counter() - started)


def count_old_records(kind: str, older_than: datetime) -> int:
    """How many rows a cleanup would delete (dry run)."""
    records = RECORDS[kind]
    query = f"SELECT count(*) FROM {records.table} WHERE {records.age} < %s AND {records.condition}"
    return database.execute_sql(query, (older_than,)).fetchone()[0]
