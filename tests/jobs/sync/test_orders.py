"""Children's orders become main customerorders: one copy per child order, positions through
the reverse mappings, later changes followed, a deleted order unposted, unmapped ones waiting."""

import pytest

from jobs.context import current
from jobs.sync.orders import apply_order_tasks
from jobs.sync.orders_documents import agent_sync_id, order_sync_id
from jobs.sync.outcomes import CANCELLED, COMPLETED, WAIT
from store.mappings import add_mapping
from store.models import Account, SyncSettings
from tests.jobs.processing_helpers import simulated_franchise
from tests.jobs.sync.orders_franchise import (
    ORG_INN,
    child_order,
    claimed_task,
    go_live,
    order_positions,
    seed_goods,
    seed_parties,
)


@pytest.fixture
def shop(settings, db, redis):
    with simulated_franchise(settings, redis, children=1) as franchise:
        main, child = franchise.main, franchise.children[0]
        go_live(main, child)
        parties = seed_parties(franchise.sim, main, child)
        goods = seed_goods(franchise.sim, main, child)
        yield franchise, main, child, parties, goods


def picks(goods, kinds=("product", "variant", "service")) -> list:
    return [(kind, goods.child_ids(kind)[n]) for n, kind in enumerate(kinds)]


def apply(main, child, order, operation="order", order_type="customerorder"):
    task = claimed_task(main, child, order_type, order["id"], operation)
    [outcome] = apply_order_tasks(current(), main, [task])
    return task, outcome


def record(outcome) -> None:
    """What the executor does with a completed outcome: the mapping in entity_mappings."""
    m = outcome.mapping
    add_mapping(m.child_account_id, m.entity_type, m.main_entity_id, m.child_entity_id)


def main_orders(franchise) -> list[dict]:
    return franchise.sim.entities(franchise.main, "customerorder")


def key(reference: dict) -> tuple[str, str]:
    parts = reference["meta"]["href"].split("/")
    return parts[-2], parts[-1]


def test_a_posted_child_order_becomes_one_main_order_with_the_same_positions_and_sum(shop):
    franchise, main, child, parties, goods = shop
    order = child_order(franchise.sim, child, parties, order_positions(goods, picks(goods)))

    _, outcome = apply(main, child, order)

    assert outcome.status == COMPLETED, outcome.error
    [copy] = main_orders(franchise)
    assert outcome.mapping.main_entity_id == copy["id"]
    assert outcome.mapping.child_entity_id == order["id"]
    assert copy["syncId"] == order_sync_id(child, "customerorder", order["id"])
    assert copy["sum"] == order["sum"] and copy["sum"] > 0
    assert key(copy["organization"]) == ("organization", parties["main_org"])
    wanted = [
        (goods.main_of(*key(p["assortment"])), p["quantity"], p["price"], p["discount"], p["vat"])
        for p in order["positions"]
    ]
    got = [
        (key(p["assortment"])[1], p["quantity"], p["price"], p["discount"], p["vat"])
        for p in copy["positions"]
    ]
    assert got == wanted
    # The franchisee became main's counterparty once: by its organization's INN, with a syncId.
    [agent] = franchise.sim.entities(main, "counterparty")
    assert key(copy["agent"])[1] == agent["id"]
    assert (agent["inn"], agent["syncId"]) == (ORG_INN, agent_sync_id(child))
    assert agent["name"] == "ИП Иванов"
    assert str(SyncSettings.get_by_id(child).order_agent_id) == agent["id"]


def test_a_retry_after_a_crash_before_the_mapping_updates_the_same_copy(shop):
    franchise, main, child, parties, goods = shop
    order = child_order(franchise.sim, child, parties, order_positions(goods, picks(goods)))

    apply(main, child, order)  # written, then the worker died before recording it
    _, again = apply(main, child, order)

    assert again.status == COMPLETED
    [copy] = main_orders(franchise)
    assert again.mapping.main_entity_id == copy["id"]
    assert len(franchise.sim.entities(main, "counterparty")) == 1


def test_a_changed_child_order_updates_its_copy(shop):
    franchise, main, child, parties, goods = shop
    sim = franchise.sim
    order = child_order(sim, child, parties, order_positions(goods, picks(goods)))
    record(apply(main, child, order)[1])
    states = {s["name"]: s for s in sim.account(child).states["customerorder"]}
    new_positions = order_positions(goods, picks(goods, ("service", "product")), quantity=7)
    changed = sim.update_entity(
        child,
        "customerorder",
        order["id"],
        {"positions": new_positions, "state": {"meta": states["Подтвержден"]["meta"]}},
    )

    _, outcome = apply(main, child, order)

    assert outcome.status == COMPLETED, outcome.error
    [copy] = main_orders(franchise)
    assert copy["sum"] == changed["sum"]
    assert [p["quantity"] for p in copy["positions"]] == [7, 8]
    main_states = {s["id"]: s["name"] for s in sim.account(main).states["customerorder"]}
    assert main_states[key(copy["state"])[1]] == "Подтвержден"


