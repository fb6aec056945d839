"""Goods main → child: one round's tasks of one entity type for one child, as plans (what to send
for each task) and then one bulk write per ≤ 100 of them.

Per task: archive → `{meta, archived: true}` of the child's copy (none: nothing to archive);
otherwise the main entity is read and its payload built (jobs.sync.payloads) — an update of the
copy the child has (`meta`), or a create: first linked to the child's own entity found by its
match field, else created with a deterministic syncId (jobs.sync.sync_ids). A recreate replaces
a copy the child deleted.
"""

from dataclasses import dataclass, field

from jobs.processing.strategies import Strategy
from jobs.sync.main_reads import read_main_entities
from jobs.sync.matching import find_existing
from jobs.sync.outcomes import CANCELLED, COMPLETED, FAILED, RETRY, Mapping, Outcome
from jobs.sync.payloads import build_payload, expand_for
from jobs.sync.references import MissingReference
from jobs.sync.run import ChildRun
from jobs.sync.sync_ids import SYNC_ID_TYPES, sync_id
from store.mappings import child_entity_ids
from store.sync_tasks import ClaimedTask

ARCHIVES = ("archive", "folder_archive")
CREATES = ("create", "recreate", "folder_create")
FOLDER_ARCHIVE_REASON = (
    "МойСклад folders cannot be archived (productfolder.archived is read-only): the child's"
    " folder is kept"
)


@dataclass
class Plan:
    """What one task sends: `item` to POST /entity/<type> (in bulk with the round's others)."""

    task: ClaimedTask
    item: dict
    kind: str  # create | update | link | archive
    child_id: str | None = None  # the child's entity written to (update, link, archive)
    replacing: str | None = None  # a create replacing this deleted copy
    note: str | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class Planned:
    plans: list[Plan]
    outcomes: list[Outcome]  # tasks settled without a write (cancelled, failed, nothing to do)


def plan_tasks(run: ChildRun, entity_type: str, tasks: list[ClaimedTask]) -> Planned:
    """The writes the tasks need (no request to the child except the match look-up)."""
    plans: list[Plan] = []
    settled: list[Outcome] = []
    mapped = child_entity_ids(run.child_id, entity_type, [t.entity_id for t in tasks])
    copying: list[ClaimedTask] = []
    for task in tasks:
        if task.operation in ARCHIVES:
            plan, outcome = _archive(run, entity_type, task, mapped.get(task.entity_id))
            plans += [plan] if plan else []
            settled += [outcome] if outcome else []
        else:
            copying.append(task)
    if not copying:
        return Planned(plans, settled)
    needs_references = any(_is_create(t, mapped) or _strategy(t) == "full_sync" for t in copying)
    expand = expand_for(entity_type, "full_sync" if needs_references else "mixed_simple")
    entities = read_main_entities(
        run.main_client,
        run.redis,
        run.main_id,
        entity_type,
        [(t.entity_id, t.changed_at) for t in copying],
        expand,
    )
    references = run.references()
    creates: list[tuple[ClaimedTask, dict, dict, str | None]] = []
    for task in copying:
        entity = entities.get(task.entity_id)
        if entity is None:
            settled.append(_cancel(task, "the entity no longer exists in the main account"))
            continue
        child_id, replacing = mapped.get(task.entity_id), None
        if task.operation == "recreate":
            deleted = task.payload.get("deleted_child_entity_id")
            if child_id is None or child_id == deleted:
                child_id, replacing = None, deleted
        try:
            item = build_payload(task, entity, references, create=child_id is None)
        except MissingReference as missing:
            settled.append(_missing(task, missing))
            continue
        if child_id is None:
            creates.append((task, entity, item, replacing))
        elif not item:
            settled.append(Outcome(task.id, COMPLETED, result={"note": "nothing to write"}))
        else:
            meta = references.entity_meta(entity_type, child_id)
            plans.append(Plan(task, {"meta": meta, **item}, "update", child_id))
    plans += _creates(run, entity_type, creates, set(mapped.values()), references)
    return Planned(plans, settled)


def _creates(run: ChildRun, entity_type: str, creates, taken: set[str], references) -> list[Plan]:
    if not creates:
        return []
    entities = {task.entity_id: entity for task, entity, _, _ in creates}
    catalogue = run.catalogue(entity_type)
    existing = find_existing(
        run.child_client, entity_type, run.match_field, entities, taken, catalogue
    )
    plans = []
    for task, entity, item, replacing in creates:
        found = existing.get(task.entity_id)
        if found is not None:
            meta = references.entity_meta(entity_type, found["id"])
            plans.append(Plan(task, {"meta": meta, **item}, "link", found["id"]))
            continue
        body = dict(item)
        if entity_type in SYNC_ID_TYPES:
            body["syncId"] = sync_id(
                run.main_id, run.child_id, entity_type, task.entity_id, replacing
            )
        elif entity.get("externalCode"):
            # No syncId for this type: the externalCode finds the copy after a crash.
            body.setdefault("externalCode", entity["externalCode"])
        plans.append(Plan(task, body, "create", replacing=replacing))
    return plans


def _archive(run: ChildRun, entity_type: str, task: ClaimedTask, child_id: str | None):
    if task.operation == "folder_archive" or entity_type == "productfolder":
        return None, _cancel(task, FOLDER_ARCHIVE_REASON)
    if child_id is None:
        return None, _cancel(task, "the child has no copy of this entity: nothing to archive")
    meta = {
        "href": f"{run.child_client.api_url}/entity/{entity_type}/{child_id}",
        "type": entity_type,
        "mediaType": "application/json",
    }
    return Plan(task, {"meta": meta, "archived": True}, "archive", child_id), None


def _is_create(task: ClaimedTask, mapped: dict[str, str]) -> bool:
    return task.operation in CREATES or task.entity_id not in mapped


def _strategy(task: ClaimedTask) -> str:
    return str(task.payload.get("strategy") or Strategy.FULL_SYNC)


def _cancel(task: ClaimedTask, reason: str) -> Outcome:
    return Outcome(task.id, CANCELLED, error=reason)


def _missing(task: ClaimedTask, missing: MissingReference) -> Outcome:
    if missing.retry_in is not None:
        return Outcome(task.id, RETRY, error=missing.reason, retry_in=missing.retry_in)
    return Outcome(task.id, FAILED, error=missing.reason)


def mapping_of(run: ChildRun, plan: Plan, child_entity_id: str) -> Mapping:
    return Mapping(run.child_id, plan.task.entity_type, plan.task.entity_id, child_entity_id)
