"""Is there an RQ job that will really run this log? The sweeper's test before re-queueing it.

A job's status alone is not enough: a worker killed after taking a job off its queue but before
marking it `started` leaves it `queued` in no queue at all, and a worker killed mid-job leaves it
`started` for ever. So: `queued` counts only while the queue's list holds the id; `started` only
while the worker running it is alive; `scheduled` (a retry's backoff) and `deferred` only while
their registry holds it.

A worker is alive while its pulse key exists: a thread of the worker process refreshes it every
PULSE_SECONDS, also while a job runs, so a SIGKILLed worker is known dead PULSE_TTL seconds later.
(RQ's own worker key outlives a kill by the job's whole timeout plus a minute.)
"""

import threading
from contextlib import suppress

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.job import Job, JobStatus

PULSE_KEY = "webhooks:worker-pulse:{}"
PULSE_SECONDS = 5.0
PULSE_TTL = 20  # seconds: four missed pulses and the worker is dead


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
    return bool(redis.exists(PULSE_KEY.format(worker_name)))


class Pulse(threading.Thread):
    """The worker process's pulse: started with the worker, stopped when it ends."""

    def __init__(self, redis: Redis, worker_name: str):
        super().__init__(name=f"pulse-{worker_name}", daemon=True)
        self.redis = redis
        self.key = PULSE_KEY.format(worker_name)
        self._stopped = threading.Event()

    def run(self) -> None:
        while True:
            # Redis away: the worker's main loop waits for it, and so does the pulse.
            with suppress(RedisError):
                self.redis.set(self.key, 1, ex=PULSE_TTL)
            if self._stopped.wait(PULSE_SECONDS):
                return

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=PULSE_SECONDS)
        with suppress(RedisError):  # else it expires by itself
            self.redis.delete(self.key)
