"""One pending write per (child, entity) however events arrive; a DELETE voids the rest."""

import random
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest

from jobs.processing.webhook import process_webhook
from store.db import database
from store.logs import get_log
from store.mappings import add_mapping
from store.tasks import list_tasks
from tests.jobs.processing_helpers import (
    assert_loop_guard,
    deliver,
    event,
    new_id,
    simulated_franchise,
)

FIELDS = ["name", "code", "salePrices", "description", "article", "weight", "buyPrice", "vat"]


@pytest.fixture
def franchise(settings, db, redis):
    with simulated_franchise(settings, redis) as franchise:
        yield franchise
    assert_loop_guard(franchise)


def _process(log_id: int) -> dict:
    with database.connection_context():
        return process_webhook(log_id)


def _deliveries(franchise, products, rng, deleted=None):
    """20 bodies, single and bulk mixed, over overlapping entities; the fields each names."""
    bodies, expected = [], defaultdict(set)
    for number in range(20):
        size = 1 if number % 2 else rng.randint(5, 25)
        body = []
        for product in rng.sample(products, size):
            fields = rng.sample(FIELDS, rng.randint(1, 3))
            body.append(event(franchise.main, "product", product, "UPDATE", fields))
            expected[product] |= set(fields)
        bodies.append(body)
    if deleted is not None:
        bodies.insert(10, [event(franchise.main, "product", deleted, "DELETE")])
    return [deliver(franchise.main, body) for body in bodies], expected


def test_twenty_concurrent_mixed_deliveries_leave_one_pending_write_per_child_and_entity(
    franchise,
):
    rng = random.Random(11)
    products = [new_id() for _ in range(50)]
    for product in products[:45]:  # the last five are new to the children: updates become creates
        for child in franchise.children:
            add_mapping(child, "product", product, new_id())
    log_ids, expected = _deliveries(franchise, products, rng)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(_process, log_ids))
    assert {r["status"] for r in results} == {"completed"}
    tasks = list_tasks()
    pairs = [(str(t.target_account_id), t.entity_id) for t in tasks]
    assert len(pairs) == len(set(pairs)) == 3 * len(expected)
    received = {log_id: get_log(log_id).received_at for log_id in log_ids}
    for task in tasks:
        assert set(task.payload["log_ids"]) <= set(log_ids)
        assert task.changed_at == min(received[i] for i in task.payload["log_ids"])
        if task.entity_id in products[:45]:
            assert task.operation == "update" and task.priority == 10
            assert task.payload["updated_fields"] == sorted(expected[task.entity_id])
        else:
            assert task.operation == "create" and "updated_fields" not in task.payload
    assert list_tasks(status="cancelled") == []


def test_a_delete_amid_them_leaves_only_the_archive_pending_for_that_entity(franchise):
    rng = random.Random(12)
    products = [new_id() for _ in range(50)]
    for product in products:
        for child in franchise.children:
            add_mapping(child, "product", product, new_id())
    deleted = products[0]
    log_ids, _ = _deliveries(franchise, products, rng, deleted=deleted)
    delete_log = log_ids[10]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(_process, log_ids))
    mine = list_tasks(status=None, entity_type="product")
    pending = [t for t in mine if t.entity_id == deleted and t.status == "pending"]
    assert sorted(str(t.target_account_id) for t in pending) == sorted(franchise.children)
    assert {t.operation for t in pending} == {"archive"}
    for task in mine:
        if task.status == "cancelled":
            assert task.entity_id == deleted and task.operation == "update"
            assert task.error == "entity deleted in the source account"
            assert task.cancelled_by_log_id == delete_log
    others = [t for t in mine if t.entity_id != deleted]
    assert {(t.status, t.operation) for t in others} == {("pending", "update")}


def test_a_delete_cancels_a_pending_recreate_and_a_later_update_is_not_written(franchise):
    product = new_id()
    child = franchise.children[0]
    child_copy = new_id()
    add_mapping(child, "product", product, child_copy)
    process_webhook(deliver(child, [event(child, "product", child_copy, "DELETE")]))
    (recreate,) = list_tasks()
    assert (recreate.operation, str(recreate.target_account_id)) == ("recreate", child)
    delete_log = deliver(franchise.main, [event(franchise.main, "product", product, "DELETE")])
    process_webhook(delete_log)
    (cancelled,) = list_tasks(status="cancelled")
    assert (cancelled.id, cancelled.cancelled_by_log_id) == (recreate.id, delete_log)
    late = deliver(franchise.main, [event(franchise.main, "product", product, "UPDATE", ["name"])])
    process_webhook(late)
    assert {(str(t.target_account_id), t.operation) for t in list_tasks()} == {
        (c, "archive") for c in franchise.children
    }
    assert "has a pending archive" in get_log(late).reason
