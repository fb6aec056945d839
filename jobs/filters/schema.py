"""Validation of a product filter's JSON: every mistake as a human-readable line for the editor."""

from collections.abc import Mapping
from typing import Any

from jobs.filters.values import (
    BOOLEAN_FIELDS,
    NUMBER_FIELDS,
    STRING_FIELDS,
    as_number,
    parse_moment,
)

MODES = ("whitelist", "blacklist")
MATCHES = ("all", "any")
# Far beyond any hand-made filter; it only keeps crafted JSON from exhausting the stack.
MAX_DEPTH = 32
DATE_FORMAT = "YYYY-MM-DD[ HH:MM:SS]"

NULL_OPS = frozenset({"is_null", "is_not_null"})
LIST_OPS = frozenset({"in", "not_in"})
TEXT_OPS = frozenset({"contains", "not_contains"})
ORDER_OPS = frozenset({"gt", "gte", "lt", "lte"})
EQUALITY_OPS = frozenset({"eq", "ne"})
OPS_BY_KIND = {
    "folder": LIST_OPS | NULL_OPS,
    "string": EQUALITY_OPS | TEXT_OPS | LIST_OPS | NULL_OPS,
    "number": EQUALITY_OPS | ORDER_OPS | LIST_OPS | NULL_OPS,
    "boolean": EQUALITY_OPS | NULL_OPS,
    "attribute": EQUALITY_OPS | TEXT_OPS | ORDER_OPS | LIST_OPS | NULL_OPS,
}
FIELD_KINDS = (
    {field: "string" for field in STRING_FIELDS}
    | {field: "number" for field in NUMBER_FIELDS}
    | {field: "boolean" for field in BOOLEAN_FIELDS}
    | {"folder": "folder", "attribute": "attribute"}
)
EXTRA_KEYS = {"folder": {"include_subfolders"}, "attribute": {"attribute"}}


def filter_errors(product_filter: Any) -> list[str]:
    """Every problem of a filter; empty when it is valid (None is valid: no filter)."""
    if product_filter is None:
        return []
    if not isinstance(product_filter, Mapping):
        return ["filter: must be an object or null"]
    errors = _unknown_keys(product_filter, {"mode", "match", "conditions"}, "filter")
    if product_filter.get("mode", "whitelist") not in MODES:
        errors.append(f"filter.mode: must be one of {', '.join(MODES)}")
    errors += _group(product_filter, "filter", depth=0, allow_empty=True)
    return errors


def _unknown_keys(item: Mapping, allowed: set[str], path: str) -> list[str]:
    unknown = sorted(str(key) for key in item if key not in allowed)
    return [f"{path}: unknown key {key!r}" for key in unknown]


def _group(group: Mapping, path: str, depth: int, allow_empty: bool = False) -> list[str]:
    errors = []
    if group.get("match", "all") not in MATCHES:
        errors.append(f"{path}.match: must be one of {', '.join(MATCHES)}")
    conditions = group.get("conditions", [])
    if not isinstance(conditions, list):
        return [*errors, f"{path}.conditions: must be a list"]
    if not conditions and not allow_empty:
        errors.append(f"{path}.conditions: a group needs at least one condition")
    for index, condition in enumerate(conditions):
        errors += _condition(condition, f"{path}.conditions[{index}]", depth)
    return errors


def _condition(condition: Any, path: str, depth: int) -> list[str]:
    if not isinstance(condition, Mapping):
        return [f"{path}: must be an object"]
    if "group" in condition:
        group = condition["group"]
        errors = _unknown_keys(condition, {"group"}, path)
        if not isinstance(group, Mapping):
            return [*errors, f"{path}.group: must be an object"]
        if depth + 1 > MAX_DEPTH:
            return [*errors, f"{path}.group: groups nest deeper than {MAX_DEPTH} levels"]
        errors += _unknown_keys(group, {"match", "conditions"}, f"{path}.group")
        return errors + _group(group, f"{path}.group", depth + 1)
    field = condition.get("field")
    kind = FIELD_KINDS.get(field) if isinstance(field, str) else None
    if kind is None:
        return [f"{path}.field: unknown field {field!r}; one of {', '.join(sorted(FIELD_KINDS))}"]
    op = condition.get("op")
    if op not in OPS_BY_KIND[kind]:
        ops = ", ".join(sorted(OPS_BY_KIND[kind]))
        return [f"{path}.op: {op!r} does not apply to {field}; one of {ops}"]
    operand = "values" if op in LIST_OPS else None if op in NULL_OPS else "value"
    allowed = {"field", "op", *EXTRA_KEYS.get(kind, ()), *([operand] if operand else [])}
    errors = _unknown_keys(condition, allowed, path)
    if kind == "attribute" and not _filled_text(condition.get("attribute")):
        errors.append(f"{path}.attribute: the attribute's id or name is required")
    if not isinstance(condition.get("include_subfolders", False), bool):
        errors.append(f"{path}.include_subfolders: must be true or false")
    if operand == "value":
        errors += _value(condition.get("value"), op, kind, f"{path}.value")
    elif operand == "values":
        errors += _values(condition.get("values"), kind, f"{path}.values")
    return errors


def _values(values: Any, kind: str, path: str) -> list[str]:
    if not isinstance(values, list) or not values:
        return [f"{path}: must be a non-empty list"]
    errors = []
    for index, value in enumerate(values):
        errors += _value(value, "eq", "string" if kind == "folder" else kind, f"{path}[{index}]")
    return errors


def _filled_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _value(value: Any, op: str, kind: str, path: str) -> list[str]:
    if op in TEXT_OPS:
        ok, wanted = _filled_text(value), "non-empty text"
    elif kind == "number":
        ok, wanted = not isinstance(value, str) and as_number(value) is not None, "a number"
    elif op in ORDER_OPS:
        is_date = _filled_text(value) and parse_moment(value) is not None
        ok, wanted = is_date or as_number(value) is not None, "a number or a date " + DATE_FORMAT
    elif kind == "boolean":
        ok, wanted = isinstance(value, bool), "true or false"
    elif kind == "string":
        ok, wanted = _filled_text(value), "non-empty text"
    else:
        scalar = isinstance(value, bool) or _filled_text(value) or as_number(value) is not None
        ok, wanted = scalar, "text, a number or true/false"
    return [] if ok else [f"{path}: must be {wanted}"]
