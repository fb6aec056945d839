"""sync_queue for the sync executor: claiming a target's due tasks, recording what applying them
came to (with the entity mappings, in one transaction; each attempt that sends a task back to
pending kept in its history, store.sync_history), releasing the claims of a job that died."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from store.db import database
from store.sync_history import adding_to_history, keeping_history
from store.sync_targets import SYNCING_MODES

RUNNING = "running"
RELEASED = "claimed by an executor that stopped; released"
FOLDER_TYPE = "productfolder"
FINAL = {"completed", "failed", "cancelled"}
AGAIN = {"retry", "wait"}  # back to pending, later
WAIT = "wait"  # not a failed try: its claim's attempt is given back

# Folders first (their children need them), then priority, then the oldest.
_CLAIM_SQL = """
UPDATE sync_queue SET status = 'running', claimed_at = now(), updated_at = now(),
       attempts = attempts + 1
 WHERE id IN (SELECT id FROM sync_queue
               WHERE target_account_id = %s AND status = 'pending' AND scheduled_at <= now()
                 AND entity_type = ANY(%s)
               ORDER BY (entity_type = 'productfolder') DESC, priority DESC, scheduled_at, id
               LIMIT %s
               FOR UPDATE SKIP LOCKED)
RETURNING id, target_account_id::text, source_account_id::text, entity_type, entity_id,
          operation, priority, payload, attempts, changed_at
"""

_SUPERSEDED = """
EXISTS (SELECT 1 FROM sync_queue newer
         WHERE newer.target_account_id = sync_queue.target_account_id
           AND newer.entity_type = sync_queue.entity_type
           AND newer.entity_id = sync_queue.entity_id AND newer.status = 'pending')
"""


@dataclass(frozen=True)
class ClaimedTask:
    id: int
    target_account_id: str
    source_account_id: str
    entity_type: str
    entity_id: str
    operation: str
    priority: int
    payload: dict
    attempts: int  # this claim included
    changed_at: datetime | None


class TaskOutcome(Protocol):
    """What the executor reports per task (jobs.sync.outcomes.Outcome has this shape)."""

    task_id: int
    status: str
    error: str | None
    request: dict | None
    result: dict | None
    mapping: Any
    drop_mapping: Any
    retry_in: float | None
    applied_mode: str | None  # overrides the round's mode (a child's order into main)


@dataclass(frozen=True)
class Recorded:
    counts: dict[str, int]  # completed / failed / cancelled / retry / wait (after the limit)
    superseded: list[int]  # retried tasks left running: a newer pending task of the entity exists


def claim_tasks(
    target_account_id: str, entity_types: Sequence[str], limit: int
) -> list[ClaimedTask]:
    """Claim up to `limit` due pending tasks of the target (`running`, claimed_at now, one more
    attempt); two executors never get the same task (SKIP LOCKED)."""
    rows = database.execute_sql(
        _CLAIM_SQL, (target_account_id, list(entity_types), limit)
    ).fetchall()
    tasks = [ClaimedTask(*row) for row in rows]
    return sorted(tasks, key=lambda t: (t.entity_type != FOLDER_TYPE, -t.priority, t.id))


def record_outcomes(
    outcomes: Sequence[TaskOutcome], applied_mode: str | None, max_attempts: int
) -> Recorded:
    """Finish or reschedule each claimed task and write or drop its mapping, all in one
    transaction. A retry past `max_attempts` fails; a wait never does (its attempt is given
    back: it is no failed try). A retry or wait whose entity already has a newer pending task
    stays `running` and is returned in `superseded` for the caller to merge. A completed task's
    `applied_mode` is the outcome's own, else `applied_mode`."""
    counts = dict.fromkeys(("completed", "failed", "cancelled", "retry", "wait"), 0)
    superseded: list[int] = []
    with database.atomic():
        for outcome in outcomes:
            if outcome.drop_mapping is not None:
                _drop_mapping(outcome.drop_mapping)
            if outcome.mapping is not None:
                _write_mapping(outcome.mapping)
            if outcome.status in FINAL:
                mode = getattr(outcome, "applied_mode", None) or applied_mode
                _finish(outcome, outcome.status, outcome.error, mode)
                counts[outcome.status] += 1
            elif outcome.status in AGAIN:
                status = _again(outcome, max_attempts)
                if status == "superseded":
                    superseded.append(outcome.task_id)
                else:
                    counts[status] += 1
            else:
                raise ValueError(f"task {outcome.task_id}: unknown outcome {outcome.status!r}")
    return Recorded(counts, superseded)


