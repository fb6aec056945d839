"""wake_targets: the same jobs as wake_target one by one, in one round trip when they wait."""

import uuid

from rq import Queue
from rq.job import Job, JobStatus

from jobs.queues import sync_job_id
from jobs.sync import defaults
from jobs.sync.wake import SECOND_ID_SUFFIX, wake_target, wake_targets


def _targets(count: int) -> list[str]:
    return sorted(str(uuid.uuid4()) for _ in range(count))


def _queued(redis) -> list[str]:
    return Queue("sync", connection=redis).job_ids


def _mark(redis, job_id: str, status: JobStatus) -> None:
    job = Job.fetch(job_id, connection=redis)
    job.set_status(status)


def test_targets_without_a_job_get_one_each_and_their_flag(redis):
    targets = _targets(3)
    assert wake_targets(redis, targets) == [sync_job_id(t) for t in targets]
    assert sorted(_queued(redis)) == sorted(sync_job_id(t) for t in targets)
    assert all(redis.exists(defaults.WAKE_PREFIX + t) for t in targets)


def test_waiting_jobs_are_not_queued_twice_and_cost_one_round_trip(redis):
    targets = _targets(3)
    wake_targets(redis, targets)
    redis.delete(*(defaults.WAKE_PREFIX + t for t in targets))
    calls = []
    original = redis.execute_command
    redis.execute_command = lambda *args, **kw: calls.append(args) or original(*args, **kw)
    try:
        assert wake_targets(redis, targets) == [sync_job_id(t) for t in targets]
    finally:
        redis.execute_command = original
    assert calls == []  # the pipeline alone: no fetch, no enqueue
    assert sorted(_queued(redis)) == sorted(sync_job_id(t) for t in targets)
    assert all(redis.exists(defaults.WAKE_PREFIX + t) for t in targets)


def test_a_running_job_gets_its_successor_under_the_second_id_once(redis):
    (target,) = _targets(1)
    wake_target(redis, target)
    Queue("sync", connection=redis).remove(sync_job_id(target))  # a worker took it
    _mark(redis, sync_job_id(target), JobStatus.STARTED)
    second = sync_job_id(target) + SECOND_ID_SUFFIX
    assert wake_targets(redis, [target]) == [second]
    assert wake_targets(redis, [target]) == [second]
    assert _queued(redis) == [second]


def test_batch_and_single_wakes_agree(redis):
    running, waiting, idle = _targets(3)
    for target in (running, waiting):
        wake_target(redis, target)
    Queue("sync", connection=redis).remove(sync_job_id(running))
    _mark(redis, sync_job_id(running), JobStatus.STARTED)
    batch = wake_targets(redis, [running, waiting, idle])
    single = [wake_target(redis, target) for target in sorted([running, waiting, idle])]
    assert batch == single
    assert sorted(_queued(redis)) == sorted(
        [sync_job_id(running) + SECOND_ID_SUFFIX, sync_job_id(waiting), sync_job_id(idle)]
    )


def test_the_callers_commands_go_in_the_same_round_trip_targets_or_not(redis):
    (target,) = _targets(1)
    for targets in ([target], []):
        pipe = redis.pipeline(transaction=False)
        pipe.incr("caller:counter")
        woken = wake_targets(redis, targets, pipe)
        assert woken == [sync_job_id(t) for t in targets]
    assert redis.get("caller:counter") == b"2"
    assert _queued(redis) == [sync_job_id(target)]
