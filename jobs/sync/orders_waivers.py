"""The operator's way out for an order that waits on an unmapped position: send it without the
positions that have no mapping now — recorded (order_position_waivers, the audit log)."""

from jobs.context import JobContext
from jobs.moysklad.factory import client_for_account
from jobs.sync import orders_documents as docs
from jobs.sync.wake import wake_target
from store.audit import record_action
from store.models import SyncTask
from store.order_mappings import main_ids_of
from store.order_waivers import make_task_due, waive_positions, waived_positions

ACTION = "send order without unmapped positions"


class OrderActionError(ValueError):
    """The task cannot be sent this way (the message says why)."""


def send_order_without_unmapped(
    context: JobContext, task_id: int, actor: str, role: str = "operator"
) -> list[tuple[str, str]]:
    """Waive the order's positions that have no mapping now and make its task due; the waived
    (type, id) pairs. The child's order is read again, so only what is unmapped now goes."""
    task = SyncTask.get_or_none(SyncTask.id == task_id)
    if task is None:
        raise OrderActionError(f"no sync task {task_id}")
    if task.entity_type not in docs.ORDER_TYPES or task.operation != "order":
        raise OrderActionError(f"task {task_id} is not an order ({task.entity_type})")
    if task.status != "pending":
        raise OrderActionError(f"task {task_id} is {task.status}, not waiting")
    child_id = str(task.source_account_id)
    child = client_for_account(context, child_id)
    document = child.get(f"/entity/{task.entity_type}/{task.entity_id}", {"expand": "positions"})
    assortments = docs.assortments_of(document)
    waived = waived_positions(child_id, task.entity_type, [task.entity_id]).get(task.entity_id)
    unmapped = sorted(assortments - set(main_ids_of(child_id, assortments)) - (waived or set()))
    target = f"{task.entity_type} {task.entity_id}"
    details = {"task_id": task_id, "positions": [list(u) for u in unmapped]}
    if not unmapped:
        record_action(actor, role, ACTION, target, details, "nothing unmapped")
        raise OrderActionError(
            f"every position of {target} is mapped or already left out: nothing to leave out"
        )
    waive_positions(child_id, task.entity_type, task.entity_id, unmapped, actor)
    make_task_due(task_id)
    wake_target(context.redis, str(task.target_account_id))
    record_action(actor, role, ACTION, target, details, f"{len(unmapped)} position(s) left out")
    return unmapped
