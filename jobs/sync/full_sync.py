"""A child's full sync: page through main's catalogue (folders first), apply the child's product
filter, link what the child already has by its match field, queue creates (and updates of what
was linked, main winning) for the executor; a report of counts, ambiguous and conflicting keys.

Webhooks only bring what changes after they were installed; this is how a child joins."""

from collections.abc import Callable
from dataclasses import dataclass, field

from jobs import defaults
from jobs.context import JobContext
from jobs.filters.product_filter import entity_passes
from jobs.moysklad.factory import client_for_account
from jobs.processing.coalescing import write_tasks
from jobs.sync.full_sync_matching import TypeReport, match_key, match_type
from jobs.sync.orders_documents import href_key
from jobs.sync.wake import wake_target
from store.catalog_links import drop_mappings, link_entities, mappings_of
from store.sync_targets import parent_of
from store.tasks import NewTask, TaskKey

# Folders first: goods name their folder, variants their product.
SYNC_TYPES = (
    ("productfolder", "sync_folders"),
    ("product", "sync_products"),
    ("service", "sync_services"),
    ("bundle", "sync_bundles"),
    ("variant", "sync_variants"),
)
FOLDER = "productfolder"
PAGE_LIMIT = 1000
TASK_CHUNK = 500  # tasks written under one set of entity locks
ALL_ROWS = {"filter": "archived=true;archived=false"}  # a list hides archived ones otherwise
ORIGIN = "full_sync"

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class FullSyncError(ValueError):
    """The child cannot be synced (not linked, link inactive): the message says why."""


@dataclass
class FullSyncReport:
    child_id: str
    main_id: str
    dry_run: bool
    types: list[TypeReport] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # types the child does not sync
    tasks_written: int = 0
    tasks_merged: int = 0

    def total(self, name: str) -> int:
        return sum(getattr(t, name) for t in self.types)

    def as_dict(self) -> dict:
        return {
            "child_id": self.child_id,
            "main_id": self.main_id,
            "dry_run": self.dry_run,
            "types": [t.as_dict() for t in self.types],
            "skipped": self.skipped,
            "tasks_written": self.tasks_written,
            "tasks_merged": self.tasks_merged,
        }


def plan_full_sync(
    context: JobContext, child_id: str, dry_run: bool = False, progress: Progress | None = None
) -> FullSyncReport:
    """Link and queue everything the child should have from main; dry_run writes nothing."""
    link = parent_of(child_id)
    if link is None:
        raise FullSyncError(f"account {child_id} is not a child of any main account")
    if link.link_status != "active":
        raise FullSyncError(f"the link of {child_id} is inactive: {link.inactive_reason or '-'}")
    settings = link.settings
    main = client_for_account(context, link.parent_id)
    child = client_for_account(context, child_id)
    report = FullSyncReport(child_id, link.parent_id, dry_run)
    notify = progress or (lambda stage, done, total: None)
    folder_parents: dict[str, str | None] = {}
    passed_products: set[str] = set()
    for entity_type, switch in SYNC_TYPES:
        if not settings[switch]:
            report.skipped.append(entity_type)
            continue
        main_rows = _rows(main, entity_type, f"main {entity_type}", notify)
        if entity_type == FOLDER:
            folder_parents = {r["id"]: _href_id(r.get("productFolder")) for r in main_rows}
        wanted = _passing(entity_type, main_rows, settings, folder_parents, passed_products)
        if entity_type == "product":
            passed_products = {r["id"] for r in wanted}
        child_rows = _rows(child, entity_type, f"child {entity_type}", notify)
        key_of = _key_function(entity_type, settings["match_field"], child_rows)
        mappings = mappings_of(child_id, entity_type)
        matching = match_type(entity_type, wanted, child_rows, mappings, key_of)
        matching.report.main_total = len(main_rows)
        matching.report.filtered_out = len(main_rows) - len(wanted)
        report.types.append(matching.report)
        if not dry_run:
            drop_mappings(child_id, entity_type, matching.broken)
            link_entities(child_id, entity_type, matching.links)
            tasks = _tasks(link.parent_id, child_id, entity_type, matching)
            _write(context, tasks, report, notify, entity_type)
    if not dry_run and report.tasks_written + report.tasks_merged:
        wake_target(context.redis, child_id)
    return report


def _rows(client, entity_type: str, stage: str, notify: Progress) -> list[dict]:
    rows: list[dict] = []
    for row in client.iter_rows(f"/entity/{entity_type}", {"limit": PAGE_LIMIT} | ALL_ROWS):
        rows.append(row)
        if len(rows) % PAGE_LIMIT == 0:
            notify(stage, len(rows), 0)
    notify(stage, len(rows), len(rows))
    return rows


def _passing(entity_type, rows, settings, folder_parents, passed_products) -> list[dict]:
    """Main's entities this child gets: not archived, through its filter (a variant with its
    product; folders always)."""
    alive = [r for r in rows if not r.get("archived")]
    if entity_type == FOLDER:
        return alive
    if entity_type == "variant":
        return [r for r in alive if _href_id(r.get("product")) in passed_products]
    product_filter = settings["product_filter"]
    return [r for r in alive if entity_passes(product_filter, r, folder_parents)]


def _key_function(entity_type: str, match_field: str, child_rows: list[dict]):
    """Folders match by their path (codes are rarely set on folders), goods by the match field."""
    if entity_type != FOLDER:
        return lambda row: match_key(row, match_field)

    def folder_path(row: dict) -> str | None:
        name = match_key(row, "name")
        parent = row.get("pathName") or ""
        return f"{parent}/{name}" if name else None

    return folder_path


def _tasks(main_id: str, child_id: str, entity_type: str, matching) -> list[NewTask]:
    folder = entity_type == FOLDER
    priority = defaults.PRIORITY_FOLDER if folder else defaults.PRIORITY_CREATE
    create = "folder_create" if folder else "create"
    update = "folder_update" if folder else "update"
    tasks = [
        NewTask(TaskKey(child_id, entity_type, main), create, main_id, priority, {"origin": ORIGIN})
        for main in matching.creates
    ]
    payload = {"origin": ORIGIN, "strategy": "full_sync", "updated_fields": []}
    tasks += [
        NewTask(TaskKey(child_id, entity_type, main), update, main_id, priority, payload)
        for main, _ in matching.links
    ]
    return tasks


def _write(context, tasks, report: FullSyncReport, notify: Progress, entity_type: str) -> None:
    for start in range(0, len(tasks), TASK_CHUNK):
        result = write_tasks(context.redis, tasks[start : start + TASK_CHUNK])
        report.tasks_written += result.created
        report.tasks_merged += result.merged
        notify(f"queue {entity_type}", min(start + TASK_CHUNK, len(tasks)), len(tasks))


def _href_id(reference) -> str | None:
    key = href_key(reference) if isinstance(reference, dict) else None
    return key[1] if key else None
