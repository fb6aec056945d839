"""Turn a request body into a verified Delivery — МойСклад's shape, the token's account."""

import hashlib

from receiver.errors import InvalidRequestId, InvalidShape, WrongAccount
from receiver.storable import load_storable
from store.logs import Delivery

ACTIONS = frozenset({"CREATE", "UPDATE", "DELETE", "PROCESSED"})
REQUEST_ID_LIMIT = 200  # characters of a requestId kept as the key (МойСклад's are UUIDs)
MAX_ID_CHARS = 255  # an entity id or type goes into an indexed column


def request_key(request_id: str | None, body: bytes) -> str:
    """МойСклад's requestId; without one, a key from the body so an identical re-send dedupes."""
    if not request_id:
        return "body-" + hashlib.sha256(body).hexdigest()
    if not request_id.isprintable():
        raw = request_id.encode("utf-8", "surrogatepass")
        raise InvalidRequestId(
            f"requestId {request_id[:60]!r} holds characters that are not printable",
            "bad-request-id-" + hashlib.sha256(raw + b"\0" + body).hexdigest(),
        )
    return request_id[:REQUEST_ID_LIMIT]


def _decode(body: bytes) -> dict:
    document = load_storable(body)
    if not isinstance(document, dict):
        raise InvalidShape("body must be a JSON object with an 'events' list")
    return document


def _check_event(index: int, event: object) -> tuple[str, str, str, str]:
    """(entity type, action, entity id, accountId) of one event, or InvalidShape saying what."""
    where = f"events[{index}]"
    if not isinstance(event, dict):
        raise InvalidShape(f"{where} must be an object")
    meta = event.get("meta")
    if not isinstance(meta, dict) or not isinstance(meta.get("type"), str) or not meta["type"]:
        raise InvalidShape(f"{where}.meta.type is missing")
    if len(meta["type"]) > MAX_ID_CHARS:
        raise InvalidShape(f"{where}.meta.type is longer than {MAX_ID_CHARS} characters")
    href = meta.get("href")
    if not isinstance(href, str) or "/" not in href:
        raise InvalidShape(f"{where}.meta.href is missing")
    entity_id = href.rstrip("/").rsplit("/", 1)[-1]
    if len(entity_id) > MAX_ID_CHARS:
        raise InvalidShape(f"{where}.meta.href's id is longer than {MAX_ID_CHARS} characters")
    action = event.get("action")
    if not isinstance(action, str) or action not in ACTIONS:
        raise InvalidShape(f"{where}.action must be one of {sorted(ACTIONS)}, got {action!r:.60}")
    account_id = event.get("accountId")
    if not isinstance(account_id, str):
        raise InvalidShape(f"{where}.accountId is missing")
    fields = event.get("updatedFields")
    if fields is not None and not (
        isinstance(fields, list) and all(isinstance(f, str) for f in fields)
    ):
        raise InvalidShape(f"{where}.updatedFields must be a list of field names")
    return meta["type"], action, entity_id, account_id


def parse_delivery(body: bytes, account_id: str, request_id: str) -> Delivery:
    """Validate the body for the token's account; raises a DeliveryRejected subclass."""
    document = _decode(body)
    events = document.get("events")
    if not isinstance(events, list) or not events:
        raise InvalidShape("'events' must be a non-empty list")
    checked = [_check_event(i, event) for i, event in enumerate(events)]
    foreign = sorted({acc for *_, acc in checked if acc.lower() != account_id})
    if foreign:
        named = ", ".join(repr(account[:60]) for account in foreign[:5])
        raise WrongAccount(f"events name account(s) {named}, but this URL belongs to {account_id}")
    return Delivery(
        request_id=request_id,
        account_id=account_id,
        entity_type=",".join(sorted({t for t, *_ in checked})),
        action=",".join(sorted({a for _, a, *_ in checked})),
        entity_ids=list(dict.fromkeys(entity_id for _, _, entity_id, _ in checked)),
        events_count=len(checked),
        body=body.decode("utf-8"),
    )
