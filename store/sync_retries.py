"""Retrying failed sync tasks: back to pending, due now, attempts reset, the failure kept in the
task's history (store.sync_history). The caller then wakes the targets (jobs.sync.retries)."""

from dataclasses import dataclass, field

from peewee import IntegrityError

from store.db import database
from store.sync_history import appended
from store.sync_reports import TaskFilter

MAX_ROUNDS = 3  # a newer event may write the entity's pending task between our check and update

# What the task's history keeps of the failure an operator retries (store.sync_history).
_RETRY_ENTRY = (
    "jsonb_build_object('error', t.error, 'result', t.result - 'history', 'attempts', t.attempts,"
    " 'applied_mode', t.applied_mode, 'failed_at', t.finished_at, 'retried_at', now(),"
    " 'retried_by', 'operator')"
)

# The newest failed task of each entity whose target has no pending task for it: the partial
# unique index allows one pending write per (target, entity), and a pending one already carries
# the newer change.
_REQUEUE_SQL = f"""
WITH chosen AS (
    SELECT DISTINCT ON (q.target_account_id, q.entity_type, q.entity_id) q.id
      FROM sync_queue q
     WHERE q.status = 'failed' AND {{condition}}
       AND NOT EXISTS (SELECT 1 FROM sync_queue p
                        WHERE p.status = 'pending' AND p.target_account_id = q.target_account_id
                          AND p.entity_type = q.entity_type AND p.entity_id = q.entity_id)
     ORDER BY q.target_account_id, q.entity_type, q.entity_id, q.id DESC
)
UPDATE sync_queue t
   SET status = 'pending', scheduled_at = now(), attempts = 0, error = NULL, claimed_at = NULL,
       finished_at = NULL, updated_at = now(),
       result = jsonb_build_object('history', {appended(_RETRY_ENTRY, "t.")})
  FROM chosen
 WHERE t.id = chosen.id AND t.status = 'failed'
RETURNING t.id, t.target_account_id::text
"""

_LEFT_SQL = """
SELECT q.id, (SELECT p.id FROM sync_queue p
               WHERE p.status = 'pending' AND p.target_account_id = q.target_account_id
                 AND p.entity_type = q.entity_type AND p.entity_id = q.entity_id)
  FROM sync_queue q WHERE q.status = 'failed' AND {condition} ORDER BY q.id
"""


@dataclass(frozen=True)
class Requeued:
    """What a retry did: the tasks now pending (id, target), and those left failed because a
    pending task of the same entity exists (id, that task's id or None: an older failure of an
    entity whose newest failed task was re-queued)."""

    tasks: list[tuple[int, str]] = field(default_factory=list)
    left: list[tuple[int, int | None]] = field(default_factory=list)

    @property
    def targets(self) -> list[str]:
        return sorted({target for _, target in self.tasks})


def requeue_failed_tasks(task_filter: TaskFilter | None = None) -> Requeued:
    """Put the failed tasks matching the filter back to pending (see the module's docstring)."""
    condition, params = (task_filter or TaskFilter()).where()
    for attempt in range(MAX_ROUNDS):
        try:
            with database.atomic():
                rows = database.execute_sql(_REQUEUE_SQL.format(condition=condition), params)
                tasks = sorted(rows.fetchall())
        except IntegrityError:
            if attempt == MAX_ROUNDS - 1:
                raise
            continue
        break
    left = database.execute_sql(_LEFT_SQL.format(condition=condition), params).fetchall()
    return Requeued(tasks=tasks, left=left)


def count_requeueable(task_filter: TaskFilter | None = None) -> tuple[int, int]:
    """(failed tasks a retry would re-queue, those it would leave failed) — for dry runs and
    confirmations."""
    condition, params = (task_filter or TaskFilter()).where()
    select = _REQUEUE_SQL.split("UPDATE sync_queue t")[0] + "SELECT count(*) FROM chosen"
    would = database.execute_sql(select.format(condition=condition), params).fetchone()[0]
    total = database.execute_sql(
        f"SELECT count(*) FROM sync_queue q WHERE q.status = 'failed' AND {condition}", params
    ).fetchone()[0]
    return would, total - would
