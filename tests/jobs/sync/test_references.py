"""Every reference kind translated into the child's own objects, cached, refreshed, or missing
with a reason an operator can act on (MOYSKLAD.md §8; the simulator's dictionaries)."""

import pytest

from jobs.sync.payloads import build_payload, expand_for
from jobs.sync.references import MissingReference, ReferencePending
from tests.jobs.sync.payloads_fixtures import pair_fixture  # noqa: F401 (the `pair` fixture)

CREATE = {"entity_type": "product", "operation": "create", "payload": {}}


def update(entity_type="product", strategy="full_sync", fields=()):
    payload = {"strategy": strategy, "updated_fields": list(fields)}
    return {"entity_type": entity_type, "operation": "update", "payload": payload}


def read(pair, entity_type, data):
    made = pair.sim.add_entity(pair.main, entity_type, data)
    return pair.main_client.get_entities(entity_type, [made["id"]], expand_for(entity_type))[0]


def href_id(reference):
    return reference["meta"]["href"].rsplit("/", 1)[1]


def prices_by_type(pair, body):
    names = {p["id"]: p["name"] for p in pair.sim.account(pair.child).price_types}
    return {names[href_id(p["priceType"])]: p["value"] for p in body.get("salePrices", [])}


PRICED = {
    "name": "Чай",
    "salePrices": [
        {"value": 100, "priceType": "Цена продажи"},
        {"value": 80, "priceType": "Оптовая цена"},
    ],
}


def test_price_mappings_send_only_the_mapped_types_to_the_childs_named_type(pair):
    pair.sim.account(pair.child).price_type("Опт")
    pair.set_settings(
        price_mappings=[{"main_price_type": "оптовая цена", "child_price_type": "Опт"}]
    )
    body = build_payload(update(strategy="prices_only"), read(pair, "product", PRICED),
                         pair.references())  # fmt: skip
    assert prices_by_type(pair, body) == {"Опт": 80}


def test_a_price_type_the_child_owns_is_never_sent(pair):
    pair.set_settings(owned_price_types=["цена продажи"])
    body = build_payload(CREATE, read(pair, "product", PRICED), pair.references())
    assert prices_by_type(pair, body) == {"Оптовая цена": 80}


def test_prices_are_not_sent_when_the_child_does_not_sync_prices(pair):
    pair.set_settings(sync_prices=False)
    body = build_payload(CREATE, read(pair, "product", PRICED), pair.references())
    assert not {"salePrices", "buyPrice", "minPrice"} & set(body)
    assert build_payload(update(strategy="prices_only"), read(pair, "product", PRICED),
                         pair.references()) == {}  # fmt: skip


def test_currency_goes_by_iso_code_and_a_missing_one_names_it(pair):
    usd = pair.sim.account(pair.main).currencies[1]
    child_usd = pair.sim.account(pair.child).currencies[1]
    bought = {"value": 5, "currency": {"meta": usd["meta"]}}
    product = read(pair, "product", {"name": "Ром", "buyPrice": bought})
    body = build_payload(update(strategy="prices_only"), product, pair.references())
    assert href_id(body["buyPrice"]["currency"]) == child_usd["id"]
    pair.sim.account(pair.child).currencies.pop(1)
    pair.references().forget()
    with pytest.raises(MissingReference) as raised:
        build_payload(update(strategy="prices_only"), product, pair.references())
    assert raised.value.reason == "child Москва has no currency USD"


def test_uom_and_country_go_by_code_and_a_missing_country_names_it(pair):
    main = pair.sim.account(pair.main)
    child = pair.sim.account(pair.child)
    product = read(pair, "product", {"name": "Паста", "uom": {"meta": main.uoms[1]["meta"]},
                                     "country": {"meta": main.countries[2]["meta"]}})  # fmt: skip
    body = build_payload(CREATE, product, pair.references())
    assert href_id(body["uom"]) == child.uoms[1]["id"]
    assert href_id(body["country"]) == child.countries[2]["id"]
    made = pair.child_client.post("/entity/product", body)
    assert made["uom"]["meta"]["href"].endswith(child.uoms[1]["id"])
    child.countries.pop(2)
    pair.references().forget("country")
    with pytest.raises(MissingReference) as raised:
        build_payload(CREATE, product, pair.references())
    assert raised.value.reason == "child Москва has no country 'Италия' (code 380)"


def test_attributes_go_by_name_and_type(pair):
    child_brand = pair.sim.account(pair.child).attribute("product", "бренд", "string")
    product = read(pair, "product", {"name": "Кофе", "attributes": {"Бренд": "Демо"}})
    body = build_payload(update(strategy="attributes_only"), product, pair.references())
    assert [(href_id(a), a["value"]) for a in body["attributes"]] == [(child_brand["id"], "Демо")]
    assert list(body) == ["attributes"]


