"""Filter validation: readable errors for the editor; an invalid filter lets nothing through."""

import pytest

from jobs.filters.product_filter import entity_passes, validate_filter
from jobs.filters.schema import OPS_BY_KIND
from tests.jobs.entities import on_attribute, only, product

NAME = {"field": "name", "op": "eq", "value": "x"}


def group(*conditions, match: str = "all") -> dict:
    """A nested group condition."""
    return {"group": {"match": match, "conditions": list(conditions)}}


# (filter, a fragment of the expected error)
INVALID = [
    ([NAME], "filter: must be an object or null"),
    ("whitelist", "filter: must be an object or null"),
    ({"mode": "greylist"}, "filter.mode: must be one of whitelist, blacklist"),
    ({"match": "most"}, "filter.match: must be one of all, any"),
    ({"conditions": NAME}, "filter.conditions: must be a list"),
    ({"conditions": [NAME], "extra": 1}, "filter: unknown key 'extra'"),
    ({"conditions": ["name"]}, "filter.conditions[0]: must be an object"),
    (only({"op": "eq", "value": "x"}), "filter.conditions[0].field: unknown field None"),
    (only({"field": "colour", "op": "eq", "value": "x"}), "unknown field 'colour'"),
    (only({"field": "name", "op": "like", "value": "x"}), "'like' does not apply to name"),
    (only({"field": "name", "op": "gt", "value": "x"}), "'gt' does not apply to name"),
    (only({"field": "weight", "op": "contains", "value": "1"}), "'contains' does not apply"),
    (only({"field": "archived", "op": "gt", "value": 1}), "'gt' does not apply to archived"),
    (only({"field": "archived", "op": "in", "values": [True]}), "'in' does not apply"),
    (only({"field": "folder", "op": "eq", "value": "fa"}), "'eq' does not apply to folder"),
    (only({"field": "name", "op": "eq"}), "conditions[0].value: must be non-empty text"),
    (only({"field": "name", "op": "eq", "value": 5}), "value: must be non-empty text"),
    (only({"field": "name", "op": "eq", "value": " "}), "value: must be non-empty text"),
    (only({"field": "weight", "op": "gt", "value": "1"}), "value: must be a number"),
    (only({"field": "weight", "op": "eq", "value": True}), "value: must be a number"),
    (only({"field": "archived", "op": "eq", "value": "yes"}), "value: must be true or false"),
    (only({"field": "name", "op": "is_null", "value": "x"}), "unknown key 'value'"),
    (only({"field": "name", "op": "in", "value": "x"}), "values: must be a non-empty list"),
    (only({"field": "name", "op": "in", "values": []}), "values: must be a non-empty list"),
    (only({"field": "name", "op": "in", "values": "x"}), "values: must be a non-empty list"),
    (only({"field": "name", "op": "in", "values": ["x", 3]}), "values[1]: must be non-empty text"),
    (only({"field": "weight", "op": "in", "values": [1, "2"]}), "values[1]: must be a number"),
    (only({"field": "folder", "op": "in", "values": [None]}), "values[0]: must be non-empty text"),
    (only({"field": "folder", "op": "in"}), "values: must be a non-empty list"),
    (
        only({"field": "folder", "op": "in", "values": ["fa"], "include_subfolders": "yes"}),
        "include_subfolders: must be true or false",
    ),
    (only({"field": "attribute", "op": "eq", "value": "x"}), "the attribute's id or name"),
    (only(on_attribute("eq", "x", key=" ")), "the attribute's id or name"),
    (only(on_attribute("eq", None)), "value: must be text, a number or true/false"),
    (only(on_attribute("eq", {"name": "x"})), "value: must be text, a number or true/false"),
    (only(on_attribute("in", [["x"]])), "values[0]: must be text, a number or true/false"),
    (only(on_attribute("contains", 5)), "value: must be non-empty text"),
    (only(on_attribute("gt", "soon")), "value: must be a number or a date"),
    (only(on_attribute("lte", True)), "value: must be a number or a date"),
    (only(on_attribute("eq", float("nan"))), "value: must be text, a number or true/false"),
    (only({"group": NAME}), "conditions[0].group: unknown key 'field'"),
    (only({"group": "x"}), "conditions[0].group: must be an object"),
    (only({"group": {"conditions": []}}), "group.conditions: a group needs at least one condition"),
    (only({"group": {"conditions": [NAME]}, "field": "name"}), "unknown key 'field'"),
    (only({"group": {"conditions": [NAME], "mode": "x"}}), "group: unknown key 'mode'"),
    (only(group(group({"field": "x"}))), "conditions[0].group.conditions[0].group.conditions[0]"),
]


@pytest.mark.parametrize(("product_filter", "fragment"), INVALID)
def test_invalid_filter_is_explained(product_filter, fragment):
    errors = validate_filter(product_filter)
    assert any(fragment in error for error in errors), errors


@pytest.mark.parametrize("mode", ["whitelist", "blacklist"])
@pytest.mark.parametrize(("product_filter", "fragment"), INVALID)
def test_invalid_filter_lets_nothing_through(product_filter, fragment, mode):
    if isinstance(product_filter, dict) and "mode" not in product_filter:
        product_filter = product_filter | {"mode": mode}
    assert entity_passes(product_filter, product()) is False


def test_every_mistake_is_reported_at_once():
    product_filter = {
        "mode": "x",
        "conditions": [{"field": "colour"}, only(NAME), group({"field": "name", "op": "eq"})],
    }
    assert len(validate_filter(product_filter)) == 4


VALUES = {
    "string": ("x", ["x", "y"]),
    "number": (1.5, [1, 2]),
    "boolean": (True, None),
    "folder": (None, ["fa"]),
    "attribute": ("x", ["x", 1, True]),
}
FIELDS = {"string": "name", "number": "weight", "boolean": "archived", "folder": "folder"}


def condition_for(kind: str, op: str) -> dict:
    """A valid condition of this kind and operator."""
    if kind == "attribute":
        value = "2024-05-01" if op in ("gt", "gte", "lt", "lte") else VALUES[kind][0]
        return on_attribute(op, VALUES[kind][1] if op in ("in", "not_in") else value)
    condition = {"field": FIELDS[kind], "op": op}
    if op in ("in", "not_in"):
        condition["values"] = VALUES[kind][1]
    elif op not in ("is_null", "is_not_null"):
        condition["value"] = VALUES[kind][0]
    return condition


@pytest.mark.parametrize(
    ("kind", "op"), [(kind, op) for kind, ops in OPS_BY_KIND.items() for op in sorted(ops)]
)
def test_every_operator_of_every_kind_is_valid(kind, op):
    assert validate_filter(only(condition_for(kind, op))) == []


@pytest.mark.parametrize(
    "product_filter",
    [
        None,
        {},
        {"conditions": []},
        {"mode": "blacklist", "match": "any", "conditions": [NAME, group(NAME, match="any")]},
        only({"field": "folder", "op": "in", "values": ["fa"], "include_subfolders": False}),
        only(on_attribute("gt", 10)),
        only(on_attribute("gte", "2024-05-01 10:30:00")),
        only(on_attribute("lt", "2024-05-01 10:30:00.000")),
        only(on_attribute("eq", 0)),
        only(on_attribute("eq", False)),
        only(on_attribute("eq", "3f0c2a8e-0000-0000-0000-000000000001", key="attr-id")),
    ],
)
def test_valid_filter_has_no_errors(product_filter):
    assert validate_filter(product_filter) == []
