"""sync_queue: the tasks processing writes (one pending task per target, entity, operation)."""

import json
from dataclasses import dataclass, field
from datetime import datetime

from store.db import database
from store.models import SyncTask

_INSERT_SQL = """
INSERT INTO sync_queue (target_account_id, source_account_id, entity_type, entity_id, operation,
                        priority, payload, scheduled_at, log_id)
VALUES {rows}
ON CONFLICT (target_account_id, entity_type, entity_id, operation) WHERE status = 'pending'
DO NOTHING
RETURNING id, target_account_id::text, entity_type, entity_id, operation
"""
_INSERT_ROW = "(%s::uuid, %s::uuid, %s, %s, %s, %s, %s::jsonb, COALESCE(%s, now()), %s)"

_PENDING_SQL = """
SELECT id, priority, payload, scheduled_at FROM sync_queue
 WHERE target_account_id = %s AND entity_type = %s AND entity_id = %s AND operation = %s
   AND status = 'pending'
"""


@dataclass(frozen=True)
class TaskKey:
    target_account_id: str
    entity_type: str
    entity_id: str
    operation: str


@dataclass(frozen=True)
class PendingTask:
    id: int
    priority: int
    payload: dict
    scheduled_at: datetime


@dataclass(frozen=True)
class NewTask:
    key: TaskKey
    source_account_id: str
    priority: int
    payload: dict = field(default_factory=dict)
    log_id: int | None = None
    scheduled_at: datetime | None = None  # None: now


def find_pending_task(key: TaskKey) -> PendingTask | None:
    row = database.execute_sql(_PENDING_SQL, _key_params(key)).fetchone()
    return PendingTask(*row) if row else None


def insert_tasks(tasks: list[NewTask]) -> dict[TaskKey, int]:
    """Insert pending tasks in one statement; {key: id} of those inserted. A key that already
    has a pending task is left out (the partial unique index decides, race-free)."""
    if not tasks:
        return {}
    params = []
    for task in tasks:
        key = task.key
        params += [
            key.target_account_id,
            task.source_account_id,
            key.entity_type,
            key.entity_id,
            key.operation,
            task.priority,
            json.dumps(task.payload),
            task.scheduled_at,
            task.log_id,
        ]
    sql = _INSERT_SQL.format(rows=", ".join([_INSERT_ROW] * len(tasks)))
    rows = database.execute_sql(sql, params).fetchall()
    return {TaskKey(*row[1:]): row[0] for row in rows}


def insert_task(task: NewTask) -> int | None:
    """Insert one pending task; None when a pending one for the key already exists."""
    return insert_tasks([task]).get(task.key)


def update_pending_task(task_id: int, priority: int, payload: dict) -> bool:
    """Rewrite a pending task after a merge; False when it stopped being pending meanwhile."""
    cursor = database.execute_sql(
        "UPDATE sync_queue SET priority = %s, payload = %s, updated_at = now()"
        " WHERE id = %s AND status = 'pending'",
        (priority, json.dumps(payload), task_id),
    )
    return cursor.rowcount == 1


def task_exists_for_log(key: TaskKey, log_id: int) -> bool:
    """Whether some task of this key (any status) already carries this log (a re-run's check)."""
    row = database.execute_sql(
        "SELECT 1 FROM sync_queue WHERE target_account_id = %s AND entity_type = %s"
        " AND entity_id = %s AND operation = %s"
        " AND (log_id = %s OR payload->'log_ids' @> to_jsonb(%s::bigint)) LIMIT 1",
        (*_key_params(key), log_id, log_id),
    ).fetchone()
    return row is not None


def cancel_pending_tasks(
    entity_type: str, targets_and_ids: list[tuple[str, str]], operations: tuple[str, ...]
) -> int:
    """Cancel the pending tasks an archive makes pointless (update of a deleted entity...) for
    every (target account, entity id) pair, in one statement; how many were cancelled."""
    if not targets_and_ids:
        return 0
    targets, ids = zip(*targets_and_ids, strict=True)
    cursor = database.execute_sql(
        "UPDATE sync_queue SET status = 'cancelled', updated_at = now(),"
        " error = 'entity deleted in the source account'"
        " WHERE status = 'pending' AND entity_type = %s AND operation = ANY(%s)"
        " AND (target_account_id, entity_id) IN"
        " (SELECT * FROM unnest(%s::uuid[], %s::text[]))",
        (entity_type, list(operations), list(targets), list(ids)),
    )
    return cursor.rowcount


def list_tasks(
    status: str | None = "pending",
    target_account_id: str | None = None,
    entity_type: str | None = None,
    operation: str | None = None,
    limit: int = 1000,
) -> list[SyncTask]:
    """Tasks oldest first (tests, console, the sync engine's reads)."""
    query = SyncTask.select()
    if status is not None:
        query = query.where(SyncTask.status == status)
    if target_account_id is not None:
        query = query.where(SyncTask.target_account_id == target_account_id)
    if entity_type is not None:
        query = query.where(SyncTask.entity_type == entity_type)
    if operation is not None:
        query = query.where(SyncTask.operation == operation)
    return list(query.order_by(SyncTask.id).limit(limit))


def count_tasks(status: str | None = None) -> int:
    query = SyncTask.select()
    if status is not None:
        query = query.where(SyncTask.status == status)
    return query.count()


def _key_params(key: TaskKey) -> tuple[str, str, str, str]:
    return (key.target_account_id, key.entity_type, key.entity_id, key.operation)
