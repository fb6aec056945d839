"""A child's full sync as an RQ job (the Accounts page's button): one waiting run per child."""

from redis import Redis
from rq import Queue
from rq.job import JobStatus

from jobs import defaults
from jobs.context import current
from jobs.sync.full_sync import plan_full_sync

FULL_SYNC_FUNC = "jobs.sync.full_sync_job.run_full_sync"
FULL_SYNC_TIMEOUT = 1800  # seconds: a 5,000-item catalogue is planned in well under a minute
FULL_SYNC_RESULT_TTL = 7 * 24 * 3600  # the report stays readable for a week


def full_sync_job_id(child_id: str, dry_run: bool) -> str:
    return f"full-sync-{child_id}{'-dry-run' if dry_run else ''}"


def run_full_sync(child_id: str, dry_run: bool = False) -> dict:
    """The job: plan the child's full sync; its report."""
    return plan_full_sync(current(), child_id, dry_run=dry_run).as_dict()


def enqueue_full_sync(redis: Redis, child_id: str, dry_run: bool = False) -> str:
    """Queue the child's full sync on the default queue unless one is already waiting or
    running; the job id (its result is the report)."""
    queue = Queue(defaults.DEFAULT_QUEUE, connection=redis)
    job_id = full_sync_job_id(child_id, dry_run)
    existing = queue.fetch_job(job_id)
    busy = (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED, JobStatus.STARTED)
    if existing is not None and existing.get_status(refresh=False) in busy:
        return job_id
    queue.enqueue_call(
        FULL_SYNC_FUNC,
        args=(str(child_id), dry_run),
        job_id=job_id,
        timeout=FULL_SYNC_TIMEOUT,
        result_ttl=FULL_SYNC_RESULT_TTL,
    )
    return job_id
