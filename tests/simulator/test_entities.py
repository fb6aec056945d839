"""Entity reads and writes: filter by ids, paging, expand rules, realistic JSON, writes."""

import re

from tests.simulator.conftest import ACCOUNT


def _seed_products(sim, count, folder=None):
    data = {"productFolder": folder} if folder else {}
    return [sim.add_entity(ACCOUNT, "product", {"name": f"Товар {n}"} | data) for n in range(count)]


def test_filter_with_repeated_ids_returns_their_union(api, sim):
    products = _seed_products(sim, 5)
    wanted = [products[1]["id"], products[3]["id"]]
    answer = api.get(
        api.url("/entity/product"), params={"filter": f"id={wanted[0]};id={wanted[1]}"}
    )
    body = answer.json()
    assert sorted(row["id"] for row in body["rows"]) == sorted(wanted)
    assert body["meta"]["size"] == 2


def test_list_is_paged_with_size_limit_offset_and_next_href(api, sim):
    _seed_products(sim, 5)
    first = api.get(api.url("/entity/product"), params={"limit": 2}).json()
    assert first["meta"]["size"] == 5
    assert (first["meta"]["limit"], first["meta"]["offset"]) == (2, 0)
    assert len(first["rows"]) == 2
    assert "context" in first
    second = api.get(first["meta"]["nextHref"]).json()
    assert second["meta"]["offset"] == 2
    last = api.get(api.url("/entity/product"), params={"limit": 2, "offset": 4}).json()
    assert len(last["rows"]) == 1 and "nextHref" not in last["meta"]


def test_default_limit_is_1000_and_more_is_refused(api, sim):
    _seed_products(sim, 3)
    assert api.get(api.url("/entity/product")).json()["meta"]["limit"] == 1000
    assert api.get(api.url("/entity/product"), params={"limit": 1001}).status_code == 400


def test_expand_works_up_to_limit_100_and_is_ignored_above(api, sim):
    folder = sim.add_entity(ACCOUNT, "productfolder", {"name": "Кофе"})
    _seed_products(sim, 1, folder["id"])
    params = {"expand": "productFolder"}
    expanded = api.get(api.url("/entity/product"), params=params | {"limit": 100}).json()
    assert expanded["rows"][0]["productFolder"]["name"] == "Кофе"
    plain = api.get(api.url("/entity/product"), params=params | {"limit": 101}).json()
    assert "name" not in plain["rows"][0]["productFolder"]
    assert plain["rows"][0]["productFolder"]["meta"]["type"] == "productfolder"


def test_nested_expand_of_a_variants_product_folder(api, sim):
    folder = sim.add_entity(ACCOUNT, "productfolder", {"name": "Чай"})
    product = _seed_products(sim, 1, folder["id"])[0]
    variant = sim.add_entity(
        ACCOUNT, "variant", {"product": product["id"], "characteristics": {"Размер": "L"}}
    )
    row = api.get(
        api.url("/entity/variant"),
        params={"filter": f"id={variant['id']}", "limit": 100, "expand": "product.productFolder"},
    ).json()["rows"][0]
    assert row["product"]["productFolder"]["name"] == "Чай"
    assert row["characteristics"][0]["name"] == "Размер"


def test_product_json_looks_like_moysklads(api, sim, base_url):
    folder = sim.add_entity(ACCOUNT, "productfolder", {"name": "Кофе"})
    product = sim.add_entity(
        ACCOUNT,
        "product",
        {
            "name": "Эспрессо",
            "article": "ESP-1",
            "productFolder": folder["id"],
            "salePrices": [{"value": 15000, "priceType": "Цена продажи"}],
            "buyPrice": 9000,
            "attributes": {"Бренд": "Lavazza", "Новинка": True},
            "description": "",
        },
    )
    row = api.get(api.url(f"/entity/product/{product['id']}")).json()
    assert row["meta"]["href"] == f"{base_url}/entity/product/{product['id']}"
    assert row["meta"]["type"] == "product" and row["meta"]["mediaType"] == "application/json"
    assert row["accountId"] == ACCOUNT
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}", row["updated"])
    assert row["salePrices"][0]["value"] == 15000
    assert row["salePrices"][0]["priceType"]["name"] == "Цена продажи"
    assert "href" in row["salePrices"][0]["priceType"]["meta"]
    assert row["buyPrice"]["value"] == 9000
    assert {a["name"]: (a["type"], a["value"]) for a in row["attributes"]} == {
        "Бренд": ("string", "Lavazza"),
        "Новинка": ("boolean", True),
    }
    assert all({"id", "meta"} <= set(a) for a in row["attributes"])
    assert row["pathName"] == "Кофе" and row["externalCode"] and row["code"]
    assert "description" not in row  # empty fields are omitted


