"""Retries through a real RQ worker: `received` between tries, `failed` only after the last;
webhook counters gathered in Redis and flushed to `webhooks`."""

import psycopg2
import pytest
from peewee import InterfaceError, OperationalError
from rq import SimpleWorker

from jobs import defaults
from jobs.monitoring.webhook_counters import flush_webhook_counters
from jobs.processing.coalescing import lock_key
from jobs.processing.webhook import process_webhook
from jobs.queues import enqueue_webhook
from store.db import connect_params, database
from store.logs import get_log
from store.mappings import add_mapping
from store.models import Webhook
from store.tasks import TaskKey, list_tasks
from tests.jobs.processing_helpers import deliver, event, make_franchise, new_id


@pytest.fixture
def franchise(settings, db, redis):
    return make_franchise(settings.app_secret)


@pytest.fixture
def fast_retries(monkeypatch):
    monkeypatch.setattr(defaults, "PROCESS_WEBHOOK_RETRY_INTERVALS", [0, 0, 0])
    monkeypatch.setattr(defaults, "TASK_LOCK_WAIT", 0.05)


def mapped(franchise) -> str:
    product = new_id()
    for child in franchise.children:
        add_mapping(child, "product", product, new_id())
    return product


def held_lock(redis, child: str, product: str):
    lock = redis.lock(lock_key(TaskKey(child, "product", product)), timeout=60)
    assert lock.acquire(blocking=False)
    return lock


def work(redis, max_jobs: int | None = None) -> None:
    SimpleWorker([defaults.WEBHOOKS_QUEUE], connection=redis).work(burst=True, max_jobs=max_jobs)


def test_failed_try_returns_the_log_to_received_and_the_next_try_completes_it(
    franchise, redis, fast_retries
):
    product = mapped(franchise)
    lock = held_lock(redis, franchise.children[0], product)
    log_id = deliver(
        franchise.main, [event(franchise.main, "product", product, "UPDATE", ["name"])]
    )
    enqueue_webhook(redis, log_id)
    work(redis, max_jobs=1)
    log = get_log(log_id)
    assert (log.status, log.attempts) == ("received", 1)
    assert log.error.startswith("try 1 failed: LockUnavailable")
    lock.release()
    work(redis)
    log = get_log(log_id)
    assert (log.status, log.attempts, log.error, log.tasks_created) == ("completed", 2, None, 3)
    assert len(list_tasks()) == 3


def test_log_is_failed_only_after_the_last_try_and_counted(franchise, redis, fast_retries):
    product = mapped(franchise)
    Webhook.insert(
        account=franchise.main, entity_type="product", action="UPDATE", url="u"
    ).execute()
    held_lock(redis, franchise.children[0], product)
    log_id = deliver(
        franchise.main, [event(franchise.main, "product", product, "UPDATE", ["name"])]
    )
    enqueue_webhook(redis, log_id)
    work(redis, max_jobs=3)
    assert get_log(log_id).status == "received"
    work(redis)
    log = get_log(log_id)
    assert (log.status, log.attempts) == ("failed", 4)
    assert log.error.startswith("LockUnavailable") and log.finished_at is not None
    flush_webhook_counters(redis)
    webhook = Webhook.get()
    assert (webhook.received_count, webhook.failed_count) == (1, 1)
    assert webhook.last_triggered_at == log.received_at


def test_counters_gather_per_type_and_action_and_flush_in_one_go(franchise, redis):
    for action in ("UPDATE", "CREATE", "DELETE"):
        Webhook.insert(
            account=franchise.main, entity_type="product", action=action, url=action
        ).execute()
    logs = [
        deliver(franchise.main, [event(franchise.main, "product", new_id(), "DELETE")])
        for _ in range(3)
    ]
    mixed = deliver(
        franchise.main,
        [
            event(franchise.main, "product", new_id(), "DELETE"),
            event(franchise.main, "product", mapped(franchise), "UPDATE"),
        ],
    )
    for log_id in [*logs, mixed]:
        process_webhook(log_id)
    process_webhook(logs[0])  # a no-op re-run counts nothing
    assert flush_webhook_counters(redis) == {"pairs": 2, "updated": 2}
    counts = {w.action: (w.received_count, w.failed_count) for w in Webhook.select()}
    assert counts == {"DELETE": (4, 0), "UPDATE": (1, 0), "CREATE": (0, 0)}
    assert Webhook.get(Webhook.action == "DELETE").last_triggered_at == get_log(mixed).received_at
    assert flush_webhook_counters(redis) == {"pairs": 0, "updated": 0}


def test_broken_database_connection_fails_the_try_and_the_next_one_reconnects(
    settings, franchise, redis
):
    product = mapped(franchise)
    body = [event(franchise.main, "product", product, "UPDATE", ["name"])]
    process_webhook(deliver(franchise.main, body))
    log_id = deliver(franchise.main, body)
    pid = database.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    killer = psycopg2.connect(**connect_params(settings.database_url))
    killer.autocommit = True
    killer.cursor().execute("SELECT pg_terminate_backend(%s)", (pid,))
    killer.close()
    with pytest.raises((OperationalError, InterfaceError)):
        process_webhook(log_id)
    assert process_webhook(log_id)["status"] == "completed"
    assert get_log(log_id).attempts == 1
