"""A task's attempt history survives every later attempt: the executor's retries and waits, a
released claim, an operator's retry, the final outcome; the newest HISTORY_LIMIT are kept."""

from jobs.sync.outcomes import Outcome
from store.db import database
from store.models import SyncTask
from store.sync_history import HISTORY_LIMIT
from store.sync_reports import TaskFilter
from store.sync_retries import requeue_failed_tasks
from store.sync_tasks import RELEASED, claim_tasks, record_outcomes, release_claims
from tests.store.test_sync_tasks import GOODS, _accounts, _task


def attempt(child: str, outcome: Outcome, max_attempts: int = 50) -> None:
    database.execute_sql("UPDATE sync_queue SET scheduled_at = now() WHERE status = 'pending'")
    (claimed,) = claim_tasks(child, GOODS, 10)
    assert claimed.id == outcome.task_id
    record_outcomes([outcome], "live", max_attempts)


def test_retries_and_a_wait_stay_in_the_history_of_the_completed_task(db, settings):
    main, child = _accounts(settings.app_secret)
    task_id = _task(main, child, "product")
    attempt(child, Outcome(task_id, "retry", error="HTTP 503", result={"code": 503}, retry_in=2))
    attempt(child, Outcome(task_id, "wait", error="HTTP 429", retry_in=3))
    attempt(child, Outcome(task_id, "completed", result={"id": "copy-1"}))
    task = SyncTask.get_by_id(task_id)
    assert task.status == "completed" and task.result["id"] == "copy-1"
    history = task.result["history"]
    assert [(h["attempts"], h["error"], h["result"]) for h in history] == [
        (1, "HTTP 503", {"code": 503}),
        (2, "HTTP 429", None),
    ]
    assert {h["retried_by"] for h in history} == {"executor"}


def test_an_operator_retry_and_a_released_claim_survive_the_next_outcomes(db, settings):
    main, child = _accounts(settings.app_secret)
    task_id = _task(main, child, "product")
    attempt(child, Outcome(task_id, "failed", error="child has no price type 'Оптовая'"))
    requeue_failed_tasks(TaskFilter(task_id=task_id))
    attempt(child, Outcome(task_id, "retry", error="HTTP 502", retry_in=1))
    database.execute_sql("UPDATE sync_queue SET scheduled_at = now() WHERE id = %s", (task_id,))
    claim_tasks(child, GOODS, 10)
    release_claims(child)  # the executor holding it died
    attempt(child, Outcome(task_id, "failed", error="HTTP 400", result={"code": 3000}))
    task = SyncTask.get_by_id(task_id)
    assert (task.error, task.result["code"]) == ("HTTP 400", 3000)
    assert [(h["retried_by"], h["error"]) for h in task.result["history"]] == [
        ("operator", "child has no price type 'Оптовая'"),
        ("executor", "HTTP 502"),
        ("released", RELEASED),
    ]


def test_the_history_keeps_the_newest_attempts_only(db, settings):
    main, child = _accounts(settings.app_secret)
    task_id = _task(main, child, "product")
    for number in range(1, HISTORY_LIMIT + 4):
        attempt(child, Outcome(task_id, "retry", error=f"HTTP 503 #{number}", retry_in=1))
    history = SyncTask.get_by_id(task_id).result["history"]
    assert len(history) == HISTORY_LIMIT
    assert history[0]["error"] == "HTTP 503 #4"
    assert history[-1]["error"] == f"HTTP 503 #{HISTORY_LIMIT + 3}"
