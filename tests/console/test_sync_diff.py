"""The Sync page's comparisons: a recorded request against the child's entity, main vs children."""

from console.sync_diff import contained, request_diff, shown, side_by_side

BASE = "https://api.moysklad.ru/api/remap/1.2"


def ref(kind: str, entity_id: str, **extra) -> dict:
    path = "context/companysettings/pricetype" if kind == "pricetype" else f"entity/{kind}"
    return {"meta": {"href": f"{BASE}/{path}/{entity_id}", "type": kind}, **extra}


RUB = ref("currency", "rub")
RETAIL = ref("pricetype", "pt-1", name="Цена продажи")
CHILD_NOW = {
    "meta": ref("product", "c-1")["meta"],
    "id": "c-1",
    "name": "Кеды",
    "code": "K-1",
    "salePrices": [
        {
            "value": 100.0,
            "currency": RUB,
            "priceType": ref("pricetype", "pt-1", name="Цена продажи"),
        },
        {"value": 90.0, "currency": RUB, "priceType": ref("pricetype", "pt-own", name="Своя")},
    ],
    "attributes": [ref("attributemetadata", "a-1", name="Бренд", type="string", value="Nike")],
    "productFolder": ref("productfolder", "f-1"),
}


def test_a_request_that_sends_what_the_child_has_changes_nothing():
    request = {
        "meta": ref("product", "c-1")["meta"],
        "name": "Кеды",
        "salePrices": [{"value": 100, "priceType": ref("pricetype", "pt-1")}],
        "attributes": [{"meta": ref("attributemetadata", "a-1")["meta"], "value": "Nike"}],
        "productFolder": ref("productfolder", "f-1"),
    }
    rows = request_diff(request, CHILD_NOW)
    assert [r["field"] for r in rows] == ["attributes", "name", "productFolder", "salePrices"]
    assert not any(r["changes"] for r in rows)
    # The child's own price type ("Своя") is not sent, so not touched: still no change.


def test_each_changed_field_is_flagged_with_both_values():
    request = {
        "meta": ref("product", "c-1")["meta"],
        "name": "Кеды Pro",
        "salePrices": [{"value": 120, "priceType": ref("pricetype", "pt-1")}],
        "attributes": [{"meta": ref("attributemetadata", "a-1")["meta"], "value": "Adidas"}],
        "productFolder": ref("productfolder", "f-2"),
        "code": "K-1",
    }
    rows = {r["field"]: r for r in request_diff(request, CHILD_NOW)}
    assert {f for f, r in rows.items() if r["changes"]} == {
        "name", "salePrices", "attributes", "productFolder"
    }  # fmt: skip
    assert (rows["name"]["child now"], rows["name"]["would send"]) == ("Кеды", "Кеды Pro")
    assert rows["productFolder"]["would send"] == "productfolder/f-2"
    assert '"value": "Adidas"' in rows["attributes"]["would send"]
    assert not rows["code"]["changes"]


def test_a_create_shows_every_field_as_new():
    rows = request_diff({"syncId": "s-1", "name": "Кеды", "code": "K-1"}, None)
    assert rows == [
        {"field": "code", "child now": "—", "would send": "K-1", "changes": True},
        {"field": "name", "child now": "—", "would send": "Кеды", "changes": True},
    ]


def test_references_differ_only_by_what_they_point_at():
    assert contained(ref("uom", "u-1"), ref("uom", "u-1", name="шт"))
    assert not contained(ref("uom", "u-1"), ref("uom", "u-2"))
    assert not contained(ref("uom", "u-1"), None)
    assert contained([], None) and contained({}, None)


def test_main_and_children_side_by_side_compare_references_by_name():
    main = {"id": "m-1", "name": "Кеды", "uom": ref("uom", "main-uom", name="шт"), "code": "K-1"}
    moscow = {
        "id": "c-1",
        "name": "Кеды",
        "uom": ref("uom", "moscow-uom", name="шт"),
        "code": "K-1",
    }
    kazan = {"id": "c-2", "name": "Кеды старые", "uom": ref("uom", "kazan-uom", name="шт")}
    rows = {
        r["field"]: r
        for r in side_by_side({"Main": main, "Москва": moscow, "Казань": kazan, "Тверь": None})
    }
    assert set(rows) == {"code", "name", "uom"}  # housekeeping fields (id) left out
    assert rows["uom"]["Москва"] == "шт" and rows["uom"]["differs in"] == "Тверь"
    assert rows["name"]["differs in"] == "Казань, Тверь"
    assert rows["code"]["Казань"] == "—" and rows["code"]["differs in"] == "Казань, Тверь"
    assert shown(ref("uom", "u-9")) == "uom/u-9"
