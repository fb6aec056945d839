"""One round of a target's claimed tasks: grouped by kind and type in dependency order (folders
parents first, products before the variants and bundles made of them), each group planned,
written (or, in shadow, recorded) and its outcomes recorded before the next group is built."""

import importlib
import logging
from collections import defaultdict
from collections.abc import Callable

from jobs.context import JobContext
from jobs.moysklad import MoySkladError, MoySkladRateLimited
from jobs.sync import defaults
from jobs.sync.goods import plan_tasks
from jobs.sync.main_reads import read_main_entities
from jobs.sync.outcomes import RETRY, Outcome
from jobs.sync.payloads import expand_for
from jobs.sync.run import ChildRun, open_child_run
from jobs.sync.writes import shadow_outcomes, write_plans
from store.sync_tasks import ClaimedTask

GOODS_ORDER = ("productfolder", "product", "service", "variant", "bundle")
ORDER_TYPES = ("customerorder", "retaildemand", "purchaseorder")
ORDERS_MODULE = "jobs.sync.orders"
log = logging.getLogger(__name__)

Record = Callable[[list[Outcome]], None]


def order_applier():
    """jobs.sync.orders.apply_order_tasks when that module exists, else None (orders wait)."""
    try:
        module = importlib.import_module(ORDERS_MODULE)
    except ModuleNotFoundError as missing:
        if missing.name != ORDERS_MODULE:
            raise
        return None
    return module.apply_order_tasks


def claimable_types() -> tuple[str, ...]:
    return GOODS_ORDER + (ORDER_TYPES if order_applier() else ())


def apply_round(
    context: JobContext,
    target: str,
    mode: str,
    tasks: list[ClaimedTask],
    record: Record,
    job_cache: dict | None = None,
) -> None:
    """Apply the claimed tasks; `record` is called with each group's outcomes (every task gets
    exactly one). `job_cache`: what the job keeps across its rounds (listed child catalogues)."""
    job_cache = job_cache if job_cache is not None else {}
    orders = [t for t in tasks if t.entity_type in ORDER_TYPES]
    goods = [t for t in tasks if t.entity_type not in ORDER_TYPES]
    by_source: dict[str, list[ClaimedTask]] = defaultdict(list)
    for task in goods:
        by_source[task.source_account_id].append(task)
    for main_id, group in by_source.items():
        _guarded(
            group,
            record,
            lambda g=group, m=main_id: _goods(context, target, m, mode, g, record, job_cache),
        )
    if orders:
        applier = order_applier()
        _guarded(orders, record, lambda: record(applier(context, target, orders)))


def _goods(context, target, main_id: str, mode: str, tasks, record: Record, job_cache) -> None:
    catalogues = job_cache.setdefault(("catalogues", main_id), {})
    run = open_child_run(context, target, main_id, mode, catalogues)
    by_type: dict[str, list[ClaimedTask]] = defaultdict(list)
    for task in tasks:
        by_type[task.entity_type].append(task)
    for entity_type in sorted(by_type, key=_type_rank):
        typed = by_type[entity_type]
        waves = _folder_waves(run, typed) if entity_type == "productfolder" else [typed]
        for wave in waves:
            _guarded(wave, record, lambda w=wave, t=entity_type: record(_apply(run, t, w)))


def _apply(run: ChildRun, entity_type: str, tasks: list[ClaimedTask]) -> list[Outcome]:
    planned = plan_tasks(run, entity_type, tasks)
    if run.live:
        written = write_plans(run, entity_type, planned.plans)
    else:
        written = shadow_outcomes(entity_type, planned.plans)
    return planned.outcomes + written


def _folder_waves(run: ChildRun, tasks: list[ClaimedTask]) -> list[list[ClaimedTask]]:
    """Folders by depth (pathName), so a parent is created and mapped before its children."""
    wanted = [(t.entity_id, t.changed_at) for t in tasks if "archive" not in t.operation]
    entities = read_main_entities(
        run.main_client,
        run.redis,
        run.main_id,
        "productfolder",
        wanted,
        expand_for("productfolder", "full_sync"),
    )
    waves: dict[int, list[ClaimedTask]] = defaultdict(list)
    for task in tasks:
        path = (entities.get(task.entity_id) or {}).get("pathName") or ""
        waves[len(path.split("/")) if path else 0].append(task)
    return [waves[depth] for depth in sorted(waves)]


def _guarded(tasks: list[ClaimedTask], record: Record, work: Callable[[], None]) -> None:
    """Run `work`; when it fails as a whole, every task of it retries later with the reason (a
    task never stays claimed, and one broken group never stops the others)."""
    try:
        work()
        return
    except MoySkladRateLimited as error:
        reason, wait = str(error), defaults.RATE_LIMITED_RETRY
    except MoySkladError as error:
        reason, wait = f"{type(error).__name__}: {error}", None
    except Exception as error:  # a bug must not strand the claimed tasks: retried, then failed
        log.exception("sync executor: a group of %d task(s) failed", len(tasks))
        reason, wait = f"executor error: {type(error).__name__}: {error}", None
    done = getattr(record, "done", set())
    record([_retry(t, reason, wait or _backoff(t)) for t in tasks if t.id not in done])


def _retry(task: ClaimedTask, reason: str, retry_in: float) -> Outcome:
    return Outcome(task.id, RETRY, error=reason, retry_in=retry_in)


def _backoff(task: ClaimedTask) -> float:
    attempt = max(task.attempts, 1)
    return min(defaults.UNAVAILABLE_RETRY_BASE * 2 ** (attempt - 1), defaults.UNAVAILABLE_RETRY_MAX)


def _type_rank(entity_type: str) -> int:
    return GOODS_ORDER.index(entity_type) if entity_type in GOODS_ORDER else len(GOODS_ORDER)
