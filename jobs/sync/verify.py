"""Verify and repair: compare main and a child for every synced field of every mapped entity,
report the differences by kind, and with `repair` queue the update tasks that fix them (and
clean up mappings whose entity is gone on either side). A pair whose two sides hash as they did
when they last agreed costs no comparison. More differences than the child's
`drift_alert_threshold` open a `sync_drift` alert; a clean run resolves it. Every run is kept
(verify_runs) for the Sync page.

A missed webhook, an outage past МойСклад's re-sends, a franchisee's hand edit: none of them
leaves a child stale for longer than until the next verify."""

from collections.abc import Callable
from dataclasses import dataclass, field

from jobs import defaults
from jobs.context import JobContext, current
from jobs.monitoring.alert_delivery import deliver_alert
from jobs.moysklad.factory import client_for_account
from jobs.processing.coalescing import write_tasks
from jobs.queues import enqueue_verify
from jobs.sync.full_sync import ALL_ROWS, FOLDER, SYNC_TYPES
from jobs.sync.payloads import CLEARABLE_TEXT, build_payload, expand_for
from jobs.sync.references import MissingReference, open_references
from jobs.sync.verify_compare import KINDS, differing_fields, digest
from jobs.sync.wake import wake_target
from store.alerts import active_alert, open_alert, resolve_alert
from store.catalog_links import drop_mappings, mappings_of
from store.entity_hashes import agreed_hashes, forget_hashes, remember_agreement
from store.order_settings import drift_settings, verified_children
from store.sync_targets import parent_of
from store.tasks import NewTask, TaskKey
from store.verify_runs import record_verify_run

DRIFT_RULE = "sync_drift"
ORIGIN = "verify"
EXPANDED_PAGE = 100  # expand works only up to limit 100
PAGE = 1000
FULL = {"strategy": "full_sync"}

Progress = Callable[[str, int, int], None]


class VerifyError(ValueError):
    """The child cannot be verified (not linked, link inactive): the message says why."""


@dataclass
class Difference:
    entity_type: str
    main_id: str
    child_id: str
    fields: dict[str, str]  # field → kind; {"": "child_gone" | "main_gone"} for a broken pair


@dataclass
class VerifyReport:
    child_id: str
    main_id: str
    repair: bool
    checked: int = 0
    unchanged: int = 0  # both sides hash as when they last agreed: not compared
    agreeing: int = 0
    differences: list[Difference] = field(default_factory=list)
    unverifiable: list[dict] = field(default_factory=list)  # a reference not in the child yet
    tasks_written: int = 0
    tasks_merged: int = 0
    mappings_dropped: int = 0
    alert: str | None = None  # opened | refreshed | resolved

    def by_kind(self) -> dict[str, int]:
        counts = dict.fromkeys((*KINDS, "child_gone", "main_gone"), 0)
        for difference in self.differences:
            for kind in set(difference.fields.values()):
                counts[kind] += 1
        return counts

    def as_dict(self) -> dict:
        return {
            "child_id": self.child_id,
            "main_id": self.main_id,
            "repair": self.repair,
            "checked": self.checked,
            "unchanged": self.unchanged,
            "agreeing": self.agreeing,
            "different": len(self.differences),
            "by_kind": self.by_kind(),
            "differences": [d.__dict__ for d in self.differences],
            "unverifiable": self.unverifiable,
            "tasks_written": self.tasks_written,
            "tasks_merged": self.tasks_merged,
            "mappings_dropped": self.mappings_dropped,
            "alert": self.alert,
        }


def verify_child(
    context: JobContext, child_id: str, repair: bool = False, progress: Progress | None = None
) -> VerifyReport:
    link = parent_of(child_id)
    if link is None:
        raise VerifyError(f"account {child_id} is not a child of any main account")
    if link.link_status != "active":
        raise VerifyError(f"the link of {child_id} is inactive: {link.inactive_reason or '-'}")
    main = client_for_account(context, link.parent_id)
    child = client_for_account(context, child_id)
    references = open_references(
        context, main, child, link.parent_id, child_id, create_missing=False
    )
    report = VerifyReport(child_id, link.parent_id, repair)
    notify = progress or (lambda stage, done, total: None)
    for entity_type, switch in SYNC_TYPES:
        mappings = mappings_of(child_id, entity_type)
        if not mappings or not link.settings[switch]:
            continue
        main_rows = _rows(main, entity_type)
        child_rows = _rows(child, entity_type)
        found = _compare(entity_type, mappings, main_rows, child_rows, references, report, notify)
        if repair:
            _repair(context, link.parent_id, child_id, entity_type, found, report)
    if repair and report.tasks_written + report.tasks_merged:
        wake_target(context.redis, child_id)
    report.alert = _drift_alert(context, report)
    record_verify_run(report.as_dict())
    return report


def queue_verifies() -> list[str]:
    """The nightly periodic job: one verify job per syncing child on the default queue (reading
    whole catalogues takes minutes, which the housekeeping queue's sweep cannot wait); the ids."""
    redis = current().redis
    return [enqueue_verify(redis, child_id) for child_id, _ in verified_children()]