def test_an_attribute_of_another_type_is_a_missing_reference(pair):
    pair.sim.account(pair.child).attribute("product", "Бренд", "long")
    product = read(pair, "product", {"name": "Кофе", "attributes": {"Бренд": "Демо"}})
    with pytest.raises(MissingReference) as raised:
        build_payload(update(strategy="attributes_only"), product, pair.references())
    assert raised.value.reason == "child Москва has attribute 'Бренд' of type long, not string"


def test_attribute_mappings_rename_and_restrict_and_owned_ones_stay_the_childs(pair):
    child = pair.sim.account(pair.child)
    brand = child.attribute("product", "Марка", "string")
    child.attribute("product", "Сезон", "string")
    child.attribute("product", "Заметка", "string")
    product = read(pair, "product", {"name": "Кофе", "attributes": {"Бренд": "Демо",
                                     "Сезон": "лето", "Заметка": "x"}})  # fmt: skip
    pair.set_settings(
        attribute_mappings=[
            {"main_attribute": "Бренд", "child_attribute": "Марка"},
            {"main_attribute": "Заметка", "child_attribute": "Заметка"},
        ],
        owned_attributes=["заметка"],
    )
    body = build_payload(update(strategy="attributes_only"), product, pair.references())
    assert [(href_id(a), a["value"]) for a in body["attributes"]] == [(brand["id"], "Демо")]


def test_an_attribute_the_main_account_cleared_is_reset_in_the_child(pair):
    pair.sim.account(pair.main).attribute("product", "Сезон", "string")
    season = pair.sim.account(pair.child).attribute("product", "Сезон", "string")
    product = read(pair, "product", {"name": "Кофе"})
    task = update(strategy="attributes_only", fields=["Сезон"])
    body = build_payload(task, product, pair.references())
    assert [(href_id(a), a["value"]) for a in body["attributes"]] == [(season["id"], None)]


def test_file_and_reference_attributes_are_left_to_the_child(pair):
    product = read(pair, "product", {"name": "Кофе"})
    product["attributes"] = [
        {"meta": {"href": "x/attributes/1"}, "name": "Паспорт", "type": "file", "value": "a.pdf"},
        {"meta": {"href": "x/attributes/2"}, "name": "Поставщик", "type": "counterparty",
         "value": {"meta": {"href": "x/counterparty/1"}}},
    ]  # fmt: skip
    assert build_payload(update(strategy="attributes_only"), product, pair.references()) == {}


def variant_of(pair, product_data=None, characteristics=None):
    product = pair.sim.add_entity(pair.main, "product", product_data or {"name": "Футболка"})
    made = pair.sim.add_entity(pair.main, "variant", {"product": product["id"],
                               "characteristics": characteristics or {"Размер": "L"}})  # fmt: skip
    return product, pair.main_client.get_entities("variant", [made["id"]], "product")[0]


VARIANT_CREATE = {"entity_type": "variant", "operation": "create", "payload": {}}


def test_a_variant_goes_to_the_childs_copy_of_its_product_with_its_characteristics(pair):
    product, variant = variant_of(pair)
    copy = pair.copy("product", product)
    size = pair.sim.account(pair.child).characteristic("Размер")
    body = build_payload(VARIANT_CREATE, variant, pair.references())
    assert href_id(body["product"]) == copy["id"]
    assert [(href_id(c), c["value"]) for c in body["characteristics"]] == [(size["id"], "L")]
    made = pair.child_client.post("/entity/variant", body)
    assert made["name"] == "Футболка (L)"


def test_a_missing_characteristic_is_created_in_the_child_unless_nothing_may_be_written(pair):
    product, variant = variant_of(pair, characteristics={"Цвет": "синий"})
    pair.copy("product", product)
    shadow = build_payload(VARIANT_CREATE, variant, pair.references(create_missing=False))
    assert shadow["characteristics"] == [{"name": "Цвет", "value": "синий"}]
    assert pair.sim.account(pair.child).characteristics == {}
    live = build_payload(VARIANT_CREATE, variant, pair.references())
    made = pair.sim.account(pair.child).characteristics["Цвет"]
    assert [href_id(c) for c in live["characteristics"]] == [made["id"]]


def test_a_variant_whose_product_is_not_copied_yet_retries(pair):
    _, variant = variant_of(pair)
    with pytest.raises(MissingReference) as raised:
        build_payload(VARIANT_CREATE, variant, pair.references())
    assert raised.value.reason == "child Москва has no copy of the product 'Футболка' yet"
    assert isinstance(raised.value, ReferencePending) and raised.value.retry_in == 5.0


