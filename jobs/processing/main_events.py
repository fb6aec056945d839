"""Events of a main account: a task per active child that syncs the type (and passes its filter)."""

from collections import defaultdict
from typing import Protocol

from jobs import defaults
from jobs.filters.product_filter import entity_passes
from jobs.processing.entity_loader import Loaded
from jobs.processing.events import FOLDER_TYPE, PRODUCT_TYPES, SYNCED_ACTIONS, Event, Run
from jobs.processing.main_updates import custom_fields, write_updates
from store.mappings import mapped_entities
from store.sync_targets import SYNC_SWITCHES, ChildTarget, SourceAccount, children_of


class MainReads(Protocol):
    """What processing reads from МойСклад (jobs.processing.entity_loader.ApiReads)."""

    def load(
        self, account_id: str, entity_type: str, ids: list[str], children: list[ChildTarget]
    ) -> Loaded: ...

    def price_type_names(self, account_id: str) -> frozenset[str]: ...

    def attribute_names(self, account_id: str, entity_type: str) -> dict[str, str]: ...


def handle_main_events(
    run: Run, account: SourceAccount, events: list[Event], reads: MainReads
) -> str | None:
    """Write the tasks; returns a reason when the whole delivery is to be ignored."""
    children = list(account.children) if account.children is not None else children_of(account.id)
    # Read with the children: whether to wake each one's executor after the tasks are written.
    run.applies_tasks |= {child.child_id: child.applies_tasks for child in children}
    targets = [child for child in children if child.active]
    if not children:
        return f"main account {account.id} has no child accounts"
    if not targets:
        reasons = "; ".join(f"{c.child_id}: {c.skip_reason}" for c in children)
        return f"no active child account ({reasons})"
    for child in children:
        if not child.active:
            run.note(f"child {child.child_id} skipped: {child.skip_reason}")
    by_type: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        by_type[event.entity_type].append(event)
    for entity_type, typed in by_type.items():
        if entity_type not in (*PRODUCT_TYPES, FOLDER_TYPE):
            run.note(f"{entity_type}: not synced from a main account")
            continue
        syncing = [child for child in targets if child.syncs(entity_type)]
        for child in targets:
            if child not in syncing:
                switch = SYNC_SWITCHES[entity_type]
                run.note(f"child {child.child_id} skipped for {entity_type}: {switch} is off")
        if not syncing:
            run.note(f"{entity_type}: no active child syncs this type")
            continue
        _handle_type(run, account, entity_type, typed, syncing, reads)
        run.flush()  # per type: a body's tasks are written in a few statements, not one each
    return None


def _handle_type(run, account, entity_type, events, children, reads: MainReads) -> None:
    folder = entity_type == FOLDER_TYPE
    updates = [e for e in events if e.action == "UPDATE"]
    updated_ids, child_ids = [e.entity_id for e in updates], [c.child_id for c in children]
    if account.mapped is not None and account.mapped.answers(entity_type, updated_ids):
        mapped = account.mapped.of(child_ids)  # read with the account (routing)
    else:
        mapped = mapped_entities(entity_type, updated_ids, child_ids)
    price_types, attributes = frozenset(), {}
    if any(custom_fields(e.updated_fields) for e in updates if not folder):
        # Both lists (cached): a custom name is a price type, an attribute, both, or unknown.
        price_types = reads.price_type_names(account.id)
        attributes = reads.attribute_names(account.id, entity_type)
    to_create: dict[str, list[ChildTarget]] = defaultdict(list)
    deleted: list[Event] = []
    for event in events:
        if event.action == "CREATE":
            for child in children:
                to_create[event.entity_id].append(child)
        elif event.action == "DELETE":
            deleted.append(event)
        elif event.action not in SYNCED_ACTIONS:
            run.note(f"{entity_type} {event.entity_id}: action {event.action} is not synced")
    for child in children:
        mine = [e for e in updates if (child.child_id, e.entity_id) in mapped]
        for event in updates:
            if (child.child_id, event.entity_id) not in mapped:
                to_create[event.entity_id].append(child)  # the child lacks it: a create
        if folder:
            for event in mine:
                _folder_update(run, account, child, event)
        else:
            write_updates(run, account.id, child, mine, price_types, attributes)
    if deleted:
        _archive(run, account, entity_type, deleted, children, folder)
    if to_create:
        _creates(run, account, entity_type, to_create, reads, folder)


def _archive(run, account, entity_type: str, deleted: list[Event], children, folder: bool) -> None:
    operation = "folder_archive" if folder else "archive"
    priority = defaults.PRIORITY_FOLDER if folder else defaults.PRIORITY_CREATE
    # The writer cancels, under the entity's lock, whatever else is pending for it in the child.
    for event in deleted:
        for child in children:
            run.task(child.child_id, account.id, entity_type, event.entity_id, operation, priority)


def _folder_update(run: Run, account, child: ChildTarget, event: Event) -> None:
    payload = {"updated_fields": sorted(event.updated_fields or ())}
    run.task(
        child.child_id,
        account.id,
        event.entity_type,
        event.entity_id,
        "folder_update",
        defaults.PRIORITY_FOLDER,
        payload,
    )


def _creates(run, account, entity_type, to_create, reads: MainReads, folder: bool) -> None:
    needed = sorted(
        {c.child_id: c for cs in to_create.values() for c in cs}.values(), key=lambda c: c.child_id
    )
    if folder or not any(child.settings["product_filter"] for child in needed):
        # No filter to apply: no need to read МойСклад (the sync engine reads what it copies).
        loaded = Loaded({entity_id: {} for entity_id in to_create})
    else:
        loaded = reads.load(account.id, entity_type, sorted(to_create), needed)
    entities = loaded.entities
    filtered: dict[str, int] = defaultdict(int)
    for entity_id, children in to_create.items():
        entity = entities.get(entity_id)
        if entity is None:
            run.note(f"{entity_type} {entity_id}: no longer exists in the main account")
            continue
        for child in children:
            if not folder and not entity_passes(
                child.settings["product_filter"], entity, loaded.folder_parents
            ):
                filtered[child.child_id] += 1
                continue
            operation = "folder_create" if folder else "create"
            priority = defaults.PRIORITY_FOLDER if folder else defaults.PRIORITY_CREATE
            run.task(child.child_id, account.id, entity_type, entity_id, operation, priority)
    for child_id, count in filtered.items():
        run.note(f"child {child_id}: {count} {entity_type}(s) left out by its product filter")
