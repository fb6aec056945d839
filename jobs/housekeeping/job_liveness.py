"""Is there an RQ job that will really run this log? The sweeper's test before re-queueing it.

A job's status alone is not enough: a worker killed after taking a job off its queue but before
marking it `started` leaves it `queued` in no queue at all, and a worker killed mid-job leaves it
`started` for ever. So: `queued` counts only while the queue's list holds the id; `started` only
while the worker running it is alive (its key, which it must keep refreshing, still exists);
`scheduled` (a retry's backoff) and `deferred` only while their registry holds it.
"""

from redis import Redis
from rq import Queue, Worker
from rq.job import Job, JobStatus


def job_will_run(redis: Redis, queue: Queue, job_id: str) -> bool:
    job = Job.fetch_many([job_id], connection=redis)[0]
    if job is None:
        return False
    status = job.get_status(refresh=False)
    if status == JobStatus.QUEUED:
        return redis.lpos(queue.key, job_id) is not None
    if status == JobStatus.STARTED:
        return bool(job.worker_name) and worker_alive(redis, job.worker_name)
    if status == JobStatus.SCHEDULED:
        return job_id in queue.scheduled_job_registry
    if status == JobStatus.DEFERRED:
        return redis.zscore(queue.deferred_job_registry.key, job_id) is not None
    return False  # finished, failed, stopped, canceled: nothing will run it again


def worker_alive(redis: Redis, worker_name: str) -> bool:
    """RQ lets a worker's key expire unless the worker keeps sending heartbeats."""
    return bool(redis.exists(Worker.redis_worker_namespace_prefix + worker_name))
