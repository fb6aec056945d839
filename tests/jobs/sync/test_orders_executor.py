"""A child's order webhook, through processing and the sync executor, to main's copy."""

from jobs.processing.webhook import process_webhook
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
