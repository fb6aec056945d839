"""Sending the decided order writes to main in bulk (≤ 100 items per POST, each item standing on
its own: md/_general.md — Создание и обновление нескольких объектов) and turning each answer into
the task's outcome; in shadow mode the request is recorded instead of sent. A completed task's
applied mode is how it was applied (live: written), not the main account's mode alone."""

from jobs.moysklad.client import MoySkladClient
from jobs.moysklad.errors import MoySkladRequestError
from jobs.sync import orders_documents as docs
from jobs.sync import orders_parties as parties
from jobs.sync.orders_plan import OrderWrite
from jobs.sync.outcomes import COMPLETED, FAILED, RETRY, Mapping, Outcome
from jobs.sync.run import LIVE, SHADOW
from store.order_settings import OrderSettings

WRITE_BATCH = 100
NOT_FOUND = 1021
STALE_COPY_RETRY_SECONDS = 5.0


def write_orders(
    main: MoySkladClient,
    child: MoySkladClient,
    settings: OrderSettings,
    writes: list[OrderWrite],
    outcomes: dict,
    live: bool,
) -> None:
    creates = [w for w in writes if w.creates]
    if creates:
        try:
            parties_item = _parties(main, child, settings, creates[0].document, live)
        except parties.OrderSetupError as error:
            for write in creates:
                outcomes[write.task.id] = Outcome(write.task.id, FAILED, str(error))
            writes = [w for w in writes if not w.creates]
        else:
            for write in creates:
                write.item = parties_item | write.item
    if not live:
        for write in writes:
            outcomes[write.task.id] = Outcome(
                write.task.id,
                COMPLETED,
                request=write.item,
                result={"shadow": True},
                applied_mode=SHADOW,
            )
        return
    for start in range(0, len(writes), WRITE_BATCH):
        batch = writes[start : start + WRITE_BATCH]
        try:
            answers = main.post(f"/entity/{docs.MAIN_ORDER_TYPE}", [w.item for w in batch])
        except MoySkladRequestError as error:
            for write in batch:
                outcomes[write.task.id] = Outcome(
                    write.task.id, FAILED, f"МойСклад refused the orders: {error}", write.item
                )
            continue
        for write, answer in zip(batch, answers, strict=True):
            outcomes[write.task.id] = _outcome(settings, write, answer)


def _parties(main, child, settings: OrderSettings, document: dict, live: bool) -> dict:
    """organization and agent of a new copy; in shadow a missing agent is shown, not created."""
    api_url = main.api_url
    organization = parties.main_organization(main, settings)
    item = {"organization": docs.reference(api_url, "organization", organization)}
    agent = settings.agent_id
    if agent is None:
        party = parties.franchisee(child, settings, document)
        agent = parties.find_agent(main, settings, party)
        if agent is None and not live:
            return item | {"agent": {"to_create": parties.agent_draft(settings, party)}}
        agent = agent or parties.create_agent(main, settings, party)
    return item | {"agent": docs.reference(api_url, "counterparty", agent)}


def _outcome(settings: OrderSettings, write: OrderWrite, answer: dict) -> Outcome:
    task = write.task
    errors = answer.get("errors") if isinstance(answer, dict) else None
    if errors:
        first = errors[0]
        code, message = first.get("code"), first.get("error")
        if code == NOT_FOUND and write.copy_id:
            # The copy is gone from main: forget it, the next try creates it again.
            child = settings.child_account_id
            gone = Mapping(child, task.entity_type, write.copy_id, task.entity_id)
            reason = f"main's copy {write.copy_id} is gone (1021): it is made again"
            return Outcome(
                task.id, RETRY, reason, write.item, answer, drop_mapping=gone,
                retry_in=STALE_COPY_RETRY_SECONDS,
            )  # fmt: skip
        return Outcome(task.id, FAILED, f"code {code}: {message}", write.item, answer)
    mapping = Mapping(settings.child_account_id, task.entity_type, answer["id"], task.entity_id)
    result = {k: answer.get(k) for k in ("id", "name", "sum", "applicable")}
    return Outcome(
        task.id, COMPLETED, request=write.item, result=result, mapping=mapping, applied_mode=LIVE
    )
