"""Turn a request body into a verified Delivery — МойСклад's shape, the token's account."""

import hashlib
import json

from receiver.errors import InvalidShape, NotJson, WrongAccount
from store.logs import Delivery

ACTIONS = frozenset({"CREATE", "UPDATE", "DELETE", "PROCESSED"})


def request_key(request_id: str | None, body: bytes) -> str:
    """МойСклад's requestId; without one, a key from the body so an identical re-send dedupes."""
    if request_id:
        return request_id[:200]
    return "body-" + hashlib.sha256(body).hexdigest()


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON")


def _decode(body: bytes) -> dict:
    try:
        text = body.decode("utf-8")
        document = json.loads(text, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise NotJson(f"body is not JSON: {exc}") from exc
    if "\\u0000" in text:
        raise InvalidShape("body contains a NUL character (\\u0000), which cannot be stored")
    if not isinstance(document, dict):
        raise InvalidShape("body must be a JSON object with an 'events' list")
    return document


def _check_event(index: int, event: object) -> tuple[str, str, str, str]:
    """(entity type, action, entity id, accountId) of one event, or InvalidShape saying what."""
    where = f"events[{index}]"
    if not isinstance(event, dict):
        raise InvalidShape(f"{where} must be an object")
    meta = event.get("meta")
    if not isinstance(meta, dict) or not isinstance(meta.get("type"), str):
        raise InvalidShape(f"{where}.meta.type is missing")
    href = meta.get("href")
    if not isinstance(href, str) or "/" not in href:
        raise InvalidShape(f"{where}.meta.href is missing")
    action = event.get("action")
    if action not in ACTIONS:
        raise InvalidShape(f"{where}.action must be one of {sorted(ACTIONS)}, got {action!r}")
    account_id = event.get("accountId")
    if not isinstance(account_id, str):
        raise InvalidShape(f"{where}.accountId is missing")
    fields = event.get("updatedFields")
    if fields is not None and not (
        isinstance(fields, list) and all(isinstance(f, str) for f in fields)
    ):
        raise InvalidShape(f"{where}.updatedFields must be a list of field names")
    return meta["type"], action, href.rstrip("/").rsplit("/", 1)[-1], account_id


def parse_delivery(body: bytes, account_id: str, request_id: str) -> Delivery:
    """Validate the body for the token's account; raises a DeliveryRejected subclass."""
    document = _decode(body)
    events = document.get("events")
    if not isinstance(events, list) or not events:
        raise InvalidShape("'events' must be a non-empty list")
    checked = [_check_event(i, event) for i, event in enumerate(events)]
    foreign = sorted({acc for *_, acc in checked if acc.lower() != account_id})
    if foreign:
        raise WrongAccount(
            f"events name account(s) {', '.join(foreign)}, but this URL belongs to {account_id}"
        )
    return Delivery(
        request_id=request_id,
        account_id=account_id,
        entity_type=",".join(sorted({t for t, *_ in checked})),
        action=",".join(sorted({a for _, a, *_ in checked})),
        entity_ids=list(dict.fromkeys(entity_id for _, _, entity_id, _ in checked)),
        events_count=len(checked),
        body=body.decode("utf-8"),
    )