def verify_one(child_id: str) -> dict:
    """One child's queued verify, repairing as its `verify_repair` setting says; its summary."""
    repairs = dict(verified_children()).get(child_id)
    if repairs is None:
        return {"skipped": "no longer a syncing child"}
    return _summary(verify_child(current(), child_id, repairs))


def verify_all(repair: bool | None = None) -> dict:
    """Verify every syncing child here and now (repairing where its `verify_repair` setting
    says, or as `repair` says); {child id: summary or error}."""
    context = current()
    results = {}
    for child_id, child_repairs in verified_children():
        try:
            report = verify_child(context, child_id, child_repairs if repair is None else repair)
        except Exception as error:  # one child's failure must not stop the others' verify
            results[child_id] = {"error": f"{type(error).__name__}: {error}"}
            continue
        results[child_id] = _summary(report)
    return results


def _summary(report: VerifyReport) -> dict:
    summary = report.as_dict()
    summary.pop("differences")
    return summary


def _rows(client, entity_type: str) -> dict[str, dict]:
    expand = expand_for(entity_type, FULL["strategy"])
    params = dict(ALL_ROWS)
    if expand and "components" in expand:
        params |= {"limit": EXPANDED_PAGE, "expand": expand}
    else:
        params["limit"] = PAGE
    return {row["id"]: row for row in client.iter_rows(f"/entity/{entity_type}", params)}


def _compare(entity_type, mappings, main_rows, child_rows, references, report, notify) -> list:
    agreed_before = agreed_hashes(report.child_id, entity_type)
    agreed, found = [], []
    # Naming the clearable texts makes the expected copy empty them when main has none.
    payload = FULL | {"updated_fields": list(CLEARABLE_TEXT)}
    task = {"entity_type": entity_type, "operation": "update", "payload": payload}
    for number, (main_id, child_id) in enumerate(mappings.items(), 1):
        report.checked += 1
        main_row, child_row = main_rows.get(main_id), child_rows.get(child_id)
        if main_row is None or child_row is None:
            gone = "main_gone" if main_row is None else "child_gone"
            found.append(Difference(entity_type, main_id, child_id, {"": gone}))
            continue
        hashes = (digest(main_row), digest(child_row))
        if agreed_before.get(main_id) == hashes:
            report.unchanged += 1
            continue
        try:
            expected = build_payload(task, main_row, references)
        except MissingReference as missing:
            report.unverifiable.append({"type": entity_type, "id": main_id, "reason": str(missing)})
            continue
        fields = differing_fields(expected, child_row)
        if fields:
            found.append(Difference(entity_type, main_id, child_id, fields))
        else:
            report.agreeing += 1
            agreed.append((main_id, *hashes))
        if number % 500 == 0:
            notify(f"verify {entity_type}", number, len(mappings))
    notify(f"verify {entity_type}", len(mappings), len(mappings))
    remember_agreement(report.child_id, entity_type, agreed)
    forget_hashes(report.child_id, entity_type, [d.main_id for d in found])
    report.differences += found
    return found


def _repair(context, main_id: str, child_id: str, entity_type: str, found, report) -> None:
    folder = entity_type == FOLDER
    priority = defaults.PRIORITY_FOLDER if folder else defaults.PRIORITY_UPDATE
    broken = [d for d in found if "" in d.fields]
    report.mappings_dropped += drop_mappings(child_id, entity_type, [d.main_id for d in broken])
    tasks = []
    for difference in found:
        gone = difference.fields.get("")
        if gone == "main_gone":
            continue  # nothing to copy: the mapping is dropped, the child's entity left alone
        key = TaskKey(child_id, entity_type, difference.main_id)
        if gone == "child_gone":
            operation = "folder_create" if folder else "create"
            tasks.append(NewTask(key, operation, main_id, priority, {"origin": ORIGIN}))
            continue
        payload = FULL | {"updated_fields": sorted(difference.fields), "origin": ORIGIN}
        operation = "folder_update" if folder else "update"
        tasks.append(NewTask(key, operation, main_id, priority, payload))
    if tasks:
        result = write_tasks(context.redis, tasks)
        report.tasks_written += result.created
        report.tasks_merged += result.merged


def _drift_alert(context: JobContext, report: VerifyReport) -> str | None:
    threshold = drift_settings(report.child_id)[0]
    subject = f"child:{report.child_id}"
    drift = len(report.differences)
    url = context.settings.alert_webhook_url
    if drift > threshold:
        message = (
            f"child {report.child_id}: {drift} entities differ from main (threshold"
            f" {threshold}); by kind: {report.by_kind()}"
        )
        severity = "critical" if drift > 10 * max(threshold, 1) else "warning"
        details = {"different": drift, "by_kind": report.by_kind(), "repair": report.repair}
        alert, new = open_alert(DRIFT_RULE, subject, severity, message, details)
        if new:
            deliver_alert(url, "opened", alert)
        return "opened" if new else "refreshed"
    active = active_alert(DRIFT_RULE, subject)
    if active is not None and resolve_alert(active.id):
        deliver_alert(url, "resolved", active)
        return "resolved"
    return None
