"""process_webhook: from a logged delivery to exactly the right sync tasks.

Claim the log atomically (a finished log is a no-op; a crashed run's log is re-claimable once it
is stale), route its events, write tasks through the coalescing writer, finish the log. An
exception gives the log back (`received`, error noted) for RQ's next try, and marks it `failed`
only when no try is left.
"""

import time

from peewee import InterfaceError, OperationalError
from rq import get_current_job

from jobs import defaults
from jobs.context import JobContext, current
from jobs.monitoring.webhook_counters import count_failed, count_received
from jobs.monitoring.worker_metrics import observe_processing
from jobs.moysklad import client_for_account
from jobs.processing.entity_loader import ApiReads
from jobs.processing.events import Event, Run, parse_events
from jobs.processing.loop_detector import limits_from
from jobs.processing.routing import route_events
from jobs.sync.wake import wake_targets
from store.db import asynchronous_commit, database
from store.log_processing import (
    ClaimedLog,
    claim_log,
    complete_log,
    fail_log,
    ignore_log,
    release_log,
)
from store.sync_tasks import syncing_targets

ERROR_LIMIT = 2000  # characters of an exception kept on the log


def process_webhook(log_id: int, receive_ms: float | None = None) -> dict:
    """Process one stored delivery; a summary dict (the log row holds the outcome)."""
    context = current()
    try:
        # A crash losing this run's last commits leaves it where a kill would: the sweeper
        # re-runs the log, and its tasks are merged, never doubled.
        with asynchronous_commit():
            return _process(context, log_id, receive_ms)
    except (OperationalError, InterfaceError):
        # The connection broke (PostgreSQL restarted?): drop it so the next job reconnects.
        database.close()
        raise


def _process(context: JobContext, log_id: int, receive_ms: float | None) -> dict:
    claim = claim_log(log_id, receive_ms, defaults.STUCK_PROCESSING_SECONDS)
    if claim is None:
        return {"log_id": log_id, "status": "skipped"}
    started = time.perf_counter()
    if claim.payload_error:
        # No try can read it either: failed now, with the reason, never `processing` for ever.
        fail_log(claim.id, f"stored payload cannot be read: {claim.payload_error}", 0.0)
        return {"log_id": claim.id, "status": "failed"}
    events: list[Event] = []
    try:
        events, notes = parse_events(claim.payload)
        run = Run(
            context.redis,
            log_id,
            rerun=claim.attempts > 1,
            notes=notes,
            changed_at=claim.received_at,
        )
        if claim.attempts == 1:
            count_received(context.redis, claim.account_id, _pairs(events), claim.received_at)
        ignored = route_events(run, events, _reads(context), limits_from(context.settings))
    except Exception as exc:
        _give_back(context.redis, claim, events, exc, started)
        raise
    summary = _finish(claim, run, ignored, events, started)
    metrics = context.redis.pipeline(transaction=False)  # sent with the wake-up: one round trip
    observe_processing(context.redis, summary["status"], _ms_since(started), metrics)
    # After the log is finished: the executors of the targets apply what was just written.
    wake_targets(context.redis, _syncing(run), metrics)
    return summary


def _syncing(run: Run) -> set[str]:
    """The run's targets whose executor applies tasks (sync mode live or shadow, active)."""
    known = {target for target in run.targets if run.applies_tasks.get(target)}
    return known | set(syncing_targets(run.targets - run.applies_tasks.keys()))


def _finish(claim: ClaimedLog, run: Run, ignored: list[str], events, started: float) -> dict:
    elapsed = _ms_since(started)
    if run.merged:
        run.note(f"merged into {run.merged} pending task(s)")
    if run.cancelled:
        run.note(f"cancelled {run.cancelled} pending task(s) of deleted entities")
    if run.held:
        run.note(f"{run.held} task(s) held: entity paused by the loop detector")
    if not events:
        ignore_log(claim.id, "; ".join(run.notes) or "no events", elapsed)
        status = "ignored"
    elif run.tasks == 0 and run.merged == 0 and (ignored or run.notes):
        ignore_log(claim.id, "; ".join(ignored + run.notes), elapsed)
        status = "ignored"
    else:
        note = "; ".join(ignored + run.notes) or None
        complete_log(claim.id, run.tasks, note, elapsed)
        status = "completed"
    return {"log_id": claim.id, "status": status, "tasks": run.tasks, "merged": run.merged}


def _give_back(redis, claim: ClaimedLog, events: list[Event], exc: Exception, started) -> None:
    error = f"{type(exc).__name__}: {exc}"[:ERROR_LIMIT]
    try:
        if _retries_left() > 0:
            release_log(claim.id, f"try {claim.attempts} failed: {error}")
            observe_processing(redis, "retry", _ms_since(started))
            return
        fail_log(claim.id, error, _ms_since(started))
    except (OperationalError, InterfaceError):
        return  # the database is away: the log stays `processing`, the sweeper re-queues it
    observe_processing(redis, "failed", _ms_since(started))
    count_failed(redis, claim.account_id, _pairs(events))


def _reads(context: JobContext) -> ApiReads:
    return ApiReads(lambda account_id: client_for_account(context, account_id), context.redis)


def _retries_left() -> int:
    """RQ tries this job again when this is > 0; called outside RQ there is no next try."""
    job = get_current_job()
    return (job.retries_left or 0) if job is not None else 0


def _pairs(events: list[Event]) -> set[tuple[str, str]]:
    return {(event.entity_type, event.action) for event in events}


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
