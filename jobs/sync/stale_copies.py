"""A write refused because a copy it points to is gone (МойСклад's 1008 naming the id of the
child's folder or product — the child deleted it): the stale mapping is dropped and a task to
create that copy again is queued, so the refused task succeeds on its retry instead of failing
with a reference no refresh of dictionaries can fix."""

import re

from jobs import defaults as job_defaults
from jobs.sync.run import ChildRun
from store.sync_tasks import drop_mapping_of_copy
from store.tasks import NewTask, TaskKey, insert_tasks

COPY_TYPES = ("productfolder", "product", "service", "variant", "bundle")
ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def heal_stale_copies(run: ChildRun, item: dict, error_text: str) -> list[str]:
    """Drop the mappings of copies the item points to and the error names; queue their
    re-creation. The main ids re-queued."""
    named = set(ID.findall(error_text))
    queued = []
    for _kind, child_id in _copies_in(item):
        if child_id not in named:
            continue
        dropped = drop_mapping_of_copy(run.child_id, child_id)
        if dropped is None:
            continue
        kind, main_id = dropped
        folder = kind == "productfolder"
        task = NewTask(
            TaskKey(run.child_id, kind, main_id),
            "folder_create" if folder else "create",
            source_account_id=run.main_id,
            priority=job_defaults.PRIORITY_FOLDER if folder else job_defaults.PRIORITY_CREATE,
            payload={"reason": f"the child's copy {child_id} is gone (1008 on a write)"},
        )
        insert_tasks([task])  # nothing when one is pending already (the unique index decides)
        queued.append(main_id)
    return queued


def _copies_in(value, found=None) -> list[tuple[str, str]]:
    """(type, id) of every {meta: {href, type}} of a copyable type inside an item."""
    found = [] if found is None else found
    if isinstance(value, dict):
        meta = value.get("meta")
        if isinstance(meta, dict) and meta.get("type") in COPY_TYPES and meta.get("href"):
            found.append((meta["type"], meta["href"].rstrip("/").rsplit("/", 1)[-1]))
        for key, inner in value.items():
            if key != "meta":
                _copies_in(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _copies_in(inner, found)
    return found
