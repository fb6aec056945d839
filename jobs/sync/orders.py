"""Children's orders → the main account's customerorders (the executor hands a target's claimed
`customerorder` / `retaildemand` / `purchaseorder` tasks here; it records the outcomes).

A posted child order becomes one main order whose syncId derives from the child order, so no
crash or re-send makes two; later changes (positions, state, posted or not) update the copy; a
deleted child order unposts its copy. An order with a position that has no mapping waits."""

from collections import defaultdict
from collections.abc import Sequence

from jobs.context import JobContext
from jobs.moysklad.errors import MoySkladRequestError, MoySkladUnavailable
from jobs.moysklad.factory import client_for_account
from jobs.sync.orders_documents import MAIN_ORDER_TYPE, ORDER_TYPES, OrderTask
from jobs.sync.orders_plan import ChildOrders
from jobs.sync.orders_write import write_orders
from jobs.sync.outcomes import CANCELLED, FAILED, RETRY, WAIT, Outcome
from store.order_settings import SWITCHES, OrderSettings, order_settings

RETRY_SECONDS = 30.0  # МойСклад unavailable or rate-limited through every retry
SYNC_OFF_WAIT_SECONDS = 600.0  # the child's sync mode is off: look again later


def apply_order_tasks(
    context: JobContext, target_account_id: str, tasks: Sequence[OrderTask]
) -> list[Outcome]:
    """One Outcome per task, in the tasks' order."""
    outcomes: dict[int, Outcome] = {}
    by_child: dict[str, list[OrderTask]] = defaultdict(list)
    for task in tasks:
        by_child[str(task.source_account_id)].append(task)
    target = str(target_account_id)
    for child_id, child_tasks in by_child.items():
        try:
            _apply_child(context, target, child_id, child_tasks, outcomes)
        except MoySkladUnavailable as error:
            _fill(child_tasks, outcomes, RETRY, f"МойСклад unavailable: {error}", RETRY_SECONDS)
        except MoySkladRequestError as error:
            _fill(child_tasks, outcomes, FAILED, f"МойСклад refused a read: {error}")
    return [outcomes[task.id] for task in tasks]


def _apply_child(
    context: JobContext, target: str, child_id: str, tasks: list[OrderTask], outcomes: dict
) -> None:
    settings = order_settings(child_id)
    refusal = _refusal(settings, target, child_id)
    if refusal:
        _fill(tasks, outcomes, CANCELLED, refusal)
        return
    if settings.sync_mode == "off":
        reason = f"sync mode of child {child_id} is off: its orders wait"
        _fill(tasks, outcomes, WAIT, reason, SYNC_OFF_WAIT_SECONDS)
        return
    wanted = []
    for task in tasks:
        if task.entity_type not in ORDER_TYPES:
            outcomes[task.id] = Outcome(task.id, FAILED, f"{task.entity_type} is not an order")
        elif not settings.switches[task.entity_type]:
            switch = SWITCHES[task.entity_type]
            outcomes[task.id] = Outcome(task.id, CANCELLED, f"{switch} is off for this child")
        else:
            wanted.append(task)
    if not wanted:
        return
    main = client_for_account(context, target)
    child = client_for_account(context, child_id)
    plan = ChildOrders(main, child, settings)
    writes = plan.decide(wanted, outcomes)
    live = settings.sync_mode == "live" and settings.main_sync_mode == "live"
    write_orders(main, child, settings, writes, outcomes, live=live)


def _refusal(settings: OrderSettings | None, target: str, child_id: str) -> str | None:
    if settings is None:
        return f"unknown child account {child_id}"
    if settings.parent_id != target:
        return f"account {child_id} is not a child of {target}"
    if settings.link_status != "active":
        return f"the link of child {child_id} to its main account is inactive"
    if settings.account_status != "active":
        return f"child account {child_id} is {settings.account_status}"
    return None


def _fill(tasks, outcomes: dict, status: str, reason: str, retry_in: float | None = None) -> None:
    for task in tasks:
        outcomes.setdefault(task.id, Outcome(task.id, status, reason, retry_in=retry_in))


__all__ = ["MAIN_ORDER_TYPE", "apply_order_tasks"]
