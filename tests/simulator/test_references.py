"""References are per account; deleting what is in use is 409; customer orders."""

from tests.simulator.conftest import ACCOUNT, OTHER_ACCOUNT


def _party(sim, account, entity_type, name):
    return sim.add_entity(account, entity_type, {"name": name})


def test_another_accounts_folder_price_type_uom_or_attribute_is_refused(sim, api):
    """md/_general.md — Метаданные, Работа с дополнительными полями (14003)."""
    folder = _party(sim, OTHER_ACCOUNT, "productfolder", "чужая")
    theirs = sim.add_entity(OTHER_ACCOUNT, "product", {"name": "X", "attributes": {"Бренд": "Y"}})
    price_type = sim.account(OTHER_ACCOUNT).price_types[0]
    uom = sim.account(OTHER_ACCOUNT).uoms[0]
    cases = [
        ({"productFolder": {"meta": folder["meta"]}}, 1008),
        ({"salePrices": [{"value": 1, "priceType": {"meta": price_type["meta"]}}]}, 1008),
        ({"uom": {"meta": uom["meta"]}}, 1008),
        ({"attributes": [{"meta": theirs["attributes"][0]["meta"], "value": "Z"}]}, 14003),
    ]
    for fields, code in cases:
        answer = api.post(api.url("/entity/product"), json={"name": "A"} | fields)
        assert answer.status_code == 400 and answer.json()["errors"][0]["code"] == code, fields
    assert sim.entities(ACCOUNT, "product") == []


def test_own_dictionaries_are_accepted(sim, api):
    """md/dictionaries/_uom.md, _country.md, _currency.md: the account's own objects."""
    uoms = api.get(api.url("/entity/uom")).json()["rows"]
    countries = api.get(api.url("/entity/country")).json()["rows"]
    body = {
        "name": "A",
        "uom": {"meta": uoms[1]["meta"]},
        "country": {"meta": countries[0]["meta"]},
    }
    answer = api.post(api.url("/entity/product"), json=body)
    assert (
        answer.status_code == 200
        and answer.json()["uom"]["meta"]["href"] == uoms[1]["meta"]["href"]
    )


def test_customer_order_needs_organization_and_agent_and_validates_positions(sim, api):
    """md/documents/_customerOrder.md — Создать Заказ покупателя."""
    missing = api.post(api.url("/entity/customerorder"), json={"name": "1"})
    assert missing.status_code == 412 and missing.json()["errors"][0]["code"] == 3000
    organization = _party(sim, ACCOUNT, "organization", "ООО Франшиза")
    agent = _party(sim, ACCOUNT, "counterparty", "Точка 1")
    product = _party(sim, ACCOUNT, "product", "Кофе")
    states = api.get(api.url("/entity/customerorder/metadata")).json()["states"]
    order = {
        "organization": {"meta": organization["meta"]},
        "agent": {"meta": agent["meta"]},
        "state": {"meta": states[0]["meta"]},
        "positions": [{"assortment": {"meta": product["meta"]}, "quantity": 2, "price": 1500}],
    }
    answer = api.post(api.url("/entity/customerorder"), json=order)
    assert answer.status_code == 200, answer.text
    assert answer.json()["sum"] == 3000 and len(answer.json()["positions"]) == 1
    foreign = _party(sim, OTHER_ACCOUNT, "product", "чужой")
    bad = order | {"positions": [{"assortment": {"meta": foreign["meta"]}, "quantity": 1}]}
    assert api.post(api.url("/entity/customerorder"), json=bad).json()["errors"][0]["code"] == 1008
    zero = order | {"positions": [{"assortment": {"meta": product["meta"]}, "quantity": 0}]}
    assert api.post(api.url("/entity/customerorder"), json=zero).json()["errors"][0]["code"] == 3003


def test_deleting_a_product_in_an_order_is_409_and_bulk_delete_reports_per_item(sim, api):
    """md/_general.md — HTTP 409; md/_errors.md — 1028 Объект уже используется."""
    organization = _party(sim, ACCOUNT, "organization", "ООО")
    agent = _party(sim, ACCOUNT, "counterparty", "Точка")
    used = _party(sim, ACCOUNT, "product", "в заказе")
    free = _party(sim, ACCOUNT, "product", "свободный")
    order = {
        "organization": {"meta": organization["meta"]},
        "agent": {"meta": agent["meta"]},
        "positions": [{"assortment": {"meta": used["meta"]}, "quantity": 1}],
    }
    api.post(api.url("/entity/customerorder"), json=order)
    single = api.delete(api.url(f"/entity/product/{used['id']}"))
    assert single.status_code == 409 and single.json()["errors"][0]["code"] == 1028
    bulk = api.post(
        api.url("/entity/product/delete"), json=[{"meta": used["meta"]}, {"meta": free["meta"]}]
    ).json()
    assert bulk[0]["errors"][0]["code"] == 1028 and "errors" not in bulk[1]
    assert [p["name"] for p in sim.entities(ACCOUNT, "product")] == ["в заказе"]


def test_characteristics_are_per_account_and_a_duplicate_name_is_10002(sim, api):
    """md/dictionaries/_characteristic.md; md/_errors.md — 10002."""
    url = api.url("/entity/variant/metadata/characteristics")
    size = api.post(url, json={"name": "Размер", "type": "string"}).json()
    assert (
        api.post(url, json={"name": "Размер", "type": "string"}).json()["errors"][0]["code"]
        == 10002
    )
    product = _party(sim, ACCOUNT, "product", "Футболка")
    variant = {"product": {"meta": product["meta"]},
               "characteristics": [{"meta": size["meta"], "value": "L"}]}  # fmt: skip
    answer = api.post(api.url("/entity/variant"), json=variant).json()
    assert answer["name"] == "Футболка (L)" and answer["characteristics"][0]["id"] == size["id"]
    theirs = sim.account(OTHER_ACCOUNT).characteristic("Цвет")
    variant["characteristics"] = [{"meta": theirs["meta"], "value": "red"}]
    assert api.post(api.url("/entity/variant"), json=variant).json()["errors"][0]["code"] == 10001


def test_variant_metadata_lists_the_accounts_characteristics(sim, api):
    """md/dictionaries/_characteristic.md — Получить метаданные (GET /entity/variant/metadata)."""
    size = sim.account(ACCOUNT).characteristic("Размер")
    sim.account(OTHER_ACCOUNT).characteristic("Цвет")
    answer = api.get(api.url("/entity/variant/metadata")).json()
    assert [(c["id"], c["name"]) for c in answer["characteristics"]] == [(size["id"], "Размер")]
    assert answer["characteristics"][0]["meta"]["href"].endswith(
        f"/entity/variant/metadata/characteristics/{size['id']}"
    )


def test_price_types_list_is_replaced_whole(api):
    """md/dictionaries/_pricetypes.md — Редактирование списка типов цен."""
    url = api.url("/context/companysettings/pricetype")
    current = api.get(url).json()
    answer = api.post(
        url, json=[{"meta": current[0]["meta"], "name": "Розница"}, {"name": "Франшиза"}]
    )
    names = [p["name"] for p in answer.json()]
    assert names == ["Розница", "Франшиза"] and answer.json()[0]["id"] == current[0]["id"]
    assert api.post(url, json=[]).json()["errors"][0]["code"] == 42001
