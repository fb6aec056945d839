"""The events of a delivery, and the run that turns them into tasks (counts, notes)."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from redis import Redis

from jobs.processing.coalescing import write_tasks
from store.tasks import NewTask, TaskKey

PRODUCT_TYPES = ("product", "service", "variant", "bundle")
FOLDER_TYPE = "productfolder"
ORDER_TYPES = ("customerorder", "retaildemand", "purchaseorder")
SYNCED_ACTIONS = ("CREATE", "UPDATE", "DELETE")  # PROCESSED (async tasks) means nothing here


@dataclass(frozen=True)
class Event:
    """One entity's change; events of the same entity and action in one body are merged."""

    entity_type: str
    entity_id: str
    action: str
    account_id: str
    updated_fields: tuple[str, ...] | None  # None: not reported (a full sync)


@dataclass
class Run:
    """One try of process_webhook: where tasks go and what is said about what was skipped."""

    redis: Redis
    log_id: int
    rerun: bool
    tasks: int = 0
    merged: int = 0
    held: int = 0  # of tasks + merged: written `held` (a loop-paused entity)
    cancelled: int = 0  # pending tasks a delete voided
    notes: list[str] = field(default_factory=list)
    unwritten: list[NewTask] = field(default_factory=list)
    changed_at: datetime | None = None  # the delivery's receipt: when main changed
    # (entity type, id) of the account being routed → loop alert subject: its tasks are held.
    holding: dict[tuple[str, str], str] = field(default_factory=dict)
    targets: set[str] = field(default_factory=set)  # accounts that got pending tasks: woken after
    # Target → whether the executor applies its tasks, when read along with the targets.
    applies_tasks: dict[str, bool] = field(default_factory=dict)

    def write(self, task: NewTask) -> None:
        """Add a task to the next flush (one lock round and one INSERT for a group of them)."""
        self.unwritten.append(task)

    def task(
        self,
        target: str,
        source: str,
        entity_type: str,
        entity_id: str,
        operation: str,
        priority: int,
        payload: dict | None = None,
        scheduled_at: datetime | None = None,
        origin: tuple[str, str] | None = None,
    ) -> None:
        """Queue a task of this delivery (its log id recorded) for the next flush; `origin` is
        the (type, id) of the event's entity when the task is about another one."""
        self.write(
            NewTask(
                TaskKey(target, entity_type, entity_id),
                operation,
                source_account_id=source,
                priority=priority,
                payload={**(payload or {}), "log_ids": [self.log_id]},
                log_id=self.log_id,
                scheduled_at=scheduled_at,
                changed_at=self.changed_at,
                hold_subject=self.holding.get(origin or (entity_type, entity_id)),
            )
        )

    def flush(self) -> None:
        self.targets |= {t.key.target_account_id for t in self.unwritten if not t.hold_subject}
        result = write_tasks(self.redis, self.unwritten, rerun=self.rerun)
        self.unwritten = []
        # A re-run's tasks that its crashed predecessor already wrote are still this log's.
        self.tasks += result.created + result.already
        self.merged += result.merged
        self.held += result.held
        self.cancelled += result.cancelled
        for key in result.dropped:
            self.note(
                f"account {key.target_account_id}: {key.entity_type} {key.entity_id} has a pending"
                " archive, the change is not written"
            )

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


def parse_events(payload: dict) -> tuple[list[Event], list[str]]:
    """Events of a stored body (merged per entity and action) and notes on unusable ones."""
    merged: dict[tuple[str, str, str, str], Event] = {}
    notes = []
    for index, raw in enumerate(payload.get("events") or []):
        event = _event(raw)
        if event is None:
            notes.append(f"events[{index}]: no usable entity type, id, action or account")
            continue
        key = (event.account_id, event.entity_type, event.entity_id, event.action)
        merged[key] = _merge(merged[key], event) if key in merged else event
    return list(merged.values()), notes


def _event(raw: object) -> Event | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("meta"), dict):
        return None
    meta = raw["meta"]
    href, entity_type = meta.get("href"), meta.get("type")
    account_id, action = raw.get("accountId"), raw.get("action")
    if not all(isinstance(value, str) for value in (href, entity_type, account_id, action)):
        return None
    entity_id = href.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    try:
        entity_id, account_id = str(uuid.UUID(entity_id)), str(uuid.UUID(account_id))
    except ValueError:
        return None
    fields = raw.get("updatedFields")
    updated = tuple(f for f in fields if isinstance(f, str)) if isinstance(fields, list) else None
    return Event(entity_type, entity_id, action, account_id, updated or None)


def _merge(old: Event, new: Event) -> Event:
    if old.updated_fields is None or new.updated_fields is None:
        fields = None
    else:
        fields = tuple(sorted(set(old.updated_fields) | set(new.updated_fields)))
    return Event(old.entity_type, old.entity_id, old.action, old.account_id, fields)