def release_claims(target_account_id: str | None = None, older_than: float = 0) -> list[int]:
    """Running tasks claimed more than `older_than` seconds ago (of one target, or all) back to
    pending: their job died. Ids of those that could not go back (a newer pending task of the
    entity exists) are returned, still running, for the caller to merge."""
    where = "status = 'running' AND claimed_at < now() - make_interval(secs => %s)"
    params: list[Any] = [older_than]
    if target_account_id is not None:
        where += " AND target_account_id = %s"
        params.append(target_account_id)
    with database.atomic():
        database.execute_sql(
            f"UPDATE sync_queue SET status = 'pending', updated_at = now(), scheduled_at = now(),"
            f" error = '{RELEASED}', result = {adding_to_history('result', _RELEASE_ENTRY)}"
            f" WHERE {where} AND NOT {_SUPERSEDED}",
            params,
        )
        rows = database.execute_sql(f"SELECT id FROM sync_queue WHERE {where}", params)
        return [row[0] for row in rows.fetchall()]


def cancel_superseded(task_id: int, newer_task_id: int) -> None:
    """A running task merged into the newer pending task of its entity ends cancelled."""
    database.execute_sql(
        "UPDATE sync_queue SET status = 'cancelled', finished_at = now(), updated_at = now(),"
        " error = %s WHERE id = %s AND status = 'running'",
        (f"merged into the newer pending task {newer_task_id}", task_id),
    )


def running_task(task_id: int) -> ClaimedTask | None:
    row = database.execute_sql(
        "SELECT id, target_account_id::text, source_account_id::text, entity_type, entity_id,"
        " operation, priority, payload, attempts, changed_at FROM sync_queue"
        " WHERE id = %s AND status = 'running'",
        (task_id,),
    ).fetchone()
    return ClaimedTask(*row) if row else None


def claiming_targets(older_than: float) -> list[str]:
    """Targets with tasks claimed (running) more than `older_than` seconds ago."""
    rows = database.execute_sql(
        "SELECT DISTINCT target_account_id::text FROM sync_queue"
        " WHERE status = 'running' AND claimed_at < now() - make_interval(secs => %s)",
        (older_than,),
    ).fetchall()
    return sorted(row[0] for row in rows)


def due_targets() -> list[str]:
    """Active accounts in live or shadow sync mode with due pending tasks."""
    rows = database.execute_sql(
        "SELECT DISTINCT q.target_account_id::text FROM sync_queue q"
        " JOIN accounts a ON a.id = q.target_account_id"
        " WHERE q.status = 'pending' AND q.scheduled_at <= now()"
        " AND a.sync_mode IN ('live', 'shadow') AND a.status = 'active'"
    ).fetchall()
    return sorted(row[0] for row in rows)


def has_due_tasks(target_account_id: str, entity_types: Sequence[str]) -> bool:
    row = database.execute_sql(
        "SELECT 1 FROM sync_queue WHERE target_account_id = %s AND status = 'pending'"
        " AND scheduled_at <= now() AND entity_type = ANY(%s) LIMIT 1",
        (target_account_id, list(entity_types)),
    ).fetchone()
    return row is not None


def sync_mode_of(account_id: str) -> tuple[str, str] | None:
    """(sync mode, account status) of an account; None when it is unknown."""
    row = database.execute_sql(
        "SELECT sync_mode, status FROM accounts WHERE id = %s", (account_id,)
    ).fetchone()
    return (row[0], row[1]) if row else None


# What a task's history keeps of an attempt after which it went back to pending
# (store.sync_history); `attempts` is the row's, the attempt that ended so.
_AGAIN_ENTRY = (
    "jsonb_build_object('error', %s::text, 'result', %s::jsonb, 'attempts', attempts,"
    " 'failed_at', now(), 'retried_at', now() + make_interval(secs => %s),"
    " 'retried_by', 'executor')"
)
_RELEASE_ENTRY = (
    f"jsonb_build_object('error', '{RELEASED}', 'attempts', attempts, 'claimed_at', claimed_at,"
    " 'retried_at', now(), 'retried_by', 'released')"
)


