"""Waking a target's executor when tasks were written (processing, the dispatcher, a retry).

jobs.queues.enqueue_sync keeps one waiting job per target. While that job is already running,
a new enqueue under the same id would be deleted with it when it finishes (result_ttl 0), so the
wake-up goes under the target's second id instead; the target lock still lets one run at a time.
The wake flag tells a running executor to look again before it stops.
"""

from datetime import timedelta

from redis import Redis
from redis.client import Pipeline
from rq import Queue, get_current_job
from rq.job import Job, JobStatus
from rq.utils import as_text

from jobs import defaults as job_defaults
from jobs.queues import enqueue_sync, sync_job_id
from jobs.sync import defaults

SECOND_ID_SUFFIX = "-next"
WAITING = (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED)


def wake_target(redis: Redis, target_account_id: str) -> str:
    """Flag the target and make sure a job for it will run; the job id."""
    target = str(target_account_id)
    redis.set(defaults.WAKE_PREFIX + target, 1, ex=defaults.WAKE_TTL)
    return _ensure_job(redis, target)


def wake_targets(
    redis: Redis, targets: set[str] | list[str], pipeline: Pipeline | None = None
) -> list[str]:
    """wake_target for each; one round trip when every target already has its job waiting
    (the common case under load), wake_target's reads and enqueue only for the others.
    `pipeline`: commands of the caller's to send in that round trip too."""
    targets = sorted({str(target) for target in targets})
    pipe = pipeline if pipeline is not None else redis.pipeline(transaction=False)
    start = len(pipe)
    if not targets:
        if start:
            pipe.execute()
        return []
    for target in targets:
        pipe.set(defaults.WAKE_PREFIX + target, 1, ex=defaults.WAKE_TTL)
        for job_id in (sync_job_id(target), sync_job_id(target) + SECOND_ID_SUFFIX):
            pipe.hmget(Job.key_for(job_id), "status", "origin")
    replies = pipe.execute()[start:]
    woken = []
    for index, target in enumerate(targets):
        first, second = replies[index * 3 + 1], replies[index * 3 + 2]
        woken.append(_waiting_id(target, first, second) or _ensure_job(redis, target))
    return woken


def _waiting_id(target: str, first: list, second: list) -> str | None:
    """The job id wake_target would return without enqueueing, from the (status, origin) of
    the target's two jobs; None when it would have to enqueue (or look closer)."""
    if _status(first) == JobStatus.STARTED:
        return sync_job_id(target) + SECOND_ID_SUFFIX if _status(second) in WAITING else None
    return sync_job_id(target) if _status(first) in WAITING else None


def _status(reply: list) -> JobStatus | None:
    """A job's status from HMGET status, origin; None unless it is a job of the sync queue."""
    status, origin = reply
    if status is None or origin is None or as_text(origin) != job_defaults.SYNC_QUEUE:
        return None
    try:
        return JobStatus(as_text(status))
    except ValueError:
        return None


def _ensure_job(redis: Redis, target: str) -> str:
    queue = Queue(job_defaults.SYNC_QUEUE, connection=redis)
    first = queue.fetch_job(sync_job_id(target))
    if first is not None and first.get_status(refresh=False) == JobStatus.STARTED:
        return _enqueue_second(queue, target, sync_job_id(target) + SECOND_ID_SUFFIX)
    return enqueue_sync(redis, target)


def continue_later(redis: Redis, target_account_id: str, delay: float = 0) -> str:
    """From inside an executor job: queue the target's next run (after `delay` seconds) under
    the id this job does not have (the one it has is deleted with it when it finishes)."""
    target = str(target_account_id)
    current = get_current_job()
    base = sync_job_id(target)
    job_id = base + SECOND_ID_SUFFIX if current is not None and current.id == base else base
    return _enqueue_second(Queue(job_defaults.SYNC_QUEUE, connection=redis), target, job_id, delay)


def _enqueue_second(queue: Queue, target: str, job_id: str, delay: float = 0) -> str:
    waiting = queue.fetch_job(job_id)
    if waiting is not None and waiting.get_status(refresh=False) in WAITING:
        return job_id
    options = {
        "job_id": job_id,
        "job_timeout": job_defaults.APPLY_SYNC_TASKS_TIMEOUT,
        "result_ttl": 0,
        "failure_ttl": job_defaults.APPLY_SYNC_TASKS_FAILURE_TTL,
    }
    function = job_defaults.APPLY_SYNC_TASKS_FUNC
    if delay > 0:
        queue.enqueue_in(timedelta(seconds=delay), function, target, **options)
    else:
        queue.enqueue(function, target, **options)
    return job_id
