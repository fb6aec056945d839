"""The zero-loss sweep: drain the spool into webhook_logs and queue every log left behind.

Three independent steps — draining the spool, re-queueing stranded `received` logs, re-queueing
(or, after too many lost runs, failing) `processing` logs nobody runs any more. One failing never
stops the others: each logs its error and the sweep reports it.
"""

import logging
from datetime import UTC, datetime, timedelta

from redis import Redis
from rq import Queue

from jobs import defaults
from jobs.context import current
from jobs.housekeeping.job_liveness import job_will_run
from jobs.housekeeping.spool_drain import drain_spool
from jobs.queues import enqueue_webhook, webhook_job_id
from store.log_processing import (
    fail_unfinished_log,
    processing_logs_started_before,
    release_unfinished_log,
)
from store.logs import stranded_received_logs

log = logging.getLogger(__name__)


def sweep(now: datetime | None = None) -> dict:
    """One pass; counts of what each step did, and `errors` naming the steps that failed."""
    redis = current().redis
    now = now or datetime.now(UTC)
    queue = Queue(defaults.WEBHOOKS_QUEUE, connection=redis)
    result = {"drained": 0, "set_aside": 0, "requeued": 0, "failed": 0, "errors": []}
    steps = (
        ("drain spool", lambda: _drain(redis)),
        ("requeue stranded", lambda: _requeue_stranded(redis, queue, now)),
        ("requeue stuck", lambda: _requeue_stuck(redis, queue, now)),
    )
    for name, step in steps:
        try:
            for key, count in step().items():
                result[key] += count
        # Any failure of one step (PostgreSQL, Redis, a bug) must not stop the others: logged
        # with its traceback and reported.
        except Exception as exc:
            log.exception("sweep step %r failed", name)
            result["errors"].append(f"{name}: {type(exc).__name__}: {exc}"[:500])
    return result


def _drain(redis: Redis) -> dict:
    drained = drain_spool(redis)
    return {"drained": drained.drained, "set_aside": drained.set_aside}


def _requeue_stranded(redis: Redis, queue: Queue, now: datetime) -> dict:
    """`received` logs past the grace period with no job that will run them."""
    older_than = now - timedelta(seconds=defaults.SWEEP_GRACE_SECONDS)
    requeued = 0
    for log_id in stranded_received_logs(older_than, defaults.SWEEP_BATCH):
        if not job_will_run(redis, queue, webhook_job_id(log_id)):
            enqueue_webhook(redis, log_id)
            requeued += 1
    return {"requeued": requeued}


def _requeue_stuck(redis: Redis, queue: Queue, now: datetime) -> dict:
    """`processing` logs whose run was lost: the worker died, or the job is gone.

    Past STUCK_PROCESSING_SECONDS a log is taken back whatever its job says (no try lasts that
    long); after STUCK_MAX_ATTEMPTS runs it ends `failed` with the reason, never re-run for ever.
    """
    started_before = now - timedelta(seconds=defaults.SWEEP_GRACE_SECONDS)
    stale_before = now - timedelta(seconds=defaults.STUCK_PROCESSING_SECONDS)
    requeued = failed = 0
    for unfinished in processing_logs_started_before(started_before, defaults.SWEEP_BATCH):
        stale = unfinished.started_at < stale_before
        if not stale and job_will_run(redis, queue, webhook_job_id(unfinished.id)):
            continue
        if unfinished.attempts >= defaults.STUCK_MAX_ATTEMPTS:
            reason = (
                f"processing never finished in {unfinished.attempts} tries: the worker died or"
                " its job was lost each time"
            )
            failed += fail_unfinished_log(unfinished, reason)
            continue
        why = "its run was lost (worker died or job gone); queued again by the sweeper"
        if release_unfinished_log(unfinished, why):
            enqueue_webhook(redis, unfinished.id)
            requeued += 1
    return {"requeued": requeued, "failed": failed}
