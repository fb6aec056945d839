"""UPDATE events of a main account for one child that has the entities: strategies and batches."""

from collections import defaultdict

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


def write_updates(
    run: Run,
    source: str,
    child: ChildTarget,
    events: list[Event],
    price_types: frozenset[str] = frozenset(),
) -> None:
    """One `update` task, or `batch_update` tasks (≤ BATCH_UPDATE_SIZE ids) for many updates."""
    chosen: dict[Strategy, list[Event]] = defaultdict(list)
    skipped = 0
    for event in events:
        classes = classify_fields(event.updated_fields, price_type_names=price_types)
        strategy = choose_strategy(classes, child.settings)
        if strategy is Strategy.SKIP:
            skipped += 1
        else:
            chosen[strategy].append(event)
    if skipped:
        run.note(f"child {child.child_id}: {skipped} update(s) skipped, no synced field changed")
    if sum(len(group) for group in chosen.values()) == 1:
        ((strategy, (event,)),) = chosen.items()
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
        return
    size = defaults.BATCH_UPDATE_SIZE
    for strategy, group in chosen.items():
        for start in range(0, len(group), size):
            _batch(run, source, child, strategy, group[start : start + size], start // size)


def _batch(run: Run, source: str, child, strategy: Strategy, events: list[Event], number) -> None:
    payload = {
        "entity_ids": sorted(e.entity_id for e in events),
        "updated_fields": sorted({f for e in events for f in e.updated_fields or ()}),
        "strategy": strategy,
        "fields_by_entity": {e.entity_id: sorted(e.updated_fields or ()) for e in events},
    }
    # One key per (log, strategy, chunk): a re-run of the log finds and merges its own batch.
    batch_id = f"batch:{run.log_id}:{strategy}:{number}"
    run.task(
        child.child_id,
        source,
        events[0].entity_type,
        batch_id,
        "batch_update",
        defaults.PRIORITY_UPDATE,
        payload,
    )
