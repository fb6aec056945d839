"""Payloads per strategy for the child: built from the main entity, accepted by the child
(the simulator checks every reference is the child's own, md/_general.md — Метаданные)."""

import pytest

from jobs.processing.strategies import Strategy
from jobs.sync.payloads import build_payload, expand_for
from jobs.sync.references import MissingReference, ReferencePending
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
    assert not isinstance(raised.value, ReferencePending) and raised.value.retry_in is None


def test_a_folder_not_copied_yet_retries_later(pair):
    product, _ = main_product(pair)
    pair.sim.account(pair.child).attribute("product", "Бренд", "string")
    with pytest.raises(MissingReference) as raised:
        build_payload(task(operation="create"), product, pair.references())
    assert raised.value.reason == "child Москва has no copy of the folder 'Кофе' yet"
    assert isinstance(raised.value, ReferencePending) and raised.value.retry_in > 0


def test_mixed_carries_base_prices_and_attributes_but_no_references(pair):
    product, _ = main_product(pair)
    pair.sim.account(pair.child).attribute("product", "Бренд", "string")
    task_ = task(strategy=Strategy.MIXED_SIMPLE, fields=["name", "salePrices", "Бренд"])
    body = build_payload(task_, product, pair.references())
    assert {"name", "salePrices", "attributes"} <= set(body)
    assert not {"productFolder", "uom", "supplier"} & set(body)


def test_a_full_update_brings_the_childs_copy_level_with_main(pair):
    product, folder = main_product(pair)
    pair.copy("productfolder", folder)
    pair.sim.account(pair.child).attribute("product", "Бренд", "string")
    copy = pair.copy("product", product, code="P-1", description="старое")
    body = build_payload(task(strategy=Strategy.FULL_SYNC), product, pair.references())
    pair.child_client.put(f"/entity/product/{copy['id']}", body)
    diff = pair.sim.catalog_diff(pair.main, pair.child, "product", match="code")
    assert diff == {"only_left": [], "only_right": [], "different": {}}


def test_a_created_service_is_accepted_and_equal(pair):
    made = pair.sim.add_entity(pair.main, "service", {"name": "Помол", "code": "S-1",
        "salePrices": [{"value": 5000, "priceType": "Цена продажи"}]})  # fmt: skip
    service = read(pair, "service", made["id"])
    body = build_payload(task("service", "create"), service, pair.references())
    create_in_child(pair, "service", body)
    diff = pair.sim.catalog_diff(pair.main, pair.child, "service", match="code")
    assert diff == {"only_left": [], "only_right": [], "different": {}}


def test_an_attribute_cleared_in_main_is_cleared_in_the_child(pair):
    pair.sim.account(pair.child).attribute("product", "Сезон", "string")
    product, _ = main_product(pair, attributes={"Бренд": "Демо", "Сезон": "лето"})
    pair.sim.account(pair.child).attribute("product", "Бренд", "string")
    copy = pair.copy("product", product, attributes={"Бренд": "Демо", "Сезон": "лето"})
    pair.sim.update_entity(pair.main, "product", product["id"], {"attributes": [
        {"meta": a["meta"], "value": None} for a in product["attributes"] if a["name"] == "Сезон"
    ]})  # fmt: skip
    product = read(pair, "product", product["id"])
    body = build_payload(task(strategy=Strategy.ATTRIBUTES_ONLY, fields=["Сезон"]), product,
                         pair.references())  # fmt: skip
    pair.child_client.put(f"/entity/product/{copy['id']}", body)
    names = [a["name"] for a in pair.sim.entity(pair.child, "product", copy["id"])["attributes"]]
    assert names == ["Бренд"]


def test_barcodes_and_a_country_the_main_account_removed_are_removed_in_the_child(pair):
    country = {"meta": pair.sim.account(pair.main).countries[0]["meta"]}
    product, folder = main_product(pair, country=country)
    pair.copy("productfolder", folder)
    pair.sim.account(pair.child).attribute("product", "Бренд", "string")
    child_country = {"meta": pair.sim.account(pair.child).countries[0]["meta"]}
    copy = pair.copy(
        "product", product, country=child_country, barcodes=[{"ean13": "2000000000015"}]
    )
    pair.sim.update_entity(pair.main, "product", product["id"], {"country": None, "barcodes": []})
    product = read(pair, "product", product["id"])
    assert "country" not in product and "barcodes" not in product
    fields = ["barcodes", "country"]
    body = build_payload(
        task(strategy=Strategy.FULL_SYNC, fields=fields), product, pair.references()
    )
    assert (body["barcodes"], body["country"]) == ([], None)
    pair.child_client.put(f"/entity/product/{copy['id']}", body)
    child = pair.sim.entity(pair.child, "product", copy["id"])
    assert "country" not in child and "barcodes" not in child


@pytest.mark.parametrize(
    ("entity_type", "strategy", "expand"),
    [
        ("product", "full_sync", "productFolder,supplier"),
        ("product", None, "productFolder,supplier"),  # an old payload: a full sync
        ("bundle", "full_sync", "productFolder,components"),
        ("variant", "full_sync", "product"),
        ("productfolder", "prices_only", "productFolder"),  # a folder is always whole
        ("product", "prices_only", None),
        ("service", "mixed_simple", None),
    ],
)
def test_the_main_read_expands_what_a_full_payload_needs(entity_type, strategy, expand):
    assert expand_for(entity_type, strategy) == expand
