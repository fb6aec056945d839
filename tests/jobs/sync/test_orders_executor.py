"""A child's order webhook, through processing and the sync executor, to main's copy."""

import dataclasses
from datetime import UTC, datetime

import pytest

from jobs.processing.webhook import process_webhook
from store.mappings import add_mapping
from store.models import SyncTask
from tests.jobs.processing_helpers import deliver, event
from tests.jobs.sync.executor_fixtures import franchise_fixture, mapping_of  # noqa: F401
from tests.jobs.sync.orders_franchise import (
    child_order,
    order_positions,
    seed_goods,
    seed_parties,
)


def order_task(franchise, order_id: str) -> SyncTask:
    return (
        SyncTask.select()
        .where((SyncTask.entity_id == order_id) & (SyncTask.target_account_id == franchise.main))
        .order_by(SyncTask.id.desc())
        .get()
    )


def test_a_child_order_reaches_main_and_its_changes_and_deletion_follow(franchise):
    sim, main, child = franchise.sim, franchise.main, franchise.child
    franchise.set_mode("live", main)
    parties = seed_parties(sim, main, child)
    goods = seed_goods(sim, main, child, products=3)
    picks = [("product", goods.child_ids("product")[0]), ("service", goods.child_ids("service")[1])]
    order = child_order(sim, child, parties, order_positions(goods, picks))

    process_webhook(deliver(child, [event(child, "customerorder", order["id"], "CREATE")]))
    summary = franchise.apply(main)

    assert summary["completed"] == 1, summary
    [copy] = sim.entities(main, "customerorder")
    assert copy["sum"] == order["sum"]
    assert order_task(franchise, order["id"]).status == "completed"
    assert mapping_of(child, "customerorder", copy["id"]) == order["id"]

    edited = sim.update_entity(
        child, "customerorder", order["id"], {"positions": order_positions(goods, picks[:1], 9)}
    )
    process_webhook(
        deliver(child, [event(child, "customerorder", order["id"], "UPDATE", ["positions"])])
    )
    franchise.apply(main)
    [copy] = sim.entities(main, "customerorder")
    assert copy["sum"] == edited["sum"] and len(copy["positions"]) == 1
    update = order_task(franchise, order["id"])
    assert update.status == "completed" and update.request["meta"]["href"].endswith(copy["id"])

    sim.delete_entity(child, "customerorder", order["id"])
    process_webhook(deliver(child, [event(child, "customerorder", order["id"], "DELETE")]))
    franchise.apply(main)
    [copy] = sim.entities(main, "customerorder")
    assert copy["applicable"] is False
    assert order_task(franchise, order["id"]).operation == "archive"


def make_due(task: SyncTask) -> None:
    SyncTask.update(scheduled_at=datetime.now(UTC)).where(SyncTask.id == task.id).execute()


def test_an_order_waiting_for_a_mapping_outlasts_the_attempt_limit_then_goes_on(franchise):
    """Waiting is no failed try: past SYNC_MAX_ATTEMPTS waits the task is still pending, and
    it is copied once its position's mapping exists."""
    sim, main, child = franchise.sim, franchise.main, franchise.child
    franchise.set_mode("live", main)
    franchise.settings = dataclasses.replace(franchise.settings, sync_max_attempts=2)
    parties = seed_parties(sim, main, child)
    goods = seed_goods(sim, main, child, products=1, mapped=False)
    (kind, main_id), child_id = next(iter(goods.copies.items()))
    order = child_order(sim, child, parties, order_positions(goods, [(kind, child_id)]))
    process_webhook(deliver(child, [event(child, "customerorder", order["id"], "CREATE")]))

    for _ in range(4):
        summary = franchise.apply(main)
        assert summary["wait"] == 1, summary
        waiting = order_task(franchise, order["id"])
        assert (waiting.status, waiting.attempts) == ("pending", 0)
        assert "no mapping" in waiting.error and waiting.result["unmapped"]
        make_due(waiting)
    assert sim.entities(main, "customerorder") == []

    add_mapping(child, kind, main_id, child_id)
    summary = franchise.apply(main)

    assert summary["completed"] == 1, summary
    [copy] = sim.entities(main, "customerorder")
    assert copy["sum"] == order["sum"]
    assert order_task(franchise, order["id"]).status == "completed"


@pytest.mark.parametrize("child_mode", ["shadow", "live"])
def test_an_order_tasks_applied_mode_is_how_the_childs_mode_applied_it(franchise, child_mode):
    """Main is live in both: a shadow child's order is recorded, not written, and says so."""
    sim, main, child = franchise.sim, franchise.main, franchise.child
    franchise.set_mode("live", main)
    franchise.set_mode(child_mode, child)
    parties = seed_parties(sim, main, child)
    goods = seed_goods(sim, main, child, products=1)
    picks = [("product", goods.child_ids("product")[0])]
    order = child_order(sim, child, parties, order_positions(goods, picks))
    process_webhook(deliver(child, [event(child, "customerorder", order["id"], "CREATE")]))

    assert franchise.apply(main)["completed"] == 1

    task = order_task(franchise, order["id"])
    assert (task.status, task.applied_mode) == ("completed", child_mode)
    assert len(sim.entities(main, "customerorder")) == (1 if child_mode == "live" else 0)
