"""The processing side of webhook_logs: claim, complete, ignore, release for a retry, fail."""

import json
from dataclasses import dataclass
from datetime import datetime

from store.db import database

# A claim takes a `received` log, or a `processing` one whose worker died (started long ago).
_CLAIM_SQL = """
UPDATE webhook_logs
   SET status = 'processing', started_at = now(), attempts = attempts + 1,
       receive_ms = COALESCE(%s, receive_ms), error = NULL
 WHERE id = %s
   AND (status = 'received'
        OR (status = 'processing' AND started_at < now() - make_interval(secs => %s)))
RETURNING id, account_id::text, payload::text, attempts, received_at
"""

_FINISH_SQL = """
UPDATE webhook_logs
   SET status = %s, reason = %s, error = %s, tasks_created = %s, finished_at = now(),
       processing_ms = %s
 WHERE id = %s AND status = 'processing'
"""


@dataclass(frozen=True)
class ClaimedLog:
    id: int
    account_id: str | None
    payload: dict
    attempts: int  # 1 on the first run; more on retries and sweeper re-runs
    received_at: datetime
    payload_error: str | None = None  # the stored payload cannot be read back (payload is {})


@dataclass(frozen=True)
class UnfinishedLog:
    id: int
    attempts: int
    started_at: datetime


def claim_log(log_id: int, receive_ms: float | None, stale_after_seconds: int) -> ClaimedLog | None:
    """Take the log for processing; None when it is finished or another run holds it."""
    row = database.execute_sql(_CLAIM_SQL, (receive_ms, log_id, stale_after_seconds)).fetchone()
    if row is None:
        return None
    log_id, account_id, text, attempts, received_at = row
    # Read here, not by the driver: a payload that cannot be read must end the claimed log
    # `failed`, not leave it `processing` after the claim has been committed.
    try:
        payload = json.loads(text) if text else {}
    except (ValueError, RecursionError) as exc:
        return ClaimedLog(log_id, account_id, {}, attempts, received_at, f"{exc}"[:500])
    return ClaimedLog(log_id, account_id, payload, attempts, received_at)


def complete_log(log_id: int, tasks_created: int, note: str | None, processing_ms: float) -> bool:
    """Mark a claimed log `completed`; note (optional) says what was skipped and why."""
    return _finish(log_id, "completed", note, None, tasks_created, processing_ms)


def ignore_log(log_id: int, reason: str, processing_ms: float, tasks_created: int = 0) -> bool:
    """Mark a claimed log `ignored`: nothing can come of it, the reason says why."""
    return _finish(log_id, "ignored", reason, None, tasks_created, processing_ms)


def fail_log(log_id: int, error: str, processing_ms: float) -> bool:
    """Mark a claimed log `failed` after its last try (retry-failed can re-run it)."""
    return _finish(log_id, "failed", None, error, 0, processing_ms)


def release_log(log_id: int, error: str) -> bool:
    """Give a claimed log back (`received`) for the next try, with the error of this one."""
    cursor = database.execute_sql(
        "UPDATE webhook_logs SET status = 'received', error = %s"
        " WHERE id = %s AND status = 'processing'",
        (error, log_id),
    )
    return cursor.rowcount == 1


def processing_logs_started_before(started_before: datetime, limit: int) -> list[UnfinishedLog]:
    """Logs `processing` since before started_before, oldest first (has their worker died?)."""
    cursor = database.execute_sql(
        "SELECT id, attempts, started_at FROM webhook_logs"
        " WHERE status = 'processing' AND started_at < %s ORDER BY started_at LIMIT %s",
        (started_before, limit),
    )
    return [UnfinishedLog(*row) for row in cursor]


def release_unfinished_log(log: UnfinishedLog, error: str) -> bool:
    """Give back a log whose run was lost (`received`), unless it moved on meanwhile."""
    cursor = database.execute_sql(
        "UPDATE webhook_logs SET status = 'received', error = %s"
        " WHERE id = %s AND status = 'processing' AND started_at = %s",
        (error, log.id, log.started_at),
    )
    return cursor.rowcount == 1


def fail_unfinished_log(log: UnfinishedLog, error: str) -> bool:
    """End a log whose runs kept getting lost `failed` (retry-failed can re-run it)."""
    cursor = database.execute_sql(
        "UPDATE webhook_logs SET status = 'failed', error = %s, finished_at = now()"
        " WHERE id = %s AND status = 'processing' AND started_at = %s",
        (error, log.id, log.started_at),
    )
    return cursor.rowcount == 1


def _finish(
    log_id: int, status: str, reason: str | None, error: str | None, tasks: int, ms: float
) -> bool:
    cursor = database.execute_sql(_FINISH_SQL, (status, reason, error, tasks, ms, log_id))
    return cursor.rowcount == 1
