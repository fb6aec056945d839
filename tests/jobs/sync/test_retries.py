"""Retrying failed sync tasks wakes each served target the one way (jobs.sync.wake): one job
per target on queue `sync`, never a second one beside a waiting job, the follow-up run when its
job is running, none for a target in sync mode off."""

from rq import Queue
from rq.job import JobStatus

from jobs import defaults
from jobs.queues import enqueue_sync, sync_job_id
from jobs.sync import defaults as sync_defaults
from jobs.sync.retries import retry_failed_tasks
from jobs.sync.wake import SECOND_ID_SUFFIX
from store.models import SyncTask
from store.sync_reports import TaskFilter
from tests.store.sync_rows import KAZAN, MOSCOW, add_franchise
from tests.store.test_sync_retries import failed


def queued(redis) -> list[str]:
    return Queue(defaults.SYNC_QUEUE, connection=redis).job_ids


def test_a_retry_wakes_its_target_exactly_once_however_often_it_is_retried(db, redis):
    add_franchise()
    first, second = failed(MOSCOW), failed(MOSCOW)
    done = retry_failed_tasks(redis, TaskFilter(task_id=first))
    assert done.requeued.tasks == [(first, MOSCOW)] and done.woken == [MOSCOW]
    assert queued(redis) == [sync_job_id(MOSCOW)]
    assert redis.exists(sync_defaults.WAKE_PREFIX + MOSCOW)  # a running executor looks again
    retry_failed_tasks(redis, TaskFilter(task_id=second))
    assert queued(redis) == [sync_job_id(MOSCOW)]


def test_a_retry_while_the_targets_job_runs_queues_its_follow_up_once(db, redis):
    add_franchise()
    queue = Queue(defaults.SYNC_QUEUE, connection=redis)
    running = queue.fetch_job(enqueue_sync(redis, MOSCOW))
    queue.remove(running)  # a worker took it
    running.set_status(JobStatus.STARTED)
    retry_failed_tasks(redis, TaskFilter(task_id=failed(MOSCOW)))
    retry_failed_tasks(redis, TaskFilter(task_id=failed(MOSCOW)))
    assert queued(redis) == [sync_job_id(MOSCOW) + SECOND_ID_SUFFIX]
    assert queue.fetch_job(sync_job_id(MOSCOW)).get_status() == JobStatus.STARTED


def test_retry_matching_a_filter_wakes_only_its_targets(db, redis):
    add_franchise()
    moscow = [failed(MOSCOW), failed(MOSCOW)]
    kazan = failed(KAZAN, entity_type="service")
    done = retry_failed_tasks(redis, TaskFilter(target_account_id=MOSCOW))
    assert sorted(task_id for task_id, _ in done.requeued.tasks) == sorted(moscow)
    assert SyncTask.get_by_id(kazan).status == "failed"
    assert queued(redis) == [sync_job_id(MOSCOW)]
    retry_failed_tasks(redis, TaskFilter(entity_type="service"))
    assert sorted(queued(redis)) == sorted([sync_job_id(MOSCOW), sync_job_id(KAZAN)])


def test_a_target_in_sync_mode_off_is_requeued_but_not_woken(db, redis):
    add_franchise(modes=("off", "live"))
    task_id = failed(MOSCOW)
    done = retry_failed_tasks(redis, TaskFilter())
    assert done.requeued.tasks == [(task_id, MOSCOW)] and done.woken == []
    assert SyncTask.get_by_id(task_id).status == "pending"
    assert queued(redis) == []


def test_nothing_matching_requeues_and_wakes_nothing(db, redis):
    add_franchise()
    failed(MOSCOW)
    done = retry_failed_tasks(redis, TaskFilter(search="no such reason"))
    assert (done.requeued.tasks, done.requeued.left, done.woken) == ([], [], [])
    assert queued(redis) == []
