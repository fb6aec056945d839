"""What processing reads from МойСклад (the simulator): batched, expanded loads for filters,
the folder tree for subfolder filters, price type names; the loop-guard header on every request."""

import pytest

from jobs.moysklad import MoySkladAuthError
from jobs.processing.webhook import process_webhook
from store.logs import get_log
from store.mappings import add_mapping
from store.tasks import list_tasks
from tests.jobs.processing_helpers import (
    assert_loop_guard,
    deliver,
    event,
    new_id,
    set_child_settings,
    simulated_franchise,
)


@pytest.fixture
def franchise(settings, db, redis):
    with simulated_franchise(settings, redis) as franchise:
        yield franchise
    assert_loop_guard(franchise)


def seed(franchise, entity_type: str, **data) -> str:
    return franchise.sim.add_entity(franchise.main, entity_type, data)["id"]


def entity_gets(franchise, entity_type: str) -> list:
    return [
        r
        for r in franchise.sim.requests
        if r.method == "GET" and r.path == f"/entity/{entity_type}"
    ]


def created_for(child: str) -> set[str]:
    return {t.entity_id for t in list_tasks(target_account_id=child, operation="create")}


def test_create_applies_each_childs_filter_with_folders_and_subfolders(franchise):
    shoes = seed(franchise, "productfolder", name="Обувь")
    boots = seed(franchise, "productfolder", name="Сапоги", productFolder=shoes)
    winter = seed(franchise, "productfolder", name="Зимние", productFolder=boots)
    food = seed(franchise, "productfolder", name="Еда")
    boot = seed(franchise, "product", name="Сапог", productFolder=winter)
    bread = seed(
        franchise, "product", name="Хлеб", productFolder=food, attributes={"Бренд": "Пекарня"}
    )
    shoes_only, bakery_brand, everything = franchise.children
    set_child_settings(
        shoes_only,
        product_filter={
            "conditions": [
                {"field": "folder", "op": "in", "values": [shoes], "include_subfolders": True}
            ]
        },
    )
    set_child_settings(
        bakery_brand,
        product_filter={
            "mode": "blacklist",
            "conditions": [
                {"field": "attribute", "attribute": "бренд", "op": "eq", "value": "Пекарня"}
            ],
        },
    )
    log_id = deliver(
        franchise.main, [event(franchise.main, "product", p, "CREATE") for p in (boot, bread)]
    )
    process_webhook(log_id)
    assert created_for(shoes_only) == {boot}
    assert created_for(bakery_brand) == {boot}
    assert created_for(everything) == {boot, bread}
    (load,) = entity_gets(franchise, "product")
    assert load.query["expand"] == "productFolder" and load.query["limit"] == "100"
    # Two levels above the product's folder: the folder tree came in one listing (then cached).
    assert len(entity_gets(franchise, "productfolder")) == 1
    assert "left out by its product filter" in get_log(log_id).reason


def test_creates_are_read_in_one_get_per_hundred_entities(franchise):
    products = [seed(franchise, "product", name=f"p{n}") for n in range(250)]
    set_child_settings(
        franchise.children[0],
        product_filter={"conditions": [{"field": "name", "op": "contains", "value": "p"}]},
    )
    process_webhook(
        deliver(franchise.main, [event(franchise.main, "product", p, "CREATE") for p in products])
    )
    assert len(entity_gets(franchise, "product")) == 3
    assert len(list_tasks(operation="create")) == 750


def test_created_entity_gone_before_processing_is_noted_not_tasked(franchise):
    set_child_settings(
        franchise.children[0],
        product_filter={"conditions": [{"field": "name", "op": "is_not_null"}]},
    )
    gone = new_id()
    log_id = deliver(franchise.main, [event(franchise.main, "service", gone, "CREATE")])
    process_webhook(log_id)
    assert list_tasks() == []
    log = get_log(log_id)
    assert log.status == "ignored" and "no longer exists in the main account" in log.reason


def test_variant_filter_reads_the_parent_product_expanded(franchise):
    folder = seed(franchise, "productfolder", name="Одежда")
    shirt = seed(franchise, "product", name="Рубашка", productFolder=folder)
    variant = seed(franchise, "variant", product=shirt, characteristics={"Размер": "M"})
    for child in franchise.children:
        set_child_settings(
            child,
            product_filter={"conditions": [{"field": "folder", "op": "in", "values": [folder]}]},
        )
    process_webhook(deliver(franchise.main, [event(franchise.main, "variant", variant, "CREATE")]))
    assert len(list_tasks(operation="create")) == 3
    (load,) = entity_gets(franchise, "variant")
    assert load.query["expand"] == "product.productFolder"


def test_custom_price_type_change_is_prices_only_and_names_are_read_once(franchise):
    product = new_id()
    for child in franchise.children:
        add_mapping(child, "product", product, new_id())
    for fields in (["Оптовая цена"], ["Франшиза москва"]):
        process_webhook(
            deliver(franchise.main, [event(franchise.main, "product", product, "UPDATE", fields)])
        )
        if fields == ["Оптовая цена"]:
            assert {t.payload["strategy"] for t in list_tasks()} == {"prices_only"}
    # The second (an attribute) widened the pending tasks; the names came from one request.
    assert {t.payload["strategy"] for t in list_tasks()} == {"mixed_simple"}
    reads = [r for r in franchise.sim.requests if r.path == "/context/companysettings/pricetype"]
    assert len(reads) == 1


def test_refused_read_fails_the_try_with_the_error_and_writes_nothing(franchise):
    franchise.sim.tokens.clear()  # the main account's token no longer works in МойСклад
    set_child_settings(
        franchise.children[0],
        product_filter={"conditions": [{"field": "name", "op": "is_not_null"}]},
    )
    log_id = deliver(franchise.main, [event(franchise.main, "product", new_id(), "CREATE")])
    with pytest.raises(MoySkladAuthError):
        process_webhook(log_id)  # outside RQ: no try is left, so the log fails
    log = get_log(log_id)
    assert (log.status, log.attempts) == ("failed", 1)
    assert log.error.startswith("MoySkladAuthError") and list_tasks() == []
