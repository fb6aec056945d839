"""Comparing what a child's copy should hold (build_payload of a full sync) with what it holds,
field by field, references by the id they point to; a stable hash of an entity's JSON."""

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from jobs.processing.fields import ATTRIBUTES_FIELD, BASE_FIELDS, PRICE_FIELDS
from jobs.sync.references import object_id

KINDS = ("base", "prices", "attributes", "references")
# Fields МойСклад changes by itself: not part of what an entity is.
VOLATILE = ("updated", "meta")


def digest(entity: Mapping) -> str:
    """A stable hash of an entity as read (key order and bookkeeping do not matter)."""
    kept = {k: v for k, v in entity.items() if k not in VOLATILE}
    text = json.dumps(kept, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def kind_of(field: str) -> str:
    if field in BASE_FIELDS:
        return "base"
    if field in PRICE_FIELDS:
        return "prices"
    if field == ATTRIBUTES_FIELD:
        return "attributes"
    return "references"


def differing_fields(expected: Mapping, actual: Mapping) -> dict[str, str]:
    """{field: kind} of every field the copy should hold and does not."""
    found = {}
    for field, wanted in expected.items():
        if not _same(field, wanted, actual.get(field)):
            found[field] = kind_of(field)
    return found


def _same(field: str, wanted: Any, actual: Any) -> bool:
    if field == "salePrices":
        want = _keyed(wanted, "priceType")
        return want == {k: v for k, v in _keyed(actual, "priceType").items() if k in want}
    if field in ("attributes", "characteristics"):
        want = _keyed(wanted, None)
        return want == {k: v for k, v in _keyed(actual, None).items() if k in want}
    return normal(wanted) == normal(actual)


def _keyed(items: Any, key: str | None) -> dict:
    """A list of priced / valued items by the id of what each names."""
    result = {}
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, Mapping):
            continue
        name = object_id(item.get(key)) if key else object_id(item)
        body = {k: v for k, v in item.items() if k in ("value", "currency")}
        result[name] = normal(body)
    return result


def normal(value: Any) -> Any:
    """A value in a form two accounts' JSON compare equal in: references as the id they name,
    numbers as floats, empty as None."""
    if isinstance(value, Mapping):
        if "meta" in value:
            return ("ref", object_id(value))
        items = {k: normal(v) for k, v in value.items() if k not in ("id", "accountId")}
        items = {k: v for k, v in items.items() if v is not None}
        return items or None
    if isinstance(value, list):
        items = [normal(v) for v in value]
        return items or None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if value == "":
        return None
    return value
