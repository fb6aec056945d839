"""Every operator against every attribute type МойСклад sends, through `entity_passes`."""

import pytest

from jobs.filters.product_filter import entity_passes, validate_filter
from tests.jobs.entities import ENTITY_ID, attribute, custom_entity, link, on_attribute, product

MOMENT = "2024-05-01 10:30:00.000"
NIKE = custom_entity("Nike")
COUNTERPARTY = link("counterparty", "c0ffee00-0000-0000-0000-000000000007", name="ООО Ромашка")

# (attribute type, stored value, op, operand, passes a whitelist of that one condition)
CASES = [
    ("string", "Red Shirt", "eq", "red shirt", True),
    ("string", "Red Shirt", "eq", "  RED SHIRT ", True),
    ("string", "Red Shirt", "eq", "Blue", False),
    ("string", "Red Shirt", "ne", "Blue", True),
    ("string", "Red Shirt", "ne", "red shirt", False),
    ("string", "Red Shirt", "contains", "shirt", True),
    ("string", "Red Shirt", "contains", "pants", False),
    ("string", "Red Shirt", "not_contains", "pants", True),
    ("string", "Red Shirt", "not_contains", "SHIRT", False),
    ("string", "Red Shirt", "gt", 5, False),
    ("string", "Red Shirt", "gte", 5, False),
    ("string", "Red Shirt", "lt", 5, False),
    ("string", "Red Shirt", "lte", "2024-01-01", False),
    ("string", "Red Shirt", "in", ["x", "red shirt"], True),
    ("string", "Red Shirt", "in", ["x"], False),
    ("string", "Red Shirt", "not_in", ["x"], True),
    ("string", "Red Shirt", "not_in", ["RED SHIRT"], False),
    ("string", "Red Shirt", "is_null", None, False),
    ("string", "Red Shirt", "is_not_null", None, True),
    ("string", "10", "eq", 10, True),
    ("string", "   ", "is_null", None, True),
    ("text", "Long\ndescription", "contains", "DESCRIPTION", True),
    ("text", "Long\ndescription", "eq", "long\ndescription", True),
    ("link", "https://example.com/a", "contains", "example.com", True),
    ("link", "https://example.com/a", "eq", "https://example.com/b", False),
    ("file", "photo.png", "contains", "photo", True),
    ("file", "photo.png", "is_not_null", None, True),
    ("long", 42, "eq", 42, True),
    ("long", 42, "eq", 42.0, True),
    ("long", 42, "eq", "42", True),
    ("long", 42, "eq", 41, False),
    ("long", 42, "ne", 41, True),
    ("long", 42, "ne", 42, False),
    ("long", 42, "gt", 41, True),
    ("long", 42, "gt", 42, False),
    ("long", 42, "gte", 42, True),
    ("long", 42, "gte", 43, False),
    ("long", 42, "lt", 43, True),
    ("long", 42, "lt", 42, False),
    ("long", 42, "lte", 42, True),
    ("long", 42, "lte", 41, False),
    ("long", 42, "in", [1, 42], True),
    ("long", 42, "in", [1, 2], False),
    ("long", 42, "not_in", [1], True),
    ("long", 42, "not_in", ["42"], False),
    ("long", 42, "contains", "4", False),
    ("long", 42, "not_contains", "4", True),
    ("long", 42, "gt", "2024-01-01", False),
    ("long", 0, "is_null", None, False),
    ("long", 42, "is_not_null", None, True),
    ("double", 12.5, "eq", 12.5, True),
    ("double", 12.5, "eq", "12,5", True),
    ("double", 12.5, "gt", 12, True),
    ("double", 12.5, "lt", 12.5, False),
    ("double", 12.5, "lte", "12.5", True),
    ("double", 12.5, "in", [12.5], True),
    ("boolean", True, "eq", True, True),
    ("boolean", True, "eq", False, False),
    ("boolean", True, "eq", "true", True),
    ("boolean", True, "ne", False, True),
    ("boolean", True, "ne", True, False),
    ("boolean", True, "gt", 0, False),
    ("boolean", True, "in", [True], True),
    ("boolean", True, "not_in", [False], True),
    ("boolean", True, "contains", "t", False),
    ("boolean", False, "eq", False, True),
    ("boolean", False, "is_null", None, False),
    ("boolean", False, "is_not_null", None, True),
    ("time", MOMENT, "eq", "2024-05-01", True),
    ("time", MOMENT, "eq", "2024-05-02", False),
    ("time", MOMENT, "eq", "2024-05-01 10:30:00", True),
    ("time", MOMENT, "eq", "2024-05-01 10:30:01", False),
    ("time", MOMENT, "ne", "2024-05-02", True),
    ("time", MOMENT, "ne", "2024-05-01", False),
    ("time", MOMENT, "gt", "2024-04-30", True),
    ("time", MOMENT, "gt", "2024-05-01", False),
    ("time", MOMENT, "gt", "2024-05-01 10:00:00", True),
    ("time", MOMENT, "gte", "2024-05-01", True),
    ("time", MOMENT, "gte", "2024-05-02", False),
    ("time", MOMENT, "lt", "2024-05-02", True),
    ("time", MOMENT, "lt", "2024-05-01", False),
    ("time", MOMENT, "lt", "2024-05-01 10:00:00", False),
    ("time", MOMENT, "lte", "2024-05-01", True),
    ("time", MOMENT, "lte", "2024-04-30 23:59:59", False),
    ("time", MOMENT, "in", ["2023-01-01", "2024-05-01"], True),
    ("time", MOMENT, "not_in", ["2024-05-01"], False),
    ("time", MOMENT, "contains", "2024", False),
    ("time", MOMENT, "gt", 5, False),
    ("time", MOMENT, "is_not_null", None, True),
    ("time", "not a moment", "is_null", None, True),
    ("customentity", NIKE, "eq", "nike", True),
    ("customentity", NIKE, "eq", ENTITY_ID, True),
    ("customentity", NIKE, "eq", ENTITY_ID.upper(), True),
    ("customentity", NIKE, "eq", "Adidas", False),
    ("customentity", NIKE, "ne", "Adidas", True),
    ("customentity", NIKE, "ne", ENTITY_ID, False),
    ("customentity", NIKE, "contains", "IK", True),
    ("customentity", NIKE, "not_contains", "ik", False),
    ("customentity", NIKE, "in", ["adidas", "Nike"], True),
    ("customentity", NIKE, "not_in", ["Nike"], False),
    ("customentity", NIKE, "gt", 1, False),
    ("customentity", NIKE, "is_null", None, False),
    ("customentity", NIKE, "is_not_null", None, True),
    ("counterparty", COUNTERPARTY, "eq", "ооо ромашка", True),
    ("counterparty", COUNTERPARTY, "eq", "c0ffee00-0000-0000-0000-000000000007", True),
    ("counterparty", COUNTERPARTY, "contains", "ромаш", True),
    ("employee", link("employee", "e1"), "eq", "e1", True),
    ("employee", link("employee", "e1"), "contains", "e1", False),
    ("long", "not a number", "is_null", None, True),
    ("double", "NaN", "is_null", None, True),
    ("double", "7,5", "eq", 7.5, True),
]


