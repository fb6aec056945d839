"""Re-queueing failed sync tasks: pending and due now, attempts reset, the failure kept in the
history, one pending write per entity respected (waking: tests/jobs/sync/test_retries.py)."""

from datetime import UTC, datetime, timedelta

from store.models import SyncTask
from store.sync_reports import TaskFilter
from store.sync_retries import count_requeueable, requeue_failed_tasks
from tests.store.sync_rows import KAZAN, MOSCOW, add_franchise, add_task

ERROR = "child Москва has no price type 'Оптовая'"


def failed(target: str, **columns) -> int:
    """A task that failed 30 s ago after 5 attempts, for want of a price type."""
    return add_task(target, "failed", finished_ago=30, scheduled_ago=600, attempts=5,
                    error=ERROR, result={"errors": [{"code": 3000}]}, **columns)  # fmt: skip


def test_retry_one_puts_it_back_due_now_with_its_failure_in_the_history(db):
    add_franchise()
    task_id = failed(MOSCOW, applied_mode="live")
    other = failed(MOSCOW)
    before = datetime.now(UTC)
    done = requeue_failed_tasks(TaskFilter(task_id=task_id))
    assert done.tasks == [(task_id, MOSCOW)] and done.left == [] and done.targets == [MOSCOW]
    task = SyncTask.get_by_id(task_id)
    assert (task.status, task.attempts, task.error, task.finished_at) == ("pending", 0, None, None)
    assert before - timedelta(seconds=1) <= task.scheduled_at <= datetime.now(UTC)
    (entry,) = task.result["history"]
    assert entry["error"] == ERROR and entry["attempts"] == 5
    assert entry["result"] == {"errors": [{"code": 3000}]} and entry["applied_mode"] == "live"
    assert SyncTask.get_by_id(other).status == "failed"
    # It fails again and is retried again: both failures are kept.
    SyncTask.update(status="failed", error="HTTP 500", finished_at=datetime.now(UTC)).where(
        SyncTask.id == task_id
    ).execute()
    requeue_failed_tasks(TaskFilter(task_id=task_id))
    history = SyncTask.get_by_id(task_id).result["history"]
    assert [h["error"] for h in history] == [ERROR, "HTTP 500"]


def test_retry_all_leaves_a_task_whose_entity_already_has_a_pending_write(db):
    add_franchise()
    plain = failed(KAZAN)
    covered = failed(MOSCOW, entity_id="p-1")
    pending = add_task(MOSCOW, "pending", entity_id="p-1")
    older = failed(MOSCOW, entity_id="p-2")
    newer = failed(MOSCOW, entity_id="p-2")
    assert count_requeueable() == (2, 2)
    done = requeue_failed_tasks()
    assert done.tasks == sorted([(plain, KAZAN), (newer, MOSCOW)])
    assert done.left == [(covered, pending), (older, newer)]
    assert count_requeueable() == (0, 2)
    pending_ids = {t.id for t in SyncTask.select().where(SyncTask.status == "pending")}
    assert pending_ids == {plain, pending, newer}