def test_a_deleted_child_order_unposts_its_copy(shop):
    franchise, main, child, parties, goods = shop
    order = child_order(franchise.sim, child, parties, order_positions(goods, picks(goods)))
    record(apply(main, child, order)[1])
    franchise.sim.delete_entity(child, "customerorder", order["id"])

    _, outcome = apply(main, child, order, operation="archive")

    assert outcome.status == COMPLETED, outcome.error
    [copy] = main_orders(franchise)
    assert copy["applicable"] is False


def test_an_unposted_child_order_is_not_copied_and_unposting_follows_later(shop):
    franchise, main, child, parties, goods = shop
    sim = franchise.sim
    draft = child_order(sim, child, parties, order_positions(goods, picks(goods)), applicable=False)

    _, outcome = apply(main, child, draft)

    assert outcome.status == CANCELLED and "not posted" in outcome.error
    assert main_orders(franchise) == []
    sim.update_entity(child, "customerorder", draft["id"], {"applicable": True})
    record(apply(main, child, draft)[1])
    sim.update_entity(child, "customerorder", draft["id"], {"applicable": False})
    assert apply(main, child, draft)[1].status == COMPLETED
    assert [o["applicable"] for o in main_orders(franchise)] == [False]


def test_an_order_with_an_unmapped_position_waits_with_the_reason_until_it_is_mapped(
    settings, db, redis
):
    with simulated_franchise(settings, redis, children=1) as franchise:
        main, child = franchise.main, franchise.children[0]
        go_live(main, child)
        parties = seed_parties(franchise.sim, main, child)
        goods = seed_goods(franchise.sim, main, child, products=2, mapped=False)
        service = goods.child_ids("service")[0]
        main_service = goods.main_of("service", service)
        order = child_order(
            franchise.sim, child, parties, order_positions(goods, [("service", service)])
        )

        _, outcome = apply(main, child, order)

        assert outcome.status == WAIT and outcome.retry_in > 0
        assert f"service {service}" in outcome.error
        assert outcome.result == {"unmapped": [{"type": "service", "id": service, "quantity": 2}]}
        assert main_orders(franchise) == []
        add_mapping(child, "service", main_service, service)
        assert apply(main, child, order)[1].status == COMPLETED
        [copy] = main_orders(franchise)
        assert key(copy["positions"][0]["assortment"]) == ("service", main_service)


@pytest.mark.parametrize("order_type", ["retaildemand", "purchaseorder"])
def test_retail_demands_and_purchase_orders_become_main_customerorders(shop, order_type):
    franchise, main, child, parties, goods = shop
    order = child_order(
        franchise.sim, child, parties, order_positions(goods, picks(goods)), order_type=order_type
    )

    _, outcome = apply(main, child, order, order_type=order_type)

    assert outcome.status == COMPLETED, outcome.error
    [copy] = main_orders(franchise)
    assert copy["sum"] == order["sum"]
    assert copy["syncId"] == order_sync_id(child, order_type, order["id"])


def test_the_franchisee_is_found_by_inn_and_the_settings_choose_store_and_state(shop):
    franchise, main, child, parties, goods = shop
    sim = franchise.sim
    known = sim.add_entity(main, "counterparty", {"name": "Франчайзи Москва", "inn": ORG_INN})
    store = sim.add_entity(main, "store", {"name": "Основной склад"})
    new_state = next(s for s in sim.account(main).states["customerorder"] if s["name"] == "Новый")
    SyncSettings.update(order_store_id=store["id"], order_state_id=new_state["id"]).where(
        SyncSettings.child_account == child
    ).execute()
    order = child_order(sim, child, parties, order_positions(goods, picks(goods)))

    _, outcome = apply(main, child, order)

    assert outcome.status == COMPLETED, outcome.error
    [copy] = main_orders(franchise)
    assert key(copy["agent"])[1] == known["id"]
    assert key(copy["store"])[1] == store["id"]
    assert key(copy["state"])[1] == new_state["id"]
    assert [c["id"] for c in sim.entities(main, "counterparty")] == [known["id"]]


def test_in_shadow_mode_the_request_is_recorded_and_nothing_is_written(shop):
    franchise, main, child, parties, goods = shop
    Account.update(sync_mode="shadow").where(Account.id == child).execute()
    order = child_order(franchise.sim, child, parties, order_positions(goods, picks(goods)))

    _, outcome = apply(main, child, order)

    assert outcome.status == COMPLETED and outcome.result == {"shadow": True}
    assert outcome.request["syncId"] == order_sync_id(child, "customerorder", order["id"])
    assert outcome.request["agent"]["to_create"]["inn"] == ORG_INN
    assert len(outcome.request["positions"]) == 3
    assert main_orders(franchise) == []
    assert franchise.sim.entities(main, "counterparty") == []


def test_orders_of_a_switched_off_kind_or_an_inactive_link_are_cancelled(shop):
    franchise, main, child, parties, goods = shop
    order = child_order(franchise.sim, child, parties, order_positions(goods, picks(goods)))
    SyncSettings.update(sync_customer_orders=False).where(
        SyncSettings.child_account == child
    ).execute()

    _, outcome = apply(main, child, order)

    assert outcome.status == CANCELLED and "sync_customer_orders is off" in outcome.error
    assert main_orders(franchise) == []
