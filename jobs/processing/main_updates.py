"""UPDATE events of a main account for one child that has the entities: a strategy per entity."""

from collections.abc import Mapping

from jobs import defaults
from jobs.processing.events import Event, Run
from jobs.processing.fields import (
    ATTRIBUTES_FIELD,
    BASE_FIELDS,
    IGNORED_FIELDS,
    PRICE_FIELDS,
    REFERENCE_FIELDS,
    classify_fields,
)
from jobs.processing.strategies import Strategy, choose_strategy
from store.sync_targets import ChildTarget


def custom_fields(updated_fields: tuple[str, ...] | None) -> bool:
    """Whether some reported name is not a standard field (a custom attribute or price type)."""
    return any(name not in STANDARD_FIELDS for name in updated_fields or ())


STANDARD_FIELDS = (
    BASE_FIELDS | PRICE_FIELDS | REFERENCE_FIELDS | IGNORED_FIELDS | {ATTRIBUTES_FIELD}
)


def with_attribute_names(settings: dict, names_by_id: Mapping[str, str]) -> dict:
    """The settings with mappings that name their main attribute by id given its display name
    (updatedFields reports names); an id the account does not have stays as it is."""
    mappings = settings.get("attribute_mappings")
    if not names_by_id or not isinstance(mappings, list):
        return settings
    resolved = [
        {**m, "main_attribute": names_by_id.get(m.get("main_attribute"), m["main_attribute"])}
        if isinstance(m, Mapping) and isinstance(m.get("main_attribute"), str)
        else m
        for m in mappings
    ]
    return {**settings, "attribute_mappings": resolved}


def write_updates(
    run: Run,
    source: str,
    child: ChildTarget,
    events: list[Event],
    price_types: frozenset[str] = frozenset(),
    attributes: Mapping[str, str] | None = None,
) -> None:
    """One `update` task per entity (merged by the writer into the entity's pending write; the
    executor writes many pending tasks of one child in one bulk request). `attributes`: id →
    name of the main account's custom attributes of the type (read when a mapping needs them)."""
    attributes = attributes or {}
    settings = with_attribute_names(child.settings, attributes)
    skipped = 0
    for event in events:
        classes = classify_fields(
            event.updated_fields,
            price_type_names=price_types,
            attribute_names=frozenset(attributes.values()),
        )
        strategy = choose_strategy(classes, settings)
        if strategy is Strategy.SKIP:
            skipped += 1
            continue
        payload = {"updated_fields": sorted(event.updated_fields or ()), "strategy": strategy}
        run.task(
            child.child_id,
            source,
            event.entity_type,
            event.entity_id,
            "update",
            defaults.PRIORITY_UPDATE,
            payload,
        )
    if skipped:
        run.note(f"child {child.child_id}: {skipped} update(s) skipped, no synced field changed")
