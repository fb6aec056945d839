"""Writes through the API: bulk arrays, merge rules, required and unknown fields, syncId, code."""

import uuid

from tests.simulator.conftest import ACCOUNT


def test_bulk_post_mixes_creates_and_updates_and_answers_each_item_in_order(sim, api):
    """md/_general.md — Создание и обновление нескольких объектов."""
    existing = sim.add_entity(ACCOUNT, "product", {"name": "Старый"})
    body = [
        {"name": "Новый"},
        {"meta": existing["meta"], "name": "Переименован"},
        {"name": None},
        {"name": "Ещё"},
    ]
    answer = api.post(api.url("/entity/product"), json=body).json()
    assert [a.get("name") for a in answer] == ["Новый", "Переименован", None, "Ещё"]
    assert answer[2]["errors"][0]["code"] == 3000
    names = sorted(p["name"] for p in sim.entities(ACCOUNT, "product"))
    assert names == ["Ещё", "Новый", "Переименован"]


def test_an_array_over_1000_items_is_413(api):
    """md/_restrictions.md — Ограничения на размер данных; md/_general.md — лимит 1000."""
    response = api.post(api.url("/entity/product"), json=[{"name": f"P{n}"} for n in range(1001)])
    assert response.status_code == 413


def test_unknown_field_and_null_name_are_refused(api):
    """md/_errors.md — 1007 Неизвестное поле; 3000 поле не может быть пустым."""
    unknown = api.post(api.url("/entity/product"), json={"name": "A", "colour": "red"})
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["code"] == 1007
    product = api.post(api.url("/entity/product"), json={"name": "A"}).json()
    null_name = api.put(api.url(f"/entity/product/{product['id']}"), json={"name": None})
    assert null_name.json()["errors"][0]["code"] == 3000


def test_same_sync_id_twice_gives_one_entity_and_syncid_addresses_it(sim, api):
    """md/_general.md — Назначение поля syncId (and /entity/{type}/syncid/{id})."""
    sync_id = str(uuid.uuid4())
    first = api.post(api.url("/entity/product"), json={"name": "A", "syncId": sync_id}).json()
    again = api.post(api.url("/entity/product"), json={"name": "A", "syncId": sync_id}).json()
    assert first["id"] == again["id"] and len(sim.entities(ACCOUNT, "product")) == 1
    assert api.get(api.url(f"/entity/product/syncid/{sync_id}")).json()["id"] == first["id"]
    changed = api.put(api.url(f"/entity/product/{first['id']}"), json={"syncId": str(uuid.uuid4())})
    assert changed.json()["errors"][0]["code"] == 1047
    assert api.delete(api.url(f"/entity/product/syncid/{sync_id}")).status_code == 200
    assert sim.entities(ACCOUNT, "product") == []


def test_a_create_sent_again_with_its_sync_id_answers_the_first_even_with_a_unique_code(sim, api):
    """md/_general.md — Назначение поля syncId: the re-sent create returns the entity made
    before (its code, unique per account, is its own, not a clash)."""
    body = [{"name": "B", "code": "UNIQUE-1", "syncId": str(uuid.uuid4())}]
    first = api.post(api.url("/entity/product"), json=body).json()
    again = api.post(api.url("/entity/product"), json=body).json()
    assert "errors" not in again[0] and again[0]["id"] == first[0]["id"]


def test_variant_and_folder_have_no_sync_id(api):
    """MOYSKLAD syncId support: md/dictionaries/_variant.md and _productFolder.md list none."""
    answer = api.post(
        api.url("/entity/productfolder"), json={"name": "F", "syncId": str(uuid.uuid4())}
    )
    assert answer.json()["errors"][0]["code"] == 1007


def test_put_attributes_in_meta_value_form_merges_item_by_item(sim, api):
    """md/_general.md — Обновление значений дополнительных полей (merge by attribute)."""
    product = sim.add_entity(
        ACCOUNT, "product", {"name": "A", "attributes": {"Бренд": "X", "Вес": 1}}
    )
    brand = next(a for a in product["attributes"] if a["name"] == "Бренд")
    body = {"attributes": [{"meta": brand["meta"], "value": "Y"}]}
    answer = api.put(api.url(f"/entity/product/{product['id']}"), json=body)
    assert answer.status_code == 200
    values = {a["name"]: a["value"] for a in answer.json()["attributes"]}
    assert values == {"Бренд": "Y", "Вес": 1}


