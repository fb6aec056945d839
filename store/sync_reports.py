"""Read-only reports on the sync executor's work (sync_queue): tasks by status and target, lag,
failed tasks with their reasons, claims whose job died (throughput and latency: sync_latency)."""

from dataclasses import dataclass
from datetime import UTC, datetime

from store.db import database

# A claimed task: 'running' is the executor's word (issue 13), 'processing' the one the schema
# allowed before it; both mean "a job has it now".
CLAIMED_STATUSES = ("running", "processing")
STATUSES = ("pending", "held", "running", "completed", "failed", "cancelled")


@dataclass(frozen=True)
class TaskFilter:
    """Which tasks a report or a retry covers; every field narrows, None means all."""

    target_account_id: str | None = None
    entity_type: str | None = None
    operation: str | None = None
    task_id: int | None = None
    search: str | None = None  # an entity id, or words of the error

    def where(self, alias: str = "q") -> tuple[str, list]:
        """The SQL condition (ANDed to others) and its parameters."""
        parts, params = [], []
        for column, value in (
            ("target_account_id", self.target_account_id),
            ("entity_type", self.entity_type),
            ("operation", self.operation),
            ("id", self.task_id),
        ):
            if value is not None:
                parts.append(f"{alias}.{column} = %s")
                params.append(value)
        if self.search:
            parts.append(f"({alias}.entity_id = %s OR {alias}.error ILIKE %s)")
            params += [self.search, f"%{self.search}%"]
        return " AND ".join(parts) or "true", params


# Open tasks are few and each status has its partial index; finished ones are counted by time.
_BY_STATUS_SQL = """
WITH counted AS (
    SELECT target_account_id, status, count(*) AS n FROM sync_queue
     WHERE status = 'pending' AND {condition} GROUP BY 1, 2
    UNION ALL
    SELECT target_account_id, status, count(*) FROM sync_queue
     WHERE status = 'held' AND {condition} GROUP BY 1, 2
    UNION ALL
    SELECT target_account_id, 'running', count(*) FROM sync_queue
     WHERE status IN ('running', 'processing') AND {condition} GROUP BY 1, 2
    UNION ALL
    SELECT target_account_id, status, count(*) FROM sync_queue
     WHERE status = 'failed' AND {condition} GROUP BY 1, 2
    UNION ALL
    SELECT target_account_id, status, count(*) FROM sync_queue
     WHERE finished_at >= %s AND status IN ('completed', 'cancelled') AND {condition}
     GROUP BY 1, 2
)
SELECT c.target_account_id::text, a.name, a.sync_mode, c.status, sum(c.n)::int
  FROM counted c LEFT JOIN accounts a ON a.id = c.target_account_id
 GROUP BY 1, 2, 3, 4 ORDER BY 2, 1, 4
"""


def tasks_by_status(
    target_account_id: str | None = None, finished_since: datetime | None = None
) -> list[dict]:
    """target_account_id, name, sync_mode, status, tasks: one row per target and status. Open
    tasks (pending, held, running, failed) all; completed and cancelled ones finished since
    `finished_since` (default: ever)."""
    condition, params = TaskFilter(target_account_id=target_account_id).where("sync_queue")
    since = finished_since or datetime.min.replace(tzinfo=UTC)
    rows = database.execute_sql(
        _BY_STATUS_SQL.format(condition=condition), params * 4 + [since, *params]
    ).fetchall()
    keys = ("target_account_id", "name", "sync_mode", "status", "tasks")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def lag_by_target(now: datetime | None = None) -> list[dict]:
    """Per target with due pending tasks: how many are due and the lag — the age (seconds) of
    the oldest one since it became due. Oldest first."""
    now = now or datetime.now(UTC)
    rows = database.execute_sql(
        "SELECT q.target_account_id::text, a.name, a.sync_mode, count(*), min(q.scheduled_at),"
        " extract(epoch FROM %s - min(q.scheduled_at))::float"
        " FROM sync_queue q LEFT JOIN accounts a ON a.id = q.target_account_id"
        " WHERE q.status = 'pending' AND q.scheduled_at <= %s"
        " GROUP BY 1, 2, 3 ORDER BY 5",
        (now, now),
    ).fetchall()
    keys = ("target_account_id", "name", "sync_mode", "due", "oldest_due_at", "lag_seconds")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def pending_by_served_target() -> list[dict]:
    """Per active target in live or shadow mode (the ones the executor serves) with pending
    tasks, due or later: its name and how many. By name."""
    rows = database.execute_sql(
        "SELECT q.target_account_id::text, a.name, count(*)::int"
        " FROM sync_queue q JOIN accounts a ON a.id = q.target_account_id"
        " WHERE q.status = 'pending' AND a.sync_mode IN ('live', 'shadow') AND a.status = 'active'"
        " GROUP BY 1, 2 ORDER BY 2, 1"
    ).fetchall()
    return [dict(zip(("target_account_id", "name", "pending"), row, strict=True)) for row in rows]


def overall_lag(now: datetime | None = None) -> float | None:
    """The largest lag of a target the executor serves (sync mode not off); None when none due."""
    lags = [row["lag_seconds"] for row in lag_by_target(now) if row["sync_mode"] != "off"]
    return max(lags) if lags else None


def failed_tasks(task_filter: TaskFilter | None = None, limit: int = 100) -> list[dict]:
    """Failed tasks matching the filter, newest failure first, with the target's name."""
    condition, params = (task_filter or TaskFilter()).where()
    cursor = database.execute_sql(
        "SELECT q.id, q.target_account_id::text, a.name, q.entity_type, q.entity_id, q.operation,"
        " q.attempts, q.error, q.finished_at, q.changed_at, q.request, q.result"
        " FROM sync_queue q LEFT JOIN accounts a ON a.id = q.target_account_id"
        f" WHERE q.status = 'failed' AND {condition}"
        " ORDER BY q.finished_at DESC NULLS LAST, q.id DESC LIMIT %s",
        [*params, limit],
    )
    keys = [column[0] for column in cursor.description]
    keys[1:3] = ["target_account_id", "target_name"]
    return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]


def count_failed(task_filter: TaskFilter | None = None, since: datetime | None = None) -> int:
    """Failed tasks matching the filter (that failed at or after `since`, when given)."""
    condition, params = (task_filter or TaskFilter()).where()
    if since is not None:
        condition += " AND q.finished_at >= %s"
        params.append(since)
    return database.execute_sql(
        f"SELECT count(*) FROM sync_queue q WHERE q.status = 'failed' AND {condition}", params
    ).fetchone()[0]


def stale_claimed(claimed_before: datetime) -> int:
    """Claimed tasks whose claim is older than `claimed_before` (their job likely died)."""
    return database.execute_sql(
        "SELECT count(*) FROM sync_queue WHERE status = ANY(%s) AND claimed_at < %s",
        (list(CLAIMED_STATUSES), claimed_before),
    ).fetchone()[0]
