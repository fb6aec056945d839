"""Enqueueing: the only part of jobs/ the receiver uses."""

from redis import Redis
from rq import Queue, Retry

from jobs import defaults


def webhook_job_id(log_id: int) -> str:
    """One RQ job id per log, so a re-enqueue replaces rather than multiplies the job."""
    return f"webhook-log-{log_id}"


def enqueue_webhook(redis: Redis, log_id: int, receive_ms: float | None = None) -> str:
    """Queue process_webhook for a stored delivery; returns the job id."""
    queue = Queue(defaults.WEBHOOKS_QUEUE, connection=redis)
    job = queue.enqueue_call(
        defaults.PROCESS_WEBHOOK_FUNC,
        args=(log_id,),
        kwargs={"receive_ms": receive_ms},
        job_id=webhook_job_id(log_id),
        timeout=defaults.PROCESS_WEBHOOK_TIMEOUT,
        result_ttl=defaults.PROCESS_WEBHOOK_RESULT_TTL,
        failure_ttl=defaults.PROCESS_WEBHOOK_FAILURE_TTL,
        retry=Retry(
            max=len(defaults.PROCESS_WEBHOOK_RETRY_INTERVALS),
            interval=defaults.PROCESS_WEBHOOK_RETRY_INTERVALS,
        ),
    )
    return job.id