def test_folder_path_name_follows_parents(sim):
    root = sim.add_entity(ACCOUNT, "productfolder", {"name": "Напитки"})
    child = sim.add_entity(ACCOUNT, "productfolder", {"name": "Кофе", "productFolder": root["id"]})
    product = sim.add_entity(ACCOUNT, "product", {"productFolder": child["id"]})
    assert child["pathName"] == "Напитки"
    assert product["pathName"] == "Напитки/Кофе"


def test_bundle_has_components_and_orders_have_numbers(sim):
    product = _seed_products(sim, 1)[0]
    bundle = sim.add_entity(ACCOUNT, "bundle", {"components": [product["id"]]})
    assert bundle["components"][0]["assortment"]["meta"]["type"] == "product"
    order = sim.add_entity(ACCOUNT, "customerorder", {})
    assert order["name"].isdigit() and "moment" in order


def test_create_single_and_array_then_put_archive_and_delete(api, sim):
    created = api.post(api.url("/entity/product"), json={"name": "A"}).json()
    assert created["name"] == "A" and created["id"]
    many = api.post(api.url("/entity/product"), json=[{"name": "B"}, {"name": "C"}]).json()
    assert [p["name"] for p in many] == ["B", "C"]
    archived = api.put(api.url(f"/entity/product/{created['id']}"), json={"archived": True}).json()
    assert archived["archived"] is True
    assert api.delete(api.url(f"/entity/product/{created['id']}")).status_code == 200
    assert api.get(api.url(f"/entity/product/{created['id']}")).status_code == 404
    bulk = api.post(api.url("/entity/product/delete"), json=[{"meta": p["meta"]} for p in many])
    assert bulk.status_code == 200
    assert sim.entities(ACCOUNT, "product") == []


def test_bulk_array_reports_a_failed_item_in_its_place(api):
    answer = api.post(api.url("/entity/variant"), json=[{"name": "no product"}]).json()
    assert answer[0]["errors"][0]["code"] == 3000


def test_entities_belong_to_the_tokens_account(api, sim):
    from tests.simulator.conftest import OTHER_ACCOUNT

    foreign = sim.add_entity(OTHER_ACCOUNT, "product", {"name": "чужой"})
    assert api.get(api.url(f"/entity/product/{foreign['id']}")).status_code == 404


def test_price_types_are_listed_with_names(api):
    types = api.get(api.url("/context/companysettings/pricetype")).json()
    assert [t["name"] for t in types] == ["Цена продажи", "Оптовая цена"]
    assert all(t["id"] and t["meta"]["href"] for t in types)


def test_unknown_entity_type_is_refused(api):
    assert api.get(api.url("/entity/spaceship")).status_code == 404


def test_variant_is_named_after_its_product_and_characteristics(sim):
    product = sim.add_entity(ACCOUNT, "product", {"name": "Футболка"})
    variant = sim.add_entity(
        ACCOUNT, "variant", {"product": product["id"], "characteristics": {"Размер": "L"}}
    )
    assert variant["name"] == "Футболка (L)"
    assert variant["product"]["meta"]["href"] == product["meta"]["href"]


def test_bundle_components_read_as_a_meta_array_with_rows_when_expanded(sim, api):
    """md/dictionaries/_bundle.md — components: MetaArray, `+Expand`."""
    product = sim.add_entity(ACCOUNT, "product", {"name": "Кофе"})
    bundle = sim.add_entity(ACCOUNT, "bundle", {"name": "Набор", "components": [product["id"]]})
    plain = api.get(api.url(f"/entity/bundle/{bundle['id']}")).json()["components"]
    assert "rows" not in plain and plain["meta"]["size"] == 1
    assert plain["meta"]["type"] == "bundlecomponent"
    assert plain["meta"]["href"].endswith(f"/entity/bundle/{bundle['id']}/components")
    listed = api.get(api.url("/entity/bundle"), params={"expand": "components", "limit": 100})
    rows = listed.json()["rows"][0]["components"]["rows"]
    assert [r["assortment"]["meta"]["href"] for r in rows] == [product["meta"]["href"]]
    above = api.get(api.url("/entity/bundle"), params={"expand": "components", "limit": 1000})
    assert "rows" not in above.json()["rows"][0]["components"]