def test_bundle_components_go_through_the_mappings_and_the_child_accepts_the_bundle(pair):
    coffee = pair.sim.add_entity(pair.main, "product", {"name": "Кофе"})
    grind = pair.sim.add_entity(pair.main, "service", {"name": "Помол"})
    bundle = read(pair, "bundle", {"name": "Набор", "components": [
        coffee["id"], {"assortment": {"meta": grind["meta"]}, "quantity": 2}]})  # fmt: skip
    copies = {"product": pair.copy("product", coffee), "service": pair.copy("service", grind)}
    task = {"entity_type": "bundle", "operation": "create", "payload": {}}
    body = build_payload(task, bundle, pair.references())
    assert [(href_id(c["assortment"]), c["quantity"]) for c in body["components"]] == [
        (copies["product"]["id"], 1), (copies["service"]["id"], 2)]  # fmt: skip
    made = pair.child_client.post("/entity/bundle", body)
    assert made["name"] == "Набор"


def test_a_bundle_read_without_its_components_is_refused(pair):
    coffee = pair.sim.add_entity(pair.main, "product", {"name": "Кофе"})
    made = pair.sim.add_entity(pair.main, "bundle", {"name": "Набор", "components": [coffee["id"]]})
    plain = pair.main_client.get_entities("bundle", [made["id"]])[0]
    task = {"entity_type": "bundle", "operation": "create", "payload": {}}
    with pytest.raises(MissingReference, match="components were not read"):
        build_payload(task, plain, pair.references())


def test_a_folder_goes_under_the_childs_copy_of_its_parent(pair):
    parent = pair.sim.add_entity(pair.main, "productfolder", {"name": "Напитки"})
    folder = read(pair, "productfolder", {"name": "Кофе", "code": "F-2",
                                          "productFolder": parent["id"]})  # fmt: skip
    parent_copy = pair.copy("productfolder", parent)
    task = {"entity_type": "productfolder", "operation": "folder_create", "payload": {}}
    body = build_payload(task, folder, pair.references())
    assert body["name"] == "Кофе" and body["code"] == "F-2"
    assert href_id(body["productFolder"]) == parent_copy["id"]
    made = pair.child_client.post("/entity/productfolder", body)
    assert made["pathName"] == "Напитки"
    root = read(pair, "productfolder", {"name": "Корень"})
    moved = {"entity_type": "productfolder", "operation": "folder_update", "payload": {}}
    assert build_payload(moved, root, pair.references())["productFolder"] is None
    assert "productFolder" not in build_payload(task, root, pair.references())


def test_a_child_that_does_not_sync_folders_keeps_its_own_placement(pair):
    folder = pair.sim.add_entity(pair.main, "productfolder", {"name": "Кофе"})
    pair.set_settings(sync_folders=False)
    product = read(pair, "product", {"name": "Кофе", "productFolder": folder["id"]})
    assert "productFolder" not in build_payload(update(), product, pair.references())


def test_owned_fields_are_never_sent(pair):
    pair.set_settings(owned_fields=["description", "minPrice"])
    product = read(pair, "product", {"name": "Кофе", "description": "main's"})
    body = build_payload(update(), product, pair.references())
    assert body["name"] == "Кофе" and not {"description", "minPrice"} & set(body)


def reads(pair, since):
    """(whose, path) of the requests after `since`."""
    whose = {f"token-{pair.main}": "main", f"token-{pair.child}": "child"}
    return sorted((whose[r.token], r.path) for r in pair.sim.requests[since:])


def test_dictionaries_are_read_once_and_shared_between_runs_until_forgotten(pair):
    uom = pair.sim.account(pair.main).uoms[0]
    product = read(pair, "product", PRICED | {"uom": {"meta": uom["meta"]}})
    start = len(pair.sim.requests)
    build_payload(CREATE, product, pair.references())
    # Price types come inline in the main entity (name); currency and uom only as meta.
    assert reads(pair, start) == [
        ("child", "/context/companysettings/pricetype"),
        ("child", "/entity/currency"),
        ("child", "/entity/uom"),
        ("main", "/entity/currency"),
        ("main", "/entity/uom"),
    ]
    again = len(pair.sim.requests)
    references = pair.references()  # a later run: Redis has them
    build_payload(CREATE, product, references)
    assert reads(pair, again) == []
    references.forget("uom")
    build_payload(CREATE, product, pair.references())
    assert reads(pair, again) == [("child", "/entity/uom"), ("main", "/entity/uom")]


