"""Routing: DELETE, folders, child accounts, and every reason a delivery is ignored."""

from datetime import UTC, datetime, timedelta

import pytest

from jobs.processing.webhook import process_webhook
from store.accounts import add_account, set_account_type
from store.logs import get_log
from store.mappings import add_mapping
from store.models import Account, ChildAccount
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


def outcome(log_id):
    log = get_log(log_id)
    return log.status, log.reason or ""


def test_delete_in_main_archives_in_every_child_and_cancels_its_pending_update(franchise):
    product = new_id()
    for child in franchise.children:
        add_mapping(child, "product", product, new_id())
    process_webhook(
        deliver(franchise.main, [event(franchise.main, "product", product, "UPDATE", ["name"])])
    )
    log_id = deliver(franchise.main, [event(franchise.main, "product", product, "DELETE")])
    process_webhook(log_id)
    pending = list_tasks()
    assert {(t.operation, t.priority, t.entity_id) for t in pending} == {("archive", 7, product)}
    assert len(pending) == 3
    assert {t.operation for t in list_tasks(status="cancelled")} == {"update"}


def test_bulk_delete_archives_every_entity_and_cancels_only_their_pending_work(franchise):
    deleted, kept = [new_id() for _ in range(30)], new_id()
    process_webhook(
        deliver(
            franchise.main,
            [event(franchise.main, "product", p, "CREATE") for p in [*deleted, kept]],
        )
    )
    process_webhook(
        deliver(franchise.main, [event(franchise.main, "product", p, "DELETE") for p in deleted])
    )
    assert len(list_tasks(operation="archive")) == 90
    assert len(list_tasks(status="cancelled")) == 90
    assert {t.entity_id for t in list_tasks(operation="create")} == {kept}


def test_folder_events_make_folder_tasks_with_priority_five(franchise):
    created, renamed, deleted = new_id(), new_id(), new_id()
    for child in franchise.children:
        add_mapping(child, "productfolder", renamed, new_id())
    events = [
        event(franchise.main, "productfolder", created, "CREATE"),
        event(franchise.main, "productfolder", renamed, "UPDATE", ["name"]),
        event(franchise.main, "productfolder", deleted, "DELETE"),
    ]
    process_webhook(deliver(franchise.main, events))
    tasks = {(t.entity_id, t.operation, t.priority) for t in list_tasks()}
    assert tasks == {
        (created, "folder_create", 5),
        (renamed, "folder_update", 5),
        (deleted, "folder_archive", 5),
    }
    assert len(list_tasks()) == 9


def test_inactive_child_gets_nothing_and_all_inactive_is_ignored(franchise):
    product = new_id()
    for child in franchise.children:
        add_mapping(child, "product", product, new_id())
    ChildAccount.update(status="inactive", inactive_reason="moved away").where(
        ChildAccount.child == franchise.children[0]
    ).execute()
    body = [event(franchise.main, "product", product, "UPDATE", ["name"])]
    process_webhook(deliver(franchise.main, body))
    assert sorted(str(t.target_account_id) for t in list_tasks()) == sorted(franchise.children[1:])
    ChildAccount.update(status="inactive", inactive_reason="moved away").execute()
    log_id = deliver(franchise.main, body)
    process_webhook(log_id)
    assert outcome(log_id) == ("ignored", outcome(log_id)[1])
    assert "no active child account" in outcome(log_id)[1] and "moved away" in outcome(log_id)[1]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"webhooks_enabled": False}, "webhooks are switched off"),
        ({"status": "suspended"}, "is suspended"),
        ({"account_type": None}, "has no type"),
    ],
)
def test_account_that_cannot_sync_is_ignored_with_the_reason(franchise, change, reason):
    Account.update(**change).where(Account.id == franchise.main).execute()
    log_id = deliver(franchise.main, [event(franchise.main, "product", new_id(), "DELETE")])
    process_webhook(log_id)
    assert list_tasks() == []
    status, why = outcome(log_id)
    assert status == "ignored" and reason in why


def test_unknown_account_is_ignored(db, redis):
    stranger = new_id()
    log_id = deliver(stranger, [event(stranger, "product", new_id(), "DELETE")])
    process_webhook(log_id)
    assert outcome(log_id) == ("ignored", f"unknown account {stranger}")


def test_type_never_synced_from_main_is_ignored(franchise):
    log_id = deliver(franchise.main, [event(franchise.main, "customerorder", new_id(), "CREATE")])
    process_webhook(log_id)
    assert outcome(log_id) == ("ignored", "customerorder: not synced from a main account")


