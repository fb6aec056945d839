"""sync_queue: the tasks processing writes (one pending write per target and entity, whatever
the operation; one held task per target and entity while the loop detector pauses it)."""

import json
from dataclasses import dataclass, field
from datetime import datetime

from store.db import database
from store.models import SyncTask

PENDING, HELD = "pending", "held"
_INDEX_PREDICATE = {PENDING: "status = 'pending'", HELD: "status = 'held'"}

_INSERT_SQL = """
INSERT INTO sync_queue (target_account_id, source_account_id, entity_type, entity_id, operation,
                        priority, payload, scheduled_at, log_id, changed_at, status, hold_subject)
VALUES {rows}
ON CONFLICT (target_account_id, entity_type, entity_id) WHERE {predicate}
DO NOTHING
RETURNING id, target_account_id::text, entity_type, entity_id
"""
_INSERT_ROW = (
    "(%s::uuid, %s::uuid, %s, %s, %s, %s, %s::jsonb, COALESCE(%s, now()), %s,"
    " COALESCE(%s, now()), %s, %s)"
)

_FIND_SQL = """
SELECT id, operation, priority, payload, scheduled_at, changed_at FROM sync_queue
 WHERE target_account_id = %s AND entity_type = %s AND entity_id = %s AND status = %s
"""


@dataclass(frozen=True)
class TaskKey:
    """What one pending write is about: an entity of one target account."""

    target_account_id: str
    entity_type: str
    entity_id: str


@dataclass(frozen=True)
class PendingTask:
    id: int
    operation: str
    priority: int
    payload: dict
    scheduled_at: datetime
    changed_at: datetime | None


@dataclass(frozen=True)
class NewTask:
    key: TaskKey
    operation: str
    source_account_id: str
    priority: int
    payload: dict = field(default_factory=dict)
    log_id: int | None = None
    scheduled_at: datetime | None = None  # None: now
    changed_at: datetime | None = None  # when main changed (the delivery's receipt); None: now
    hold_subject: str | None = None  # set: written `held` under this loop alert subject

    @property
    def status(self) -> str:
        return HELD if self.hold_subject else PENDING


def find_task(key: TaskKey, status: str = PENDING) -> PendingTask | None:
    """The pending (or held) task of the key, if any."""
    row = database.execute_sql(_FIND_SQL, (*_key_params(key), status)).fetchone()
    return PendingTask(*row) if row else None


def insert_tasks(tasks: list[NewTask]) -> dict[TaskKey, int]:
    """Insert tasks of one status in one statement; {key: id} of those inserted. A key that
    already has a task of that status is left out (the partial unique index decides, race-free)."""
    if not tasks:
        return {}
    statuses = {task.status for task in tasks}
    if len(statuses) != 1:
        raise ValueError(f"insert_tasks takes tasks of one status, not {sorted(statuses)}")
    params = []
    for task in tasks:
        params += [
            *_key_params(task.key)[:1],
            task.source_account_id,
            *_key_params(task.key)[1:],
            task.operation,
            task.priority,
            json.dumps(task.payload),
            task.scheduled_at,
            task.log_id,
            task.changed_at,
            task.status,
            task.hold_subject,
        ]
    sql = _INSERT_SQL.format(
        rows=", ".join([_INSERT_ROW] * len(tasks)), predicate=_INDEX_PREDICATE[statuses.pop()]
    )
    rows = database.execute_sql(sql, params).fetchall()
    return {TaskKey(*row[1:]): row[0] for row in rows}


def insert_task(task: NewTask) -> int | None:
    """Insert one task; None when the key already has one of that status."""
    return insert_tasks([task]).get(task.key)


def update_task(
    task_id: int,
    operation: str,
    priority: int,
    payload: dict,
    changed_at: datetime | None = None,
    scheduled_at: datetime | None = None,
    status: str = PENDING,
) -> bool:
    """Rewrite a pending (or held) task after a merge; False when it left that status meanwhile.
    `changed_at` only moves earlier; `scheduled_at` None keeps the task's."""
    cursor = database.execute_sql(
        "UPDATE sync_queue SET operation = %s, priority = %s, payload = %s, updated_at = now(),"
        " changed_at = LEAST(changed_at, COALESCE(%s, changed_at)),"
        " scheduled_at = COALESCE(%s, scheduled_at)"
        " WHERE id = %s AND status = %s",
        (operation, priority, json.dumps(payload), changed_at, scheduled_at, task_id, status),
    )
    return cursor.rowcount == 1