def _finish(outcome: TaskOutcome, status: str, error: str | None, applied_mode) -> None:
    database.execute_sql(
        "UPDATE sync_queue SET status = %s, error = %s, request = %s,"
        f" result = {keeping_history('%s::jsonb')},"
        " applied_mode = %s, finished_at = now(), updated_at = now()"
        " WHERE id = %s AND status = 'running'",
        (
            status,
            error,
            _json(outcome.request),
            _json(outcome.result),
            applied_mode if status == "completed" else None,
            outcome.task_id,
        ),
    )


def _again(outcome: TaskOutcome, max_attempts: int) -> str:
    row = database.execute_sql(
        "SELECT attempts FROM sync_queue WHERE id = %s AND status = 'running'", (outcome.task_id,)
    ).fetchone()
    if row is None:
        return outcome.status
    waits = outcome.status == WAIT
    if row[0] >= max_attempts and not waits:
        reason = f"gave up after {row[0]} attempts: {outcome.error or 'no reason given'}"
        _finish(outcome, "failed", reason, None)
        return "failed"
    result, retry_in = _json(outcome.result), float(outcome.retry_in or 0)
    cursor = database.execute_sql(
        "UPDATE sync_queue SET status = 'pending', error = %s, request = %s,"
        f" result = {adding_to_history('%s::jsonb', _AGAIN_ENTRY)},"
        " scheduled_at = now() + make_interval(secs => %s), updated_at = now(),"
        " attempts = CASE WHEN %s THEN greatest(attempts - 1, 0) ELSE attempts END"
        f" WHERE id = %s AND status = 'running' AND NOT {_SUPERSEDED}",
        (
            outcome.error,
            _json(outcome.request),
            result,
            outcome.error,
            result,
            retry_in,
            retry_in,
            waits,
            outcome.task_id,
        ),
    )
    return outcome.status if cursor.rowcount == 1 else "superseded"


def _write_mapping(mapping: Any) -> None:
    database.execute_sql(
        "INSERT INTO entity_mappings (child_account_id, entity_type, main_entity_id,"
        " child_entity_id) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (child_account_id, entity_type, main_entity_id)"
        " DO UPDATE SET child_entity_id = EXCLUDED.child_entity_id",
        (
            mapping.child_account_id,
            mapping.entity_type,
            mapping.main_entity_id,
            mapping.child_entity_id,
        ),
    )


def _drop_mapping(mapping: Any) -> None:
    database.execute_sql(
        "DELETE FROM entity_mappings WHERE child_account_id = %s AND entity_type = %s"
        " AND main_entity_id = %s AND child_entity_id = %s",
        (
            mapping.child_account_id,
            mapping.entity_type,
            mapping.main_entity_id,
            mapping.child_entity_id,
        ),
    )


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def return_to_pending(task_id: int) -> bool:
    """A running task back to pending now, unless its entity has a pending task already."""
    cursor = database.execute_sql(
        "UPDATE sync_queue SET status = 'pending', scheduled_at = now(), updated_at = now()"
        f" WHERE id = %s AND status = 'running' AND NOT {_SUPERSEDED}",
        (task_id,),
    )
    return cursor.rowcount == 1


def syncing_targets(account_ids: set[str] | list[str]) -> list[str]:
    """Those of the accounts whose tasks the executor applies (live or shadow, active)."""
    if not account_ids:
        return []
    rows = database.execute_sql(
        "SELECT id::text FROM accounts WHERE id = ANY(%s::uuid[])"
        " AND sync_mode = ANY(%s) AND status = 'active'",
        (sorted(account_ids), list(SYNCING_MODES)),
    ).fetchall()
    return [row[0] for row in rows]


def start_syncing(account_ids: list[str], mode: str = "live") -> int:
    """Put accounts in a sync mode without an operator (the demo, benchmarks, tests); operators
    switch through store.sync_modes, which audits it. How many accounts changed."""
    cursor = database.execute_sql(
        "UPDATE accounts SET sync_mode = %s, updated_at = now() WHERE id = ANY(%s::uuid[])"
        " AND sync_mode <> %s",
        (mode, list(account_ids), mode),
    )
    return cursor.rowcount


def drop_mapping_of_copy(child_account_id: str, child_entity_id: str) -> tuple[str, str] | None:
    """Delete the mapping whose child side is this entity (the child deleted it); the
    (entity type, main entity id) it mapped, or None when there was none."""
    row = database.execute_sql(
        "DELETE FROM entity_mappings WHERE child_account_id = %s AND child_entity_id = %s::uuid"
        " RETURNING entity_type, main_entity_id::text",
        (child_account_id, child_entity_id),
    ).fetchone()
    return (row[0], row[1]) if row else None
