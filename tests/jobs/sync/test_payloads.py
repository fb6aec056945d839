"""Payloads per strategy for the child: built from the main entity, accepted by the child
(the simulator checks every reference is the child's own, md/_general.md — Метаданные)."""

import pytest

from jobs.processing.strategies import Strategy
from jobs.sync.payloads import build_payload, expand_for
from jobs.sync.references import MissingReference
from tests.jobs.sync.payloads_fixtures import pair_fixture  # noqa: F401 (the `pair` fixture)


def task(entity_type="product", operation="update", strategy=None, fields=()):
    payload = {"updated_fields": list(fields)}
    if strategy is not None:
        payload["strategy"] = str(strategy)
    return {"entity_type": entity_type, "operation": operation, "payload": payload}


def main_product(pair, **data):
    """A main product read back as the executor reads it (GET with expand_for)."""
    folder = pair.sim.add_entity(pair.main, "productfolder", {"name": "Кофе"})
    made = pair.sim.add_entity(
        pair.main,
        "product",
        {
            "name": "Кофе Эфиопия",
            "code": "P-1",
            "article": "KOF-1",
            "description": "Арабика",
            "productFolder": folder["id"],
            "salePrices": [
                {"value": 45000, "priceType": "Цена продажи"},
                {"value": 39000, "priceType": "Оптовая цена"},
            ],
            "buyPrice": 21000,
            "attributes": {"Бренд": "Демо"},
            "vat": 20,
            "vatEnabled": True,
        }
        | data,
    )
    return read(pair, "product", made["id"]), folder


def read(pair, entity_type, entity_id, account=None, strategy="full_sync"):
    client = pair.main_client if account is None else pair.child_client
    rows = client.get_entities(entity_type, [entity_id], expand_for(entity_type, strategy))
    return rows[0]


def create_in_child(pair, entity_type, body):
    return pair.child_client.post(f"/entity/{entity_type}", body)


def test_a_created_product_arrives_whole_with_the_childs_own_references(pair):
    product, folder = main_product(pair)
    pair.copy("productfolder", folder)
    pair.sim.account(pair.child).attribute("product", "Бренд", "string")
    body = build_payload(task(operation="create"), product, pair.references())
    made = create_in_child(pair, "product", body)

    diff = pair.sim.catalog_diff(pair.main, pair.child, "product", match="code")
    assert diff["only_left"] == [] and diff["only_right"] == []
    assert diff["different"] == {}
    assert made["pathName"] == "Кофе"
    prices = {p["priceType"]["name"]: p["value"] for p in made["salePrices"]}
    assert prices == {"Цена продажи": 45000, "Оптовая цена": 39000}


def test_prices_only_carries_the_prices_and_nothing_else(pair):
    product, _ = main_product(pair)
    body = build_payload(task(strategy=Strategy.PRICES_ONLY, fields=["salePrices"]), product,
                         pair.references())  # fmt: skip
    assert set(body) == {"salePrices", "buyPrice", "minPrice"}
    child_types = {p["name"]: p["id"] for p in pair.sim.account(pair.child).price_types}
    assert sorted(p["priceType"]["meta"]["href"].rsplit("/", 1)[1] for p in body["salePrices"]) \
        == sorted(child_types.values())  # fmt: skip


def test_base_only_carries_the_plain_fields(pair):
    product, _ = main_product(pair)
    body = build_payload(task(strategy=Strategy.BASE_ONLY, fields=["name"]), product,
                         pair.references())  # fmt: skip
    assert body["name"] == "Кофе Эфиопия" and body["code"] == "P-1" and body["vat"] == 20
    assert not {"salePrices", "attributes", "productFolder", "uom", "meta", "id"} & set(body)


def test_a_base_update_of_an_emptied_description_clears_it(pair):
    product, _ = main_product(pair)
    del product["description"]
    body = build_payload(task(strategy=Strategy.BASE_ONLY, fields=["description"]), product,
                         pair.references())  # fmt: skip
    assert body["description"] == ""


def test_skip_builds_nothing(pair):
    product, _ = main_product(pair)
    assert build_payload(task(strategy=Strategy.SKIP), product, pair.references()) == {}


def test_a_price_type_the_child_lacks_fails_with_what_to_create(pair):
    product, _ = main_product(pair)
    pair.sim.account(pair.main).price_type("Франшиза")
    product["salePrices"].append(
        {"value": 1, "priceType": {"name": "Франшиза", "meta": {"href": "x/pricetype/1"}}}
    )
    with pytest.raises(MissingReference) as raised:
        build_payload(task(strategy=Strategy.PRICES_ONLY), product, pair.references())
    assert raised.value.reason == "child Москва has no price type 'Франшиза'"
    assert raised.value.retry_in is None


def test_a_folder_not_copied_yet_retries_later(pair):
    product, _ = main_product(pair)
    pair.sim.account(pair.child).attribute("product", "Бренд", "string")
    with pytest.raises(MissingReference) as raised:
        build_payload(task(operation="create"), product, pair.references())
    assert raised.value.reason == "child Москва has no copy of the folder 'Кофе' yet"
    assert raised.value.retry_in > 0