def test_a_supplier_is_the_childs_counterparty_of_the_same_inn_or_left_out(pair):
    supplier = pair.sim.add_entity(
        pair.main, "counterparty", {"name": "Обжарка", "inn": "7736207543"}
    )
    product = read(pair, "product", {"name": "Кофе", "supplier": {"meta": supplier["meta"]}})
    assert "supplier" not in build_payload(update(), product, pair.references())
    theirs = pair.sim.add_entity(
        pair.child, "counterparty", {"name": "ООО Обжарка", "inn": "7736207543"}
    )
    pair.references().forget()
    body = build_payload(update(), product, pair.references())
    assert href_id(body["supplier"]) == theirs["id"]
    assert pair.child_client.put(f"/entity/product/{pair.copy('product', product)['id']}",
                                 {"supplier": body["supplier"]})["supplier"]  # fmt: skip
    pair.sim.add_entity(pair.child, "counterparty", {"name": "Обжарка-2", "inn": "7736207543"})
    pair.references().forget()
    assert "supplier" not in build_payload(update(), product, pair.references())


def test_a_variant_the_child_already_has_is_updated_without_moving_it_to_another_product(pair):
    product, variant = variant_of(pair)
    pair.copy("product", product)
    pair.sim.account(pair.child).characteristic("Размер")
    body = build_payload(VARIANT_CREATE, variant, pair.references(), create=False)
    assert "product" not in body and body["characteristics"][0]["value"] == "L"


def test_an_owned_name_is_still_sent_when_the_child_gets_the_entity_first(pair):
    pair.set_settings(owned_fields=["name", "description"])
    product = read(pair, "product", {"name": "Кофе", "description": "main's"})
    created = build_payload(CREATE, product, pair.references())
    assert created["name"] == "Кофе" and "description" not in created
    assert "name" not in build_payload(update(), product, pair.references())


def test_a_price_type_the_operator_adds_after_the_failure_is_found_on_the_retry(pair):
    product = read(pair, "product", PRICED)
    pair.sim.account(pair.child).price_types.pop(1)  # the child lacks "Оптовая цена"
    references = pair.references()
    for _ in range(3):  # many tasks of one run: the list is read again only once
        with pytest.raises(MissingReference, match="no price type 'Оптовая цена'"):
            build_payload(CREATE, product, references)
    child_reads = [
        r for r in reads(pair, 0) if r == ("child", "/context/companysettings/pricetype")
    ]
    assert len(child_reads) == 2
    pair.sim.account(pair.child).price_type("Оптовая цена")  # the operator's fix
    body = build_payload(CREATE, product, pair.references())  # the retry, cache still warm
    assert prices_by_type(pair, body) == {"Цена продажи": 100, "Оптовая цена": 80}


def test_packs_take_the_childs_units_and_a_bundles_overhead_the_childs_currency(pair):
    main = pair.sim.account(pair.main)
    child = pair.sim.account(pair.child)
    pack = {"id": "p-1", "uom": {"meta": main.uoms[2]["meta"]}, "quantity": 6}
    product = read(pair, "product", {"name": "Вода", "packs": [pack]})
    body = build_payload(CREATE, product, pair.references())
    assert body["packs"] == [{"uom": {"meta": body["packs"][0]["uom"]["meta"]}, "quantity": 6}]
    assert href_id(body["packs"][0]["uom"]) == child.uoms[2]["id"]
    coffee = pair.sim.add_entity(pair.main, "product", {"name": "Кофе"})
    overhead = {"value": 500, "currency": {"meta": main.currencies[0]["meta"]}}
    bundle = read(pair, "bundle", {"name": "Набор", "components": [coffee["id"]],
                                   "overhead": overhead})  # fmt: skip
    pair.copy("product", coffee)
    task = {"entity_type": "bundle", "operation": "create", "payload": {}}
    body = build_payload(task, bundle, pair.references())
    assert body["overhead"]["value"] == 500
    assert href_id(body["overhead"]["currency"]) == child.currencies[0]["id"]


def test_services_and_bundles_use_the_products_attribute_set(pair):
    """md/dictionaries/_service.md: a service's attributes are the product metadata's."""
    brand = pair.sim.account(pair.child).attribute("product", "Бренд", "string")
    service = read(pair, "service", {"name": "Помол", "attributes": {"Бренд": "Демо"}})
    task = {"entity_type": "service", "operation": "create", "payload": {}}
    body = build_payload(task, service, pair.references())
    assert [href_id(a) for a in body["attributes"]] == [brand["id"]]
    made = pair.child_client.post("/entity/service", body)
    assert [a["name"] for a in made["attributes"]] == ["Бренд"]
    assert reads(pair, 0).count(("child", "/entity/product/metadata/attributes")) == 1


def test_a_mapping_naming_main_by_id_without_a_child_side_goes_to_the_same_name(pair):
    wholesale = pair.sim.account(pair.main).price_types[1]
    pair.set_settings(price_mappings=[{"main_price_type": wholesale["id"]}])
    body = build_payload(update(strategy="prices_only"), read(pair, "product", PRICED),
                         pair.references())  # fmt: skip
    assert prices_by_type(pair, body) == {"Оптовая цена": 80}
