"""Enqueueing: the only part of jobs/ the receiver uses."""

import contextlib
from datetime import UTC, datetime

from redis import Redis
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry

from jobs import defaults
from store.logs import LogFilter, give_up_log, reset_failed_logs

# How many tries process_webhook gets in all: the first and one per retry interval.
PROCESS_WEBHOOK_TRIES = 1 + len(defaults.PROCESS_WEBHOOK_RETRY_INTERVALS)


def webhook_job_id(log_id: int) -> str:
    """One RQ job id per log, so a re-enqueue replaces rather than multiplies the job."""
    return f"webhook-log-{log_id}"


def enqueue_webhook(redis: Redis, log_id: int, receive_ms: float | None = None) -> str:
    """Queue process_webhook for a stored delivery; returns the job id. One Redis round trip."""
    return enqueue_webhooks(redis, [(log_id, receive_ms)])[0]


def enqueue_webhooks(redis: Redis, logs: list[tuple[int, float | None]]) -> list[str]:
    """Queue process_webhook for many stored deliveries ((log id, receive_ms) each) at once."""
    queue = Queue(defaults.WEBHOOKS_QUEUE, connection=redis)
    pipeline = redis.pipeline()
    job_ids = []
    for log_id, receive_ms in logs:
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
            pipeline=pipeline,
        )
        job_ids.append(job.id)
    pipeline.execute()
    return job_ids


def scheduled_retries(redis: Redis, log_ids: list[int]) -> dict[int, datetime]:
    """When RQ will run each log's next try (logs waiting for a retry), in one round trip."""
    key = ScheduledJobRegistry(defaults.WEBHOOKS_QUEUE, connection=redis).key
    pipeline = redis.pipeline(transaction=False)
    for log_id in log_ids:
        pipeline.zscore(key, webhook_job_id(log_id))
    scores = pipeline.execute()
    return {
        log_id: datetime.fromtimestamp(score, tz=UTC)
        for log_id, score in zip(log_ids, scores, strict=True)
        if score is not None
    }


def give_up_webhook(redis: Redis, log_id: int, by: str) -> str | None:
    """Stop a log's retries: marked failed and given up (retry-all skips it), its waiting RQ
    job removed. The status it had, or None when there was nothing to give up."""
    before = give_up_log(log_id, by)
    if before is not None:
        # No job waiting (a failed log's job may have expired): nothing to remove.
        with contextlib.suppress(NoSuchJobError):
            Job.fetch(webhook_job_id(log_id), connection=redis).delete()
    return before


def sync_job_id(target_account_id: str) -> str:
    """One RQ job id per target account: its sync tasks are applied by one job at a time."""
    return f"sync-{target_account_id}"


def enqueue_sync(redis: Redis, target_account_id: str) -> str:
    """Queue apply_sync_tasks for a target account unless a run of it is already waiting."""
    queue = Queue(defaults.SYNC_QUEUE, connection=redis)
    job_id = sync_job_id(target_account_id)
    waiting = queue.fetch_job(job_id)
    if waiting is not None and waiting.get_status(refresh=False) in (
        JobStatus.QUEUED,
        JobStatus.SCHEDULED,
        JobStatus.DEFERRED,
    ):
        return job_id
    queue.enqueue_call(
        defaults.APPLY_SYNC_TASKS_FUNC,
        args=(str(target_account_id),),
        job_id=job_id,
        timeout=defaults.APPLY_SYNC_TASKS_TIMEOUT,
        result_ttl=0,
        failure_ttl=defaults.APPLY_SYNC_TASKS_FAILURE_TTL,
    )
    return job_id


def enqueue_verify(redis: Redis, child_account_id: str) -> str:
    """Queue the verify of one child (jobs.sync.verify.verify_one) unless one is waiting."""
    queue = Queue(defaults.DEFAULT_QUEUE, connection=redis)
    job_id = f"verify-{child_account_id}"
    waiting = queue.fetch_job(job_id)
    if waiting is not None and waiting.get_status(refresh=False) in (
        JobStatus.QUEUED,
        JobStatus.STARTED,
    ):
        return job_id
    queue.enqueue_call(
        defaults.VERIFY_FUNC,
        args=(str(child_account_id),),
        job_id=job_id,
        timeout=defaults.VERIFY_TIMEOUT,
        result_ttl=defaults.VERIFY_INTERVAL,
    )
    return job_id


def enqueue_setup(redis: Redis, account_id: str, mode: str = "setup") -> str:
    """Queue webhook reconciliation (setup, reinstall or check) of one account."""
    job = Queue(defaults.DEFAULT_QUEUE, connection=redis).enqueue_call(
        defaults.SETUP_WEBHOOKS_FUNC,
        args=(str(account_id),),
        kwargs={"mode": mode},
        timeout=defaults.SETUP_WEBHOOKS_TIMEOUT,
        result_ttl=defaults.SETUP_WEBHOOKS_RESULT_TTL,
    )
    return job.id


def enqueue_reported_setup(redis: Redis, report_id: int) -> str:
    """Queue the setup / reinstall / check an action report (store.action_reports) describes."""
    job = Queue(defaults.DEFAULT_QUEUE, connection=redis).enqueue_call(
        defaults.SETUP_AND_REPORT_FUNC,
        args=(report_id,),
        timeout=defaults.SETUP_WEBHOOKS_TIMEOUT,
        result_ttl=0,  # the report lives in action_reports
        failure_ttl=defaults.SETUP_WEBHOOKS_RESULT_TTL,
    )
    return job.id


def enqueue_folder_names(redis: Redis, account_id: str) -> str:
    """Queue the read of an account's folder names (shown in place of a filter's folder ids)."""
    job = Queue(defaults.DEFAULT_QUEUE, connection=redis).enqueue_call(
        defaults.REFRESH_FOLDER_NAMES_FUNC,
        args=(str(account_id),),
        timeout=defaults.REFRESH_FOLDER_NAMES_TIMEOUT,
        result_ttl=0,  # the names live in Redis under folder_names:<account>
    )
    return job.id


def enqueue_report_activated(redis: Redis, account_id: str) -> str:
    """Queue the `Activated` report to МойСклад's vendor API (after SettingsRequired)."""
    job = Queue(defaults.DEFAULT_QUEUE, connection=redis).enqueue_call(
        defaults.REPORT_ACTIVATED_FUNC,
        args=(str(account_id),),
        timeout=defaults.REPORT_ACTIVATED_TIMEOUT,
        result_ttl=defaults.SETUP_WEBHOOKS_RESULT_TTL,
        retry=Retry(
            max=len(defaults.REPORT_ACTIVATED_RETRY_INTERVALS),
            interval=defaults.REPORT_ACTIVATED_RETRY_INTERVALS,
        ),
    )
    return job.id


def after_type_change(
    redis: Redis, account_id: str, app_id: str | None, previous: str | None
) -> list[str]:
    """Queue what a new type needs: webhook setup, and for an app installed through МойСклад
    that had no type yet (answered SettingsRequired), the `Activated` report. The job ids."""
    jobs = [enqueue_setup(redis, account_id)]
    if app_id and previous is None:
        jobs.append(enqueue_report_activated(redis, account_id))
    return jobs


def retry_failed_logs(redis: Redis, log_filter: LogFilter) -> list[int]:
    """Re-run every failed log matching the filter (console button, retry-failed command),
    except those an operator gave up; pass `ids` in the filter to re-run a confirmed set."""
    log_ids = reset_failed_logs(log_filter)
    for log_id in log_ids:
        enqueue_webhook(redis, log_id)
    return log_ids