@pytest.mark.parametrize(("kind", "stored", "op", "operand", "expected"), CASES)
def test_operator_on_attribute_type(kind, stored, op, operand, expected):
    condition = on_attribute(op, operand)
    product_filter = {"conditions": [condition]}
    assert validate_filter(product_filter) == []
    assert entity_passes(product_filter, product(attribute(kind, stored))) is expected


@pytest.mark.parametrize(("kind", "stored", "op", "operand", "expected"), CASES)
def test_blacklist_is_the_exact_opposite(kind, stored, op, operand, expected):
    product_filter = {"mode": "blacklist", "conditions": [on_attribute(op, operand)]}
    assert entity_passes(product_filter, product(attribute(kind, stored))) is not expected


NEGATED = {"eq": "ne", "contains": "not_contains", "in": "not_in", "is_null": "is_not_null"}
OPPOSITE = NEGATED | {negative: positive for positive, negative in NEGATED.items()}


@pytest.mark.parametrize(
    ("kind", "stored", "op", "operand", "expected"), [case for case in CASES if case[2] in OPPOSITE]
)
def test_negative_operator_negates_positive(kind, stored, op, operand, expected):
    product_filter = {"conditions": [on_attribute(OPPOSITE[op], operand)]}
    assert entity_passes(product_filter, product(attribute(kind, stored))) is not expected


# A missing attribute is null: positive operators fail, negative ones pass.
MISSING = [
    ("eq", "x", False),
    ("ne", "x", True),
    ("contains", "x", False),
    ("not_contains", "x", True),
    ("gt", 1, False),
    ("gte", 1, False),
    ("lt", "2024-01-01", False),
    ("lte", 1, False),
    ("in", ["x"], False),
    ("not_in", ["x"], True),
    ("is_null", None, True),
    ("is_not_null", None, False),
]


@pytest.mark.parametrize(
    "entity",
    [
        product(),
        product(attribute("string", "x", name="Другой", attribute_id="attr-2")),
        product(attribute("string", None)),
        product(attribute("string", "")),
        product(attributes="not a list"),
        product(attributes=["not an object", None]),
    ],
    ids=["none", "other-attribute", "null-value", "empty-text", "garbage", "garbage-items"],
)
@pytest.mark.parametrize(("op", "operand", "expected"), MISSING)
def test_missing_attribute_is_null(entity, op, operand, expected):
    assert entity_passes({"conditions": [on_attribute(op, operand)]}, entity) is expected


@pytest.mark.parametrize(
    "key", ["Бренд", "бренд", "  БРЕНД ", "attr-1"], ids=["name", "lower", "spaces", "id"]
)
def test_attribute_found_by_name_or_id(key):
    entity = product(attribute("string", "Nike"))
    assert entity_passes({"conditions": [on_attribute("eq", "Nike", key=key)]}, entity)


def test_attribute_id_read_from_meta_href_when_id_is_absent():
    stored = attribute("string", "Nike", attribute_id="attr-9")
    del stored["id"]
    product_filter = {"conditions": [on_attribute("eq", "Nike", key="attr-9")]}
    assert entity_passes(product_filter, product(stored))
