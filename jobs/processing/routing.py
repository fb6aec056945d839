"""Route a delivery's events by each event's accountId and that account's type."""

from collections import defaultdict

from jobs.processing.child_events import handle_child_events
from jobs.processing.events import Event, Run
from jobs.processing.loop_detector import LoopLimits, paused_entities, subject
from jobs.processing.main_events import MainReads, handle_main_events
from store.sync_targets import get_source_account


def route_events(run: Run, events: list[Event], reads: MainReads, limits: LoopLimits) -> list[str]:
    """Write every task the events call for; reasons for accounts whose events were ignored."""
    by_account: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        by_account[event.account_id].append(event)
    ignored = []
    for account_id, account_events in by_account.items():
        reason = _route_account(run, account_id, account_events, reads, limits)
        if reason:
            ignored.append(reason)
    return ignored


def _route_account(run, account_id, events, reads, limits) -> str | None:
    account = get_source_account(account_id, True, _updated_entities(events))
    if account is None:
        return f"unknown account {account_id}"
    if account.status != "active":
        return f"account {account_id} is {account.status}"
    if not account.webhooks_enabled:
        return f"webhooks are switched off for account {account_id}"
    if account.account_type not in ("main", "child"):
        return f"account {account_id} has no type (main or child)"
    run.holding = _paused(run, account_id, events, limits)
    try:
        if account.account_type == "main":
            reason = handle_main_events(run, account, events, reads)
        else:
            reason = handle_child_events(run, account, events)
        run.flush()
    finally:
        run.holding = {}
    return reason


def _updated_entities(events: list[Event]) -> tuple[str, list[str]] | None:
    """(type, ids) of the UPDATE events when they are of one type: which children have those
    entities is read along with the account (main_events would read it next)."""
    updates = [event for event in events if event.action == "UPDATE"]
    types = {event.entity_type for event in updates}
    if len(types) != 1:
        return None
    return types.pop(), sorted({event.entity_id for event in updates})


def _paused(run: Run, account_id: str, events: list[Event], limits: LoopLimits) -> dict:
    """(type, id) → loop subject of the paused entities: their tasks are written `held`."""
    changes = [(e.entity_type, e.entity_id, f"{run.log_id}:{e.action}") for e in events]
    paused = paused_entities(run.redis, account_id, changes, limits)
    for note in paused.values():
        run.note(note)
    return {key: subject(account_id, *key) for key in paused}
