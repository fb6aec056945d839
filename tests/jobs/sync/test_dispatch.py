"""Waking the executor: processing after it wrote tasks, the dispatcher for due tasks, and one
run per target at a time (the target lock and its wake flag)."""

from rq import Queue

from jobs.processing.webhook import process_webhook
from jobs.queues import sync_job_id
from jobs.sync import defaults
from jobs.sync.dispatch import dispatch_due_tasks
from jobs.sync.target_lock import TargetLock
from tests.jobs.processing_helpers import deliver, event
from tests.jobs.sync.executor_fixtures import franchise3_fixture, franchise_fixture, task_row  # noqa: F401


def _queued(redis) -> set[str]:
    return set(Queue("sync", connection=redis).job_ids)


def test_processing_wakes_the_executor_of_every_syncing_child(franchise3, redis):
    live, shadow, off = franchise3.children
    franchise3.set_mode("shadow", shadow)
    franchise3.set_mode("off", off)
    product = franchise3.product("Новый")
    log_id = deliver(franchise3.main, [event(franchise3.main, "product", product["id"], "CREATE")])
    process_webhook(log_id)
    assert _queued(redis) == {sync_job_id(live), sync_job_id(shadow)}


def test_the_dispatcher_wakes_due_targets_and_releases_dead_claims(franchise3, redis, db):
    live, shadow, off = franchise3.children
    franchise3.set_mode("shadow", shadow)
    franchise3.set_mode("off", off)
    product = franchise3.product("Отложенный")
    for child in franchise3.children:
        franchise3.task("product", product["id"], child=child)
    stale = franchise3.task("product", franchise3.product("Зависший")["id"], child=live)
    db.execute_sql(
        "UPDATE sync_queue SET status = 'running', claimed_at = now() - interval '2 hours'"
        " WHERE id = %s",
        (stale,),
    )
    summary = dispatch_due_tasks()
    assert summary["woken"] == sorted([live, shadow])
    assert _queued(redis) == {sync_job_id(live), sync_job_id(shadow)}
    assert task_row(stale).status == "pending"


def test_a_second_run_while_the_target_is_busy_leaves_it_to_the_holder(franchise, redis):
    product = franchise.product("Занятый")
    task_id = franchise.task("product", product["id"])
    holder = TargetLock(redis, franchise.child)
    assert holder.acquire()
    try:
        summary = franchise.apply()
        assert summary["busy"] is True and summary["claimed"] == 0
        assert redis.exists(defaults.WAKE_PREFIX + franchise.child)  # the holder looks again
        assert task_row(task_id).status == "pending"
    finally:
        holder.release()
    assert franchise.apply()["completed"] == 1


def test_a_run_releases_the_claims_a_killed_run_left(franchise, db):
    product = franchise.product("Осиротевший")
    task_id = franchise.task("product", product["id"])
    db.execute_sql(
        "UPDATE sync_queue SET status = 'running', claimed_at = now(), attempts = 1 WHERE id = %s",
        (task_id,),
    )  # its run was SIGKILLed: no lock is held any more
    summary = franchise.apply()
    assert summary["completed"] == 1
    row = task_row(task_id)
    assert row.status == "completed" and row.attempts == 2


def test_the_dispatcher_releases_at_once_the_claims_of_a_killed_run_that_had_claimed_everything(
    franchise, redis, db
):
    """A run SIGKILLed after claiming every due task of its target: no successor would come, so
    the dispatcher itself gives the claims back as soon as the target's lock has run out."""
    orphan = franchise.task("product", franchise.product("Брошенный")["id"])
    fresh = franchise.task("product", franchise.product("Только что")["id"])
    db.execute_sql(
        "UPDATE sync_queue SET status = 'running', attempts = 1, claimed_at = now() - CASE id"
        " WHEN %s THEN make_interval(secs => %s) ELSE interval '0 seconds' END"
        " WHERE id IN (%s, %s)",
        (orphan, defaults.TARGET_LOCK_TTL + 5, orphan, fresh),
    )
    summary = dispatch_due_tasks()
    assert summary["orphaned"] == [franchise.child]
    assert task_row(orphan).status == "pending"  # a run killed 15 s ago: released
    assert task_row(fresh).status == "running"  # claimed just now: a live run may hold it
    assert summary["woken"] == [franchise.child]
    assert sync_job_id(franchise.child) in _queued(redis)


def test_the_dispatcher_leaves_the_claims_of_a_run_that_holds_its_lock(franchise, redis, db):
    task_id = franchise.task("product", franchise.product("В работе")["id"])
    db.execute_sql(
        "UPDATE sync_queue SET status = 'running', claimed_at = now() - interval '5 minutes'"
        " WHERE id = %s",
        (task_id,),
    )  # a long run, alive: its heartbeat keeps the lock
    holder = TargetLock(redis, franchise.child)
    assert holder.acquire()
    try:
        summary = dispatch_due_tasks()
    finally:
        holder.release()
    assert summary["orphaned"] == [] and summary["woken"] == []
    assert task_row(task_id).status == "running"
