"""Main account UPDATE events: strategies per child, one update per entity, unmapped, skips."""

import pytest

from jobs.processing.webhook import process_webhook
from store.logs import get_log
from store.mappings import add_mapping
from store.tasks import list_tasks
from tests.jobs.processing_helpers import (
    deliver,
    event,
    make_franchise,
    new_id,
    set_child_settings,
)


@pytest.fixture
def franchise(settings, db, redis):
    return make_franchise(settings.app_secret)


def map_to_children(franchise, entity_type: str, entity_id: str) -> None:
    for child in franchise.children:
        add_mapping(child, entity_type, entity_id, new_id())


def test_update_of_mapped_product_writes_one_update_task_per_child(franchise):
    product = new_id()
    map_to_children(franchise, "product", product)
    log_id = deliver(
        franchise.main,
        [event(franchise.main, "product", product, "UPDATE", ["name", "salePrices"])],
    )
    result = process_webhook(log_id)
    tasks = list_tasks()
    assert result["status"] == "completed"
    assert sorted(str(t.target_account_id) for t in tasks) == sorted(franchise.children)
    assert {(t.operation, t.priority, t.entity_id, t.log_id) for t in tasks} == {
        ("update", 10, product, log_id)
    }
    assert tasks[0].payload == {
        "updated_fields": ["name", "salePrices"],
        "strategy": "mixed_simple",
        "log_ids": [log_id],
    }
    log = get_log(log_id)
    assert (log.status, log.tasks_created, log.attempts) == ("completed", 3, 1)
    assert log.processing_ms is not None and log.finished_at is not None


def test_strategy_follows_each_childs_settings(franchise):
    product = new_id()
    map_to_children(franchise, "product", product)
    set_child_settings(franchise.children[0], sync_prices=False)
    log_id = deliver(
        franchise.main, [event(franchise.main, "product", product, "UPDATE", ["salePrices"])]
    )
    process_webhook(log_id)
    strategies = {str(t.target_account_id): t.payload["strategy"] for t in list_tasks()}
    assert strategies == {child: "prices_only" for child in franchise.children[1:]}
    assert "1 update(s) skipped" in get_log(log_id).reason


def test_update_without_updated_fields_is_a_full_sync(franchise):
    product = new_id()
    map_to_children(franchise, "product", product)
    process_webhook(deliver(franchise.main, [event(franchise.main, "product", product, "UPDATE")]))
    assert {t.payload["strategy"] for t in list_tasks()} == {"full_sync"}


def test_update_of_only_unsynced_fields_is_ignored_with_the_reason(franchise):
    product = new_id()
    map_to_children(franchise, "product", product)
    log_id = deliver(
        franchise.main, [event(franchise.main, "product", product, "UPDATE", ["owner", "updated"])]
    )
    process_webhook(log_id)
    log = get_log(log_id)
    assert list_tasks() == []
    assert log.status == "ignored" and "no synced field changed" in log.reason


def test_many_updates_in_one_body_become_one_update_per_entity_and_child(franchise):
    products = [new_id() for _ in range(20)]
    for product in products:
        map_to_children(franchise, "product", product)
    events = [event(franchise.main, "product", p, "UPDATE", ["name"]) for p in products]
    log_id = deliver(franchise.main, events)
    process_webhook(log_id)
    tasks = list_tasks()
    assert {t.operation for t in tasks} == {"update"}
    for child in franchise.children:
        mine = [t for t in tasks if str(t.target_account_id) == child]
        assert sorted(t.entity_id for t in mine) == sorted(products)
        assert {(t.priority, t.payload["strategy"]) for t in mine} == {(10, "base_only")}
    assert get_log(log_id).tasks_created == 60


def test_variant_of_a_child_that_does_not_sync_variants_gets_nothing(franchise):
    variant = new_id()
    map_to_children(franchise, "variant", variant)
    set_child_settings(franchise.children[2], sync_variants=False)
    process_webhook(
        deliver(franchise.main, [event(franchise.main, "variant", variant, "UPDATE", ["name"])])
    )
    assert sorted(str(t.target_account_id) for t in list_tasks()) == sorted(franchise.children[:2])


def test_type_no_child_syncs_is_ignored(franchise):
    service = new_id()
    for child in franchise.children:
        set_child_settings(child, sync_services=False)
    log_id = deliver(
        franchise.main, [event(franchise.main, "service", service, "UPDATE", ["name"])]
    )
    process_webhook(log_id)
    log = get_log(log_id)
    assert log.status == "ignored" and "no active child syncs this type" in log.reason
