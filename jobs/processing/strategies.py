"""UPDATE strategy per child: which part of an entity a child must re-sync after a change.

Relevance by the child's `sync_settings`:
- references (folder, uom, country...) or no `updatedFields` at all → `full_sync`;
- base fields always matter; ignored fields (owner, group...) never do;
- prices (salePrices, buyPrice, minPrice, custom price types) matter only when `sync_prices` is on
  (the master switch, mappings included). With it on, an empty `price_mappings` means every price
  type syncs (to the child's type of the same name); a non-empty one restricts custom price type
  changes to the mapped `main_price_type`s;
- attributes: an empty `attribute_mappings` means all attributes sync; otherwise a named change
  matters when its name is a mapped `main_attribute`. A bare `attributes` field or an unknown name
  cannot be checked against mappings and always matters.
Mappings compare display names case-insensitively. Processing first gives attribute mappings that
name their main side by id the attribute's display name (jobs.processing.main_updates); an id left
unresolved cannot be matched against a reported name, so then every change of that class matters.

Widening (coalescing two pending tasks): skip is the identity, full_sync absorbs everything, equal
strategies stay, any two different ones of prices/attributes/base/mixed give mixed_simple; a missing
or unknown strategy in an old payload counts as full_sync.
"""

import uuid
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from jobs.processing.fields import ATTRIBUTES_FIELD, FieldClasses, normalize_name


class Strategy(StrEnum):
    """What a sync task re-sends; the value is what task payloads carry."""

    SKIP = "skip"
    PRICES_ONLY = "prices_only"
    ATTRIBUTES_ONLY = "attributes_only"
    BASE_ONLY = "base_only"
    MIXED_SIMPLE = "mixed_simple"
    FULL_SYNC = "full_sync"


SINGLE_CLASS = {
    "prices": Strategy.PRICES_ONLY,
    "attributes": Strategy.ATTRIBUTES_ONLY,
    "base": Strategy.BASE_ONLY,
}


def as_strategy(value: Any) -> Strategy:
    """A strategy from a task payload; a missing or unknown one is a full sync, which covers all."""
    try:
        return Strategy(value)
    except ValueError:
        return Strategy.FULL_SYNC


def widen(a: Strategy | str | None, b: Strategy | str | None) -> Strategy:
    """The narrowest strategy covering both (coalescing two pending tasks of one entity)."""
    a, b = as_strategy(a), as_strategy(b)
    if a is b or b is Strategy.SKIP:
        return a
    if a is Strategy.SKIP:
        return b
    if Strategy.FULL_SYNC in (a, b):
        return Strategy.FULL_SYNC
    # Two different simple strategies, or one of them already mixed.
    return Strategy.MIXED_SIMPLE


def choose_strategy(classes: FieldClasses, settings: Mapping[str, Any] | Any) -> Strategy:
    """The strategy for one child; `settings` is a sync_settings row or a mapping of its columns."""
    if not classes.reported or classes.references:
        return Strategy.FULL_SYNC
    relevant = [
        name
        for name, matters in (
            ("base", bool(classes.base)),
            ("prices", _prices_matter(classes, settings)),
            ("attributes", _attributes_matter(classes, settings)),
        )
        if matters
    ]
    if not relevant:
        return Strategy.SKIP
    return SINGLE_CLASS[relevant[0]] if len(relevant) == 1 else Strategy.MIXED_SIMPLE


def _setting(settings: Mapping[str, Any] | Any, name: str, default: Any) -> Any:
    value = settings.get(name) if isinstance(settings, Mapping) else getattr(settings, name, None)
    return default if value is None else value


def _prices_matter(classes: FieldClasses, settings: Mapping[str, Any] | Any) -> bool:
    if not _setting(settings, "sync_prices", True):
        return False
    if classes.prices:
        return True
    mapped = _mapped_names(_setting(settings, "price_mappings", []), "main_price_type")
    return bool(classes.price_types) and _any_mapped(classes.price_types, mapped)


def _attributes_matter(classes: FieldClasses, settings: Mapping[str, Any] | Any) -> bool:
    if not classes.attributes:
        return False
    if ATTRIBUTES_FIELD in classes.attributes or classes.unknown:
        return True
    mapped = _mapped_names(_setting(settings, "attribute_mappings", []), "main_attribute")
    return _any_mapped(classes.attributes, mapped)


def _mapped_names(mappings: Any, key: str) -> set[str] | None:
    """Normalized main-side names of the mappings; None when there are none (everything syncs)."""
    entries = mappings if isinstance(mappings, list) else []
    names = {
        normalize_name(entry[key])
        for entry in entries
        if isinstance(entry, Mapping) and isinstance(entry.get(key), str) and entry[key].strip()
    }
    return names or None


def _any_mapped(changed: frozenset[str], mapped: set[str] | None) -> bool:
    if mapped is None or any(_is_id(name) for name in mapped):
        return True
    return any(normalize_name(name) in mapped for name in changed)


def _is_id(name: str) -> bool:
    try:
        uuid.UUID(name)
    except ValueError:
        return False
    return True
