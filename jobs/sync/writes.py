"""Sending a round's plans: bulk POSTs of ≤ 100 items (creates and updates mixed), each answer
item settling its own task; in shadow mode the request is recorded and nothing is sent.

An item's error settles only its task: 1021 on an update (the child deleted its copy) drops the
mapping and creates the entity again in a second bulk POST; a reference МойСклад refuses makes
the cached dictionaries be read again and the task retried; any other error fails the task
with МойСклад's code and message. A whole request that cannot be sent (429s or 5xx through the
client's own retries) retries every task of it later, with backoff.
"""

from jobs.moysklad import MoySkladRateLimited, MoySkladRequestError, MoySkladUnavailable
from jobs.sync import defaults
from jobs.sync.goods import Plan, mapping_of
from jobs.sync.outcomes import COMPLETED, FAILED, RETRY, Mapping, Outcome
from jobs.sync.references import REFERENCE_ERROR_CODES
from jobs.sync.run import ChildRun
from jobs.sync.sync_ids import SYNC_ID_TYPES, sync_id

NOT_FOUND = 1021


def shadow_outcomes(entity_type: str, plans: list[Plan]) -> list[Outcome]:
    """Shadow mode: each task completes with the exact item it would send."""
    return [
        Outcome(plan.task.id, COMPLETED, request=_request(entity_type, plan), result=None)
        for plan in plans
    ]


def write_plans(run: ChildRun, entity_type: str, plans: list[Plan]) -> list[Outcome]:
    """Live mode: send the plans in bulk; one outcome per plan."""
    outcomes: list[Outcome] = []
    recreate: list[Plan] = []
    for start in range(0, len(plans), defaults.WRITE_BATCH):
        chunk = plans[start : start + defaults.WRITE_BATCH]
        answers = _post(run, entity_type, chunk)
        if isinstance(answers, Outcome):
            outcomes += [_again(plan, answers) for plan in chunk]
            continue
        for plan, answer in zip(chunk, answers, strict=True):
            code = _first_code(answer)
            if code == NOT_FOUND and plan.kind in ("update", "link"):
                recreate.append(_as_create(run, entity_type, plan))
            else:
                outcomes.append(_settled(run, entity_type, plan, answer, code))
    if recreate:
        outcomes += write_plans(run, entity_type, recreate)
    return outcomes


def _post(run: ChildRun, entity_type: str, chunk: list[Plan]) -> list | Outcome:
    """The answer items, or an Outcome template for every task when the request failed."""
    try:
        answers = run.child_client.post(f"/entity/{entity_type}", [p.item for p in chunk])
    except MoySkladRateLimited as error:
        return Outcome(0, RETRY, error=str(error), retry_in=defaults.RATE_LIMITED_RETRY)
    except MoySkladUnavailable as error:
        return Outcome(0, RETRY, error=str(error), retry_in=None)
    except MoySkladRequestError as error:
        return Outcome(0, FAILED, error=f"МойСклад code {error.code}: {error.message}")
    if not isinstance(answers, list) or len(answers) != len(chunk):
        return Outcome(0, RETRY, error=f"bulk answer of {len(chunk)} items was {answers!r:.200}")
    return answers


def _again(plan: Plan, template: Outcome) -> Outcome:
    retry_in = template.retry_in
    if template.status == RETRY and retry_in is None:
        attempt = max(plan.task.attempts, 1)
        retry_in = min(
            defaults.UNAVAILABLE_RETRY_BASE * 2 ** (attempt - 1), defaults.UNAVAILABLE_RETRY_MAX
        )
    return Outcome(
        plan.task.id,
        template.status,
        error=template.error,
        request=_request(plan.task.entity_type, plan),
        retry_in=retry_in if template.status == RETRY else None,
    )


def _settled(run: ChildRun, entity_type: str, plan: Plan, answer: dict, code) -> Outcome:
    request = _request(entity_type, plan)
    drop = plan.extra.get("drop")
    if code is None and isinstance(answer, dict) and answer.get("id"):
        if plan.kind == "create":
            run.catalogue(entity_type).added(answer)
        return Outcome(
            plan.task.id,
            COMPLETED,
            request=request,
            result=_result(answer, plan),
            mapping=mapping_of(run, plan, answer["id"]),
            drop_mapping=drop,
        )
    errors = answer.get("errors") if isinstance(answer, dict) else None
    first = (errors or [{}])[0]
    reason = f"МойСклад code {first.get('code')}: {first.get('error') or answer!r:.300}"
    if code in REFERENCE_ERROR_CODES:
        run.forget_references()
        return Outcome(
            plan.task.id,
            RETRY,
            error=f"{reason} (a cached reference is gone: read again)",
            request=request,
            result={"errors": errors},
            retry_in=defaults.REFERENCE_GONE_RETRY,
        )
    if code == NOT_FOUND and plan.kind == "archive":
        # The child deleted its copy already: nothing is left to archive.
        return Outcome(
            plan.task.id,
            COMPLETED,
            request=request,
            result={"note": "the child's copy was already deleted", "errors": errors},
            drop_mapping=mapping_of(run, plan, plan.child_id),
        )
    return Outcome(plan.task.id, FAILED, error=reason, request=request, result={"errors": errors})


def _as_create(run: ChildRun, entity_type: str, plan: Plan) -> Plan:
    """An update whose copy is gone (1021) becomes a create replacing it, the mapping dropped."""
    item = {k: v for k, v in plan.item.items() if k != "meta"}
    if entity_type in SYNC_ID_TYPES:
        item["syncId"] = sync_id(
            run.main_id, run.child_id, entity_type, plan.task.entity_id, plan.child_id
        )
    drop = Mapping(run.child_id, entity_type, plan.task.entity_id, plan.child_id)
    note = f"the child's copy {plan.child_id} was gone (1021): created again"
    return Plan(plan.task, item, "create", replacing=plan.child_id, note=note, extra={"drop": drop})


def _request(entity_type: str, plan: Plan) -> dict:
    request = {"method": "POST", "path": f"/entity/{entity_type}", "kind": plan.kind}
    request["item"] = plan.item
    if plan.note:
        request["note"] = plan.note
    return request


def _result(answer: dict, plan: Plan) -> dict:
    result = {name: answer[name] for name in defaults.RESULT_FIELDS if name in answer}
    if plan.note:
        result["note"] = plan.note
    return result


def _first_code(answer) -> int | None:
    if isinstance(answer, dict) and answer.get("errors"):
        return (answer["errors"][0] or {}).get("code")
    return None
