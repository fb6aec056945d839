"""Events of a child account: orders go to the parent; deletions of synced entities are healed."""

from datetime import UTC, datetime, timedelta

from jobs import defaults
from jobs.processing.events import ORDER_TYPES, PRODUCT_TYPES, SYNCED_ACTIONS, Event, Run
from store.mappings import main_entity_of
from store.sync_targets import SYNC_SWITCHES, SourceAccount, parent_of


def handle_child_events(run: Run, account: SourceAccount, events: list[Event]) -> str | None:
    """Write the tasks; returns a reason when the whole delivery is to be ignored."""
    link = parent_of(account.id)
    if link is None:
        return f"child account {account.id} is not linked to a main account"
    if link.link_status != "active":
        return f"link to main account {link.parent_id} is inactive: {link.inactive_reason or '-'}"
    if link.parent_status != "active":
        return f"main account {link.parent_id} is {link.parent_status}"
    for event in events:
        if event.action not in SYNCED_ACTIONS:
            run.note(f"{event.entity_type} {event.entity_id}: action {event.action} is not synced")
        elif event.entity_type in ORDER_TYPES:
            _order(run, account, link, event)
        elif event.entity_type in PRODUCT_TYPES and event.action == "DELETE":
            _deleted_copy(run, account, link, event)
        elif event.entity_type in PRODUCT_TYPES:
            run.note(f"{event.entity_type} {event.entity_id}: the child's own change, not synced")
        else:
            run.note(f"{event.entity_type}: not synced from a child account")
    return None


def _order(run: Run, account: SourceAccount, link, event: Event) -> None:
    switch = SYNC_SWITCHES[event.entity_type]
    if not link.settings[switch]:
        run.note(f"{event.entity_type} {event.entity_id}: {switch} is off for this child")
        return
    operation = "archive" if event.action == "DELETE" else "order"
    payload = {"actions": [event.action]}
    if event.action == "UPDATE":
        payload["updated_fields"] = sorted(event.updated_fields or ())
    priority = defaults.PRIORITY_UPDATE if event.action == "UPDATE" else defaults.PRIORITY_CREATE
    run.task(
        link.parent_id, account.id, event.entity_type, event.entity_id, operation, priority, payload
    )


def _deleted_copy(run: Run, account: SourceAccount, link, event: Event) -> None:
    main_id = main_entity_of(account.id, event.entity_type, event.entity_id)
    what = f"{event.entity_type} {event.entity_id}"
    if main_id is None:
        run.note(f"{what}: the child's own entity (not from main), deletion not healed")
        return
    switch = SYNC_SWITCHES[event.entity_type]
    if not link.settings[switch]:
        run.note(f"{what}: deleted copy of main {main_id}; {switch} is off for this child")
        return
    if not link.settings["self_heal"]:
        run.note(f"{what}: deleted copy of main {main_id}; self-heal is off for this child")
        return
    heal_at = datetime.now(UTC) + timedelta(seconds=defaults.RECREATE_DELAY_SECONDS)
    run.task(
        account.id,
        link.parent_id,
        event.entity_type,
        main_id,
        "recreate",
        defaults.PRIORITY_CREATE,
        {"deleted_child_entity_id": event.entity_id},
        heal_at,
        origin=(event.entity_type, event.entity_id),
    )