def update_pending_task(task_id: int, priority: int, payload: dict) -> bool:
    """Rewrite a pending task's priority and payload; False when it stopped being pending."""
    cursor = database.execute_sql(
        "UPDATE sync_queue SET priority = %s, payload = %s, updated_at = now()"
        " WHERE id = %s AND status = 'pending'",
        (priority, json.dumps(payload), task_id),
    )
    return cursor.rowcount == 1


def task_exists_for_log(key: TaskKey, log_id: int) -> bool:
    """Whether some task of this entity (any status) already carries this log (a re-run's
    check; the sync_queue_entity index narrows it to the entity's own history)."""
    row = database.execute_sql(
        "SELECT 1 FROM sync_queue WHERE target_account_id = %s AND entity_type = %s"
        " AND entity_id = %s AND (log_id = %s OR payload->'log_ids' @> to_jsonb(%s::bigint))"
        " LIMIT 1",
        (*_key_params(key), log_id, log_id),
    ).fetchone()
    return row is not None


def cancel_tasks(
    key: TaskKey,
    reason: str,
    log_id: int | None,
    status: str = PENDING,
    except_operations: tuple[str, ...] = (),
) -> int:
    """Cancel the key's pending (or held) task unless its operation is excepted, recording the
    reason and the cancelling log; how many were cancelled (0 or 1)."""
    cursor = database.execute_sql(
        "UPDATE sync_queue SET status = 'cancelled', error = %s, cancelled_by_log_id = %s,"
        " updated_at = now(), finished_at = now()"
        " WHERE target_account_id = %s AND entity_type = %s AND entity_id = %s AND status = %s"
        " AND NOT (operation = ANY(%s))",
        (reason, log_id, *_key_params(key), status, list(except_operations)),
    )
    return cursor.rowcount


def held_tasks(hold_subject: str) -> list[SyncTask]:
    """The held tasks of a loop-paused entity, oldest first."""
    return list(
        SyncTask.select()
        .where((SyncTask.status == HELD) & (SyncTask.hold_subject == hold_subject))
        .order_by(SyncTask.id)
    )


def held_counts(hold_subjects: list[str]) -> dict[str, tuple[int, int]]:
    """subject → (held tasks, distinct deliveries they carry) for the given loop subjects."""
    if not hold_subjects:
        return {}
    rows = database.execute_sql(
        "SELECT hold_subject, count(DISTINCT id),"
        " count(DISTINCT l) FILTER (WHERE l IS NOT NULL)"
        " FROM sync_queue LEFT JOIN LATERAL jsonb_array_elements_text(payload->'log_ids') l ON true"
        " WHERE status = 'held' AND hold_subject = ANY(%s) GROUP BY hold_subject",
        (list(hold_subjects),),
    ).fetchall()
    return {row[0]: (row[1], row[2]) for row in rows}


def promote_held(task_id: int) -> bool:
    """A held task becomes the entity's pending one (the caller holds the entity lock and has
    checked that none is pending); False when it was no longer held."""
    cursor = database.execute_sql(
        "UPDATE sync_queue SET status = 'pending', hold_subject = NULL, updated_at = now()"
        " WHERE id = %s AND status = 'held'",
        (task_id,),
    )
    return cursor.rowcount == 1


def cancel_task(task_id: int, reason: str, status: str = HELD) -> bool:
    """Cancel one task (a held one released into another, or discarded) with the reason."""
    cursor = database.execute_sql(
        "UPDATE sync_queue SET status = 'cancelled', error = %s, updated_at = now(),"
        " finished_at = now() WHERE id = %s AND status = %s",
        (reason, task_id, status),
    )
    return cursor.rowcount == 1


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


def _key_params(key: TaskKey) -> tuple[str, str, str]:
    return (key.target_account_id, key.entity_type, key.entity_id)
