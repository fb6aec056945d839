"""The zero-loss sweep: drain the spool into webhook_logs and queue every log left behind."""

from datetime import UTC, datetime, timedelta

from redis import Redis
from rq.job import Job, JobStatus

from jobs import defaults
from jobs.context import current
from jobs.queues import enqueue_webhook, webhook_job_id
from store.logs import Delivery, record_delivery, stranded_received_logs, stuck_processing_logs
from store.spool import drain_spool

LIVE_JOB_STATES = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}


def sweep(now: datetime | None = None) -> dict[str, int]:
    """One pass: spool → webhook_logs; stranded `received` and stuck `processing` logs → queue."""
    redis = current().redis
    now = now or datetime.now(UTC)
    drained = drain_spool(redis, lambda *a: _store_spooled(redis, *a), defaults.SPOOL_DRAIN_BATCH)
    stranded = stranded_received_logs(
        now - timedelta(seconds=defaults.SWEEP_GRACE_SECONDS), defaults.SWEEP_BATCH
    )
    stuck = stuck_processing_logs(
        now - timedelta(seconds=defaults.STUCK_PROCESSING_SECONDS), defaults.SWEEP_BATCH
    )
    requeued = [log_id for log_id in stranded if not _job_alive(redis, log_id)] + stuck
    for log_id in requeued:
        enqueue_webhook(redis, log_id)
    return {"drained": drained, "requeued": len(requeued)}


def _store_spooled(redis: Redis, delivery: Delivery, received_at: datetime, receive_ms: float):
    log_id = record_delivery(delivery, receive_ms=receive_ms, received_at=received_at)
    if log_id is not None:  # None: it reached the database before (a repeated drain)
        enqueue_webhook(redis, log_id, receive_ms)


def _job_alive(redis: Redis, log_id: int) -> bool:
    job = Job.fetch_many([webhook_job_id(log_id)], connection=redis)[0]
    return job is not None and job.get_status(refresh=False) in LIVE_JOB_STATES