def test_put_sale_prices_merges_by_price_type_and_keeps_its_identity(sim, api):
    """md/dictionaries/_product.md — Цены продажи; md/dictionaries/_pricetypes.md."""
    prices = [
        {"value": 100, "priceType": "Цена продажи"},
        {"value": 80, "priceType": "Оптовая цена"},
    ]
    product = sim.add_entity(ACCOUNT, "product", {"name": "A", "salePrices": prices})
    wholesale = product["salePrices"][1]["priceType"]
    body = {"salePrices": [{"value": 70, "priceType": {"meta": wholesale["meta"]}}]}
    answer = api.put(api.url(f"/entity/product/{product['id']}"), json=body).json()
    by_name = {p["priceType"]["name"]: p["value"] for p in answer["salePrices"]}
    assert by_name == {"Цена продажи": 100, "Оптовая цена": 70}
    assert answer["salePrices"][1]["priceType"]["id"] == wholesale["id"]


def test_barcodes_are_replaced_whole_and_null_clears(sim, api):
    """md/_general.md — Поддержка null; md/dictionaries/_product.md — Штрихкоды."""
    folder = sim.add_entity(ACCOUNT, "productfolder", {"name": "F"})
    product = sim.add_entity(
        ACCOUNT,
        "product",
        {"name": "A", "barcodes": [{"ean13": "1"}, {"ean8": "2"}], "productFolder": folder["id"]},
    )
    url = api.url(f"/entity/product/{product['id']}")
    answer = api.put(url, json={"barcodes": [{"code128": "3"}], "productFolder": None}).json()
    assert answer["barcodes"] == [{"code128": "3"}]
    assert "productFolder" not in answer and answer["pathName"] == ""


def test_duplicate_code_is_3006_unless_the_account_does_not_check(sim, api):
    """md/_errors.md — 3006; md/dictionaries/_assortment.md — Настройки справочника."""
    api.post(api.url("/entity/product"), json={"name": "A", "code": "X-1"})
    duplicate = api.post(api.url("/entity/service"), json={"name": "B", "code": "X-1"})
    assert duplicate.json()["errors"][0]["code"] == 3006
    settings = {"uniqueCodeRules": {"checkUniqueCode": False, "fillUniqueCode": False}}
    assert api.put(api.url("/entity/assortment/settings"), json=settings).status_code == 200
    assert (
        api.post(api.url("/entity/service"), json={"name": "B", "code": "X-1"}).status_code == 200
    )
    assert "code" not in api.post(api.url("/entity/product"), json={"name": "C"}).json()


def test_folder_archived_is_read_only_and_archived_goods_leave_lists(sim, api):
    """md/dictionaries/_productFolder.md (archived); md/_general.md — Фильтрация сущностей."""
    folder = api.post(api.url("/entity/productfolder"), json={"name": "F"}).json()
    api.put(api.url(f"/entity/productfolder/{folder['id']}"), json={"archived": True})
    assert sim.entity(ACCOUNT, "productfolder", folder["id"])["archived"] is False
    product = api.post(api.url("/entity/product"), json={"name": "A"}).json()
    api.put(api.url(f"/entity/product/{product['id']}"), json={"archived": True})
    assert api.get(api.url("/entity/product")).json()["rows"] == []
    both = api.get(api.url("/entity/product"), params={"filter": "archived=true;archived=false"})
    assert [r["id"] for r in both.json()["rows"]] == [product["id"]]


def test_an_update_of_the_vat_moves_the_read_only_effective_vat_and_keeps_files(sim, api):
    """md/dictionaries/_product.md — effectiveVat, effectiveVatEnabled (read-only, the real VAT);
    files is answered after an update as after the create."""
    made = api.post(api.url("/entity/product"), json={"name": "Кофе"}).json()
    assert (made["effectiveVat"], made["effectiveVatEnabled"]) == (0, False)
    body = {"vat": 20, "vatEnabled": True, "effectiveVat": 10}
    changed = api.put(api.url(f"/entity/product/{made['id']}"), json=body).json()
    assert (changed["effectiveVat"], changed["effectiveVatEnabled"]) == (20, True)
    assert changed["files"] == made["files"]