def test_child_order_becomes_an_order_task_for_the_parent(franchise):
    child, order = franchise.children[0], new_id()
    events = [event(child, "customerorder", order, "CREATE")]
    process_webhook(deliver(child, events))
    process_webhook(deliver(child, [event(child, "customerorder", order, "UPDATE", ["sum"])]))
    (task,) = list_tasks()
    assert (str(task.target_account_id), str(task.source_account_id)) == (franchise.main, child)
    assert (task.operation, task.entity_type, task.entity_id) == ("order", "customerorder", order)
    assert task.priority == 10 and task.payload["actions"] == ["CREATE", "UPDATE"]
    process_webhook(deliver(child, [event(child, "retaildemand", order, "DELETE")]))
    assert ("archive", "retaildemand") in {(t.operation, t.entity_type) for t in list_tasks()}


def test_child_order_kind_switched_off_or_link_inactive_is_ignored(franchise):
    child = franchise.children[0]
    set_child_settings(child, sync_purchase_orders=False)
    log_id = deliver(child, [event(child, "purchaseorder", new_id(), "CREATE")])
    process_webhook(log_id)
    assert outcome(log_id)[0] == "ignored" and "sync_purchase_orders is off" in outcome(log_id)[1]
    set_account_type(franchise.main, "child")  # deactivates the links
    log_id = deliver(child, [event(child, "customerorder", new_id(), "CREATE")])
    process_webhook(log_id)
    assert outcome(log_id)[0] == "ignored" and "is inactive" in outcome(log_id)[1]
    assert list_tasks() == []


def test_child_deleting_a_copy_from_main_gets_a_delayed_recreate(franchise):
    child, main_product, copy = franchise.children[1], new_id(), new_id()
    add_mapping(child, "product", main_product, copy)
    process_webhook(deliver(child, [event(child, "product", copy, "DELETE")]))
    (task,) = list_tasks()
    assert (str(task.target_account_id), str(task.source_account_id)) == (child, franchise.main)
    assert (task.operation, task.entity_id, task.priority) == ("recreate", main_product, 7)
    delay = task.scheduled_at - datetime.now(UTC)
    assert timedelta(seconds=50) < delay <= timedelta(seconds=60)


def test_child_deletion_is_not_healed_without_self_heal_or_for_its_own_entity(franchise):
    child, copy = franchise.children[1], new_id()
    add_mapping(child, "service", new_id(), copy)
    own = deliver(child, [event(child, "product", new_id(), "DELETE")])
    process_webhook(own)
    set_child_settings(child, self_heal=False)
    healed_off = deliver(child, [event(child, "service", copy, "DELETE")])
    process_webhook(healed_off)
    assert list_tasks() == []
    assert outcome(own)[0] == "ignored" and "child's own entity" in outcome(own)[1]
    assert outcome(healed_off)[0] == "ignored" and "self-heal is off" in outcome(healed_off)[1]


def test_child_changes_to_its_own_products_are_ignored(franchise):
    child = franchise.children[0]
    log_id = deliver(child, [event(child, "product", new_id(), "UPDATE", ["name"])])
    process_webhook(log_id)
    assert outcome(log_id)[0] == "ignored" and "the child's own change" in outcome(log_id)[1]


def test_unlinked_child_is_ignored(settings, db, redis):
    lonely = new_id()
    add_account(lonely, "Lonely", "t", "child", settings.app_secret)
    log_id = deliver(lonely, [event(lonely, "customerorder", new_id(), "CREATE")])
    process_webhook(log_id)
    assert outcome(log_id) == ("ignored", f"child account {lonely} is not linked to a main account")


def test_processed_action_is_not_synced(franchise):
    child = franchise.children[0]
    log_id = deliver(child, [event(child, "customerorder", new_id(), "PROCESSED")])
    process_webhook(log_id)
    assert (
        outcome(log_id)[0] == "ignored" and "action PROCESSED is not synced" in outcome(log_id)[1]
    )
    assert list_tasks() == []


def test_a_webhooks_off_child_gets_nothing_and_the_log_names_every_skipped_child(franchise):
    product = new_id()
    for child in franchise.children:
        add_mapping(child, "product", product, new_id())
    off, inactive, no_services = franchise.children
    Account.update(webhooks_enabled=False).where(Account.id == off).execute()
    ChildAccount.update(status="inactive", inactive_reason="moved away").where(
        ChildAccount.child == inactive
    ).execute()
    set_child_settings(no_services, sync_services=False)
    service = new_id()
    log_id = deliver(
        franchise.main,
        [
            event(franchise.main, "product", product, "UPDATE", ["name"]),
            event(franchise.main, "service", service, "CREATE"),
        ],
    )
    process_webhook(log_id)
    assert {(str(t.target_account_id), t.entity_id) for t in list_tasks()} == {
        (no_services, product)
    }
    status, reason = outcome(log_id)
    assert status == "completed"
    assert f"child {off} skipped: webhooks switched off" in reason
    assert f"child {inactive} skipped: link inactive (moved away)" in reason
    assert f"child {no_services} skipped for service: sync_services is off" in reason
