"""Standard-field conditions, and entities of any shape never crash a filter."""

import pytest

from jobs.filters.product_filter import entity_passes
from tests.jobs.entities import attribute, in_folder, link, on_attribute, only, product

FULL = product(
    code="a-1",
    externalCode="ext-7",
    description="Хлопок 100%",
    weight=1.2,
    vat=20,
    archived=False,
    vatEnabled=True,
    paymentItemType="GOOD",
)


@pytest.mark.parametrize(
    ("field", "op", "operand", "expected"),
    [
        ("name", "eq", "футболка", True),
        ("name", "ne", "Футболка", False),
        ("name", "contains", "БОЛ", True),
        ("name", "not_contains", "бол", False),
        ("name", "in", ["Шапка", "Футболка"], True),
        ("name", "not_in", ["Шапка"], True),
        ("code", "eq", "A-1", True),
        ("externalCode", "ne", "ext-8", True),
        ("description", "contains", "хлопок", True),
        ("article", "is_null", None, True),
        ("article", "is_not_null", None, False),
        ("article", "eq", "x", False),
        ("article", "ne", "x", True),
        ("paymentItemType", "in", ["GOOD", "SERVICE"], True),
        ("pathName", "is_null", None, True),
        ("type", "eq", "product", True),
        ("type", "in", ["service", "bundle"], False),
        ("weight", "gt", 1, True),
        ("weight", "gte", 1.2, True),
        ("weight", "lt", 1.2, False),
        ("weight", "lte", 1, False),
        ("weight", "eq", 1.2, True),
        ("weight", "in", [1.2, 3], True),
        ("weight", "not_in", [1.2], False),
        ("volume", "is_null", None, True),
        ("volume", "gt", 0, False),
        ("vat", "eq", 20, True),
        ("vat", "ne", 10, True),
        ("minimumBalance", "is_not_null", None, False),
        ("archived", "eq", False, True),
        ("archived", "eq", True, False),
        ("archived", "ne", True, True),
        ("archived", "is_not_null", None, True),
        ("vatEnabled", "eq", True, True),
        ("weighed", "is_null", None, True),
        ("shared", "ne", True, True),
    ],
)
def test_standard_field(field, op, operand, expected):
    condition = {"field": field, "op": op}
    if op in ("in", "not_in"):
        condition["values"] = operand
    elif operand is not None:
        condition["value"] = operand
    assert entity_passes(only(condition), FULL) is expected


@pytest.mark.parametrize(
    ("entity_type", "expected"),
    [("product", False), ("service", True), ("bundle", True), ("variant", False)],
)
def test_type_is_the_entitys_meta_type(entity_type, expected):
    condition = {"field": "type", "op": "in", "values": ["service", "bundle"]}
    assert entity_passes(only(condition), product(entity_type=entity_type)) is expected


@pytest.mark.parametrize(
    ("fields", "condition"),
    [
        ({"name": 5}, {"field": "name", "op": "is_null"}),
        ({"weight": "heavy"}, {"field": "weight", "op": "is_null"}),
        ({"weight": True}, {"field": "weight", "op": "is_null"}),
        ({"archived": "no"}, {"field": "archived", "op": "is_null"}),
        ({"code": ""}, {"field": "code", "op": "is_null"}),
    ],
)
def test_a_value_of_the_wrong_json_type_counts_as_missing(fields, condition):
    assert entity_passes(only(condition), product(**fields)) is True


GARBAGE_ENTITIES = [
    None,
    "product",
    {},
    {"meta": "not an object"},
    {"meta": {"type": 5, "href": None}},
    {"productFolder": "fa", "attributes": {"a": 1}, "product": [1]},
    {"meta": {"type": "variant"}, "product": {"meta": None, "productFolder": 3}},
    {"meta": {"type": "productfolder"}, "productFolder": {"meta": {"href": ""}}},
    product(attribute("time", 12345), attribute("long", [1]), productFolder={"id": None}),
    in_folder("fa", attributes=[attribute("customentity", {"meta": {}, "name": 7})]),
    link("variant", "v", product={"name": None, "attributes": None}),
]
FILTERS = [
    only({"field": "folder", "op": "in", "values": ["fa"], "include_subfolders": True}),
    only({"field": "folder", "op": "not_in", "values": ["fa"]}),
    only(on_attribute("eq", "Nike")),
    only(on_attribute("gt", "2024-01-01")),
    only(on_attribute("contains", "x"), mode="blacklist"),
    only({"field": "weight", "op": "lt", "value": 3}),
    only({"field": "type", "op": "eq", "value": "product"}),
    only({"field": "name", "op": "not_contains", "value": "x"}),
]


@pytest.mark.parametrize("entity", GARBAGE_ENTITIES)
@pytest.mark.parametrize("product_filter", FILTERS)
def test_odd_entity_json_never_raises(product_filter, entity):
    assert entity_passes(product_filter, entity, {"fa": "fa"}) in (True, False)
