"""Coalescing under per-entity locks, idempotent re-runs, and the loop detector."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from jobs import defaults
from jobs.processing.webhook import process_webhook
from store.alerts import active_alert, resolve_alert
from store.db import database
from store.logs import get_log
from store.mappings import add_mapping
from store.models import SyncTask, WebhookLog
from store.tasks import list_tasks
from tests.jobs.processing_helpers import (
    assert_loop_guard,
    deliver,
    event,
    new_id,
    simulated_franchise,
)

FIELDS = [
    "name",
    "salePrices",
    "description",
    "code",
    "article",
    "weight",
    "volume",
    "vat",
    "Франшиза москва",
    "barcodes",
]


@pytest.fixture
def franchise(settings, db, redis):
    # Custom field names make the job read the main account's price types: a real simulator.
    with simulated_franchise(settings, redis) as franchise:
        yield franchise
    assert_loop_guard(franchise)


@pytest.fixture
def mapped_product(franchise):
    product = new_id()
    for child in franchise.children:
        add_mapping(child, "product", product, new_id())
    return product


def _process_in_thread(log_id: int) -> dict:
    with database.connection_context():
        return process_webhook(log_id)


def test_ten_concurrent_deliveries_about_one_entity_make_one_pending_task_per_child(
    franchise, mapped_product
):
    log_ids = [
        deliver(franchise.main, [event(franchise.main, "product", mapped_product, "UPDATE", [f])])
        for f in FIELDS
    ]
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(_process_in_thread, log_ids))
    tasks = list_tasks()
    assert len(tasks) == 3
    assert sorted(str(t.target_account_id) for t in tasks) == sorted(franchise.children)
    for task in tasks:
        assert task.payload["updated_fields"] == sorted(FIELDS)
        assert task.payload["log_ids"] == sorted(log_ids)
        assert task.payload["strategy"] == "mixed_simple"
    assert sum(r["tasks"] for r in results) == 3 and sum(r["merged"] for r in results) == 27


def test_merge_keeps_the_highest_priority_and_widens_to_full_sync(franchise, mapped_product):
    child_order = new_id()
    child = franchise.children[0]
    process_webhook(deliver(child, [event(child, "customerorder", child_order, "UPDATE", ["sum"])]))
    process_webhook(deliver(child, [event(child, "customerorder", child_order, "CREATE")]))
    (order,) = list_tasks(operation="order")
    assert order.priority == 10
    body = [event(franchise.main, "product", mapped_product, "UPDATE", ["salePrices"])]
    process_webhook(deliver(franchise.main, body))
    process_webhook(
        deliver(franchise.main, [event(franchise.main, "product", mapped_product, "UPDATE")])
    )
    assert {t.payload["strategy"] for t in list_tasks(operation="update")} == {"full_sync"}


def test_a_finished_log_is_a_no_op_when_run_again(franchise, mapped_product):
    log_id = deliver(
        franchise.main, [event(franchise.main, "product", mapped_product, "UPDATE", ["name"])]
    )
    process_webhook(log_id)
    SyncTask.update(status="completed").execute()  # the sync engine did them
    assert process_webhook(log_id) == {"log_id": log_id, "status": "skipped"}
    assert list_tasks() == [] and get_log(log_id).attempts == 1


def test_rerun_of_a_stale_processing_log_does_not_duplicate_tasks(franchise, mapped_product):
    log_id = deliver(
        franchise.main, [event(franchise.main, "product", mapped_product, "UPDATE", ["name"])]
    )
    process_webhook(log_id)
    SyncTask.update(status="processing").execute()  # picked up by the sync engine meanwhile
    # As if the first run had died after writing: still `processing`, started long ago.
    database.execute_sql(
        "UPDATE webhook_logs SET status = 'processing', started_at = now() - interval '11 min'"
    )
    assert process_webhook(log_id)["status"] == "completed"
    assert list_tasks() == [] and len(list_tasks(status="processing")) == 3
    assert get_log(log_id).attempts == 2


def test_a_log_held_by_a_live_run_is_not_claimed_twice(franchise, mapped_product):
    log_id = deliver(franchise.main, [event(franchise.main, "product", mapped_product, "DELETE")])
    database.execute_sql("UPDATE webhook_logs SET status = 'processing', started_at = now()")
    assert process_webhook(log_id)["status"] == "skipped"
    assert list_tasks() == []


def test_entity_changing_too_often_opens_an_alert_and_holds_its_tasks(
    franchise, mapped_product, monkeypatch
):
    monkeypatch.setattr(defaults, "LOOP_MAX_CHANGES", 3)
    body = [event(franchise.main, "product", mapped_product, "UPDATE", ["name"])]
    logs = [deliver(franchise.main, body) for _ in range(4)]
    for log_id in logs:
        process_webhook(log_id)
    subject = f"{franchise.main}:product:{mapped_product}"
    alert = active_alert("loop_suspected", subject)
    assert alert is not None and alert.details["count"] == 4
    assert "loop suspected" in get_log(logs[-1]).reason and get_log(logs[-1]).status == "completed"
    assert len(list_tasks()) == 3 and len(list_tasks(status="held")) == 3
    resolve_alert(alert.id, by="operator")
    resumed = deliver(franchise.main, body)
    process_webhook(resumed)
    assert len(list_tasks()) == 3 and get_log(resumed).status == "completed"
    assert "held" not in (get_log(resumed).reason or "")


def test_rerun_of_one_delivery_does_not_count_as_another_change(
    franchise, mapped_product, monkeypatch
):
    monkeypatch.setattr(defaults, "LOOP_MAX_CHANGES", 1)
    log_id = deliver(
        franchise.main, [event(franchise.main, "product", mapped_product, "UPDATE", ["name"])]
    )
    for _ in range(3):
        WebhookLog.update(status="received").execute()
        process_webhook(log_id)
    assert active_alert("loop_suspected", f"{franchise.main}:product:{mapped_product}") is None


def test_processing_leaves_its_connection_committing_synchronously(franchise, mapped_product):
    """process_webhook commits asynchronously (store.db.asynchronous_commit); whatever runs next
    on the worker's connection — a spool drain holding the only copy of a delivery — does not."""
    log_id = deliver(
        franchise.main, [event(franchise.main, "product", mapped_product, "UPDATE", ["name"])]
    )
    assert process_webhook(log_id)["status"] == "completed"
    assert database.execute_sql("SHOW synchronous_commit").fetchone()[0] == "on"
    assert len(list_tasks()) == len(franchise.children)
