"""Operands of product filters read out of МойСклад entity JSON.

Every reader is total: odd or missing JSON yields None (a missing value), never an exception,
because an entity from the API must not be able to crash processing.
"""

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

STRING_FIELDS = frozenset(
    {"name", "code", "article", "externalCode", "description", "pathName", "type"}
    | {"paymentItemType", "trackingType", "tnved", "ppeType", "taxSystem"}
)
NUMBER_FIELDS = frozenset({"weight", "volume", "vat", "effectiveVat", "minimumBalance"})
BOOLEAN_FIELDS = frozenset(
    {"archived", "vatEnabled", "useParentVat", "weighed", "isSerialTrackable", "shared"}
    | {"discountProhibited", "partialDisposal"}
)
NUMBER_ATTRIBUTE_TYPES = frozenset({"long", "double"})


@dataclass(frozen=True)
class Ref:
    """A link to another entity (custom entity, counterparty...): matched by id or by name."""

    id: str | None
    name: str | None


def href_id(value: Any) -> str | None:
    """The id of a linked or expanded entity: its `id`, else the last segment of `meta.href`."""
    if not isinstance(value, Mapping):
        return None
    if isinstance(value.get("id"), str) and value["id"]:
        return value["id"]
    meta = value.get("meta")
    href = meta.get("href") if isinstance(meta, Mapping) else None
    if not isinstance(href, str) or not href:
        return None
    return href.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] or None


def entity_type(entity: Mapping) -> str | None:
    """The entity's `meta.type` (product, variant, service, bundle, productfolder)."""
    meta = entity.get("meta")
    kind = meta.get("type") if isinstance(meta, Mapping) else None
    return kind if isinstance(kind, str) else None


def filter_subject(entity: Mapping) -> Mapping:
    """What a filter reads: a variant's expanded parent product, otherwise the entity itself."""
    product = entity.get("product")
    expanded = isinstance(product, Mapping) and any(key != "meta" for key in product)
    return product if entity_type(entity) == "variant" and expanded else entity


def parse_moment(text: Any) -> datetime | None:
    """A МойСклад moment ("YYYY-MM-DD HH:MM:SS.mmm") or a date; naive, as МойСклад sends it."""
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=None)
    except ValueError:
        return None


def as_number(value: Any) -> float | None:
    """A finite number from a JSON number or a numeric string ("12,5" too); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def typed(kind: Any, value: Any) -> object | None:
    """A Python value for an attribute or field value; blank text counts as missing."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, Mapping):
        name = value.get("name")
        return Ref(href_id(value), name if isinstance(name, str) else None)
    if kind in NUMBER_ATTRIBUTE_TYPES or kind == "number":
        return as_number(value)
    if kind == "boolean" or isinstance(value, bool):
        return value if isinstance(value, bool) else None
    if kind == "time":
        return parse_moment(value)
    if isinstance(value, int | float):
        return as_number(value)
    return value if isinstance(value, str) else None


def attribute_value(subject: Mapping, key: str) -> object | None:
    """The value of the custom attribute named or identified by `key`; None when absent."""
    wanted = key.strip().casefold()
    attributes = subject.get("attributes")
    for attribute in attributes if isinstance(attributes, list) else []:
        if not isinstance(attribute, Mapping):
            continue
        name = attribute.get("name")
        named = isinstance(name, str) and name.strip().casefold() == wanted
        if named or href_id(attribute) == key.strip():
            return typed(attribute.get("type"), attribute.get("value"))
    return None


def field_value(entity: Mapping, field: str) -> object | None:
    """A standard field; `type` is always the entity's own, the rest come from the subject."""
    if field == "type":
        return entity_type(entity)
    value = filter_subject(entity).get(field)
    if field in NUMBER_FIELDS:
        return typed("number", value)
    if field in BOOLEAN_FIELDS:
        return typed("boolean", value)
    return typed("string", value) if isinstance(value, str) else None


def folder_of(entity: Mapping) -> tuple[str | None, str | None]:
    """(folder id, its parent id when the folder came expanded); a folder is its own folder."""
    if entity_type(entity) == "productfolder":
        # Filtering folders themselves: "in X with subfolders" should admit X and its descendants.
        return href_id(entity), href_id(entity.get("productFolder"))
    folder = filter_subject(entity).get("productFolder")
    parent = folder.get("productFolder") if isinstance(folder, Mapping) else None
    return href_id(folder), href_id(parent)


def folder_lineage(
    folder: str, parent_hint: str | None, folder_parents: Mapping[str, str | None]
) -> Iterator[str]:
    """The folder, then its ancestors; stops at the root, an unknown folder or a cycle."""
    seen: set[str] = set()
    current: str | None = folder
    while current and current not in seen:
        seen.add(current)
        yield current
        if current in folder_parents:
            current = folder_parents[current]
        else:
            current = parent_hint if current == folder else None
