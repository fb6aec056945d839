"""Per-child product filters (`sync_settings.product_filter`): does an entity reach this child?

Shape (null = no filter, everything passes)::

    {"mode": "whitelist" | "blacklist",          # default "whitelist"
     "match": "all" | "any",                     # default "all"
     "conditions": [                             # empty or absent = everything passes
       {"field": "folder", "op": "in" | "not_in", "values": ["<folder id>", ...],
        "include_subfolders": true},             # default false
       {"field": "folder", "op": "is_null" | "is_not_null"},
       {"field": "attribute", "attribute": "<attribute id or name>", "op": "<op>", "value": ...},
       {"field": "attribute", "attribute": "...", "op": "in" | "not_in", "values": [...]},
       {"field": "<standard field>", "op": "<op>", "value": ...},
       {"group": {"match": "all" | "any", "conditions": [...]}}]}   # nests to any sane depth

Whitelist: the entity passes when the conditions match; blacklist: when they do not.
Operators: eq ne contains not_contains gt gte lt lte in not_in is_null is_not_null (`in`/`not_in`
take `values`, the null tests take nothing, the rest take `value`). Standard fields: text (name,
code, article, externalCode, description, pathName, type, paymentItemType, trackingType, tnved,
ppeType, taxSystem), numbers (weight, volume, vat, effectiveVat, minimumBalance), booleans
(archived, vatEnabled, useParentVat, weighed, isSerialTrackable, shared, discountProhibited,
partialDisposal). See `jobs.filters.operators` for how each operator treats each value type.

Attributes are found by id or by name (case-insensitive) and compared by the type МойСклад gives:
string/text/link/file as text; long/double as numbers; boolean with true/false; time as a moment,
where a date-only condition value ("2024-05-01") compares calendar days; customentity,
counterparty and other links by name or by id (from `meta.href`). A missing attribute is null.

Folders: the entity's `productFolder` (a link or expanded). `include_subfolders` walks up the
injected `folder_parents` (folder id → parent id, None at the root); an expanded folder's own
`productFolder` stands in for a folder missing from that mapping. A productfolder entity is
tested as its own folder. A variant is judged by its parent product when `product` is expanded
(every field but `type`, which stays "variant"); otherwise by its own JSON, where no folder exists.

An invalid filter must never crash processing, and syncing a product a child should not get is
harder to undo (it has to be archived in the child) than a skipped one (re-run after the fix), so
an invalid filter lets nothing through; `validate_filter` says why, for the console and the log.
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from jobs.filters.operators import matches
from jobs.filters.schema import filter_errors
from jobs.filters.values import (
    attribute_value,
    field_value,
    filter_subject,
    folder_lineage,
    folder_of,
)

NO_FOLDERS: Mapping[str, str | None] = MappingProxyType({})


def validate_filter(product_filter: Any) -> list[str]:
    """Human-readable problems of a filter (empty list = valid; None is valid)."""
    return filter_errors(product_filter)


def entity_passes(
    product_filter: Any,
    entity: Mapping,
    folder_parents: Mapping[str, str | None] = NO_FOLDERS,
) -> bool:
    """Whether the entity reaches the child whose filter this is; invalid filters pass nothing."""
    if product_filter is None:
        return True
    if filter_errors(product_filter):
        return False
    if not product_filter.get("conditions"):
        return True
    if not isinstance(entity, Mapping):
        entity = {}  # judged as an entity with no values at all, like any other odd JSON
    matched = _group_matches(product_filter, entity, folder_parents)
    return matched if product_filter.get("mode", "whitelist") == "whitelist" else not matched


def _group_matches(group: Mapping, entity: Mapping, folder_parents: Mapping) -> bool:
    results = (_condition_matches(item, entity, folder_parents) for item in group["conditions"])
    return any(results) if group.get("match", "all") == "any" else all(results)


def _condition_matches(condition: Mapping, entity: Mapping, folder_parents: Mapping) -> bool:
    if "group" in condition:
        return _group_matches(condition["group"], entity, folder_parents)
    field, op = condition["field"], condition["op"]
    if field == "folder":
        return _folder_matches(condition, entity, folder_parents)
    if field == "attribute":
        actual = attribute_value(filter_subject(entity), condition["attribute"])
    else:
        actual = field_value(entity, field)
    return matches(op, actual, condition.get("value"), condition.get("values", ()))


def _folder_matches(condition: Mapping, entity: Mapping, folder_parents: Mapping) -> bool:
    folder, parent_hint = folder_of(entity)
    op = condition["op"]
    if op in ("is_null", "is_not_null"):
        return (folder is None) == (op == "is_null")
    if folder is None:
        found = False
    elif condition.get("include_subfolders", False):
        found = not set(condition["values"]).isdisjoint(
            folder_lineage(folder, parent_hint, folder_parents)
        )
    else:
        found = folder in condition["values"]
    return found == (op == "in")
