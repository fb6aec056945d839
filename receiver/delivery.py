"""Turn a request body into a verified Delivery — МойСклад's shape, the token's account."""

import hashlib
import json
import re
from decimal import Decimal

from receiver.errors import InvalidRequestId, InvalidShape, NotJson, WrongAccount
from store.logs import Delivery

ACTIONS = frozenset({"CREATE", "UPDATE", "DELETE", "PROCESSED"})
REQUEST_ID_LIMIT = 200  # characters of a requestId kept as the key (МойСклад's are UUIDs)
# What PostgreSQL's jsonb (and reading it back) takes: МойСклад's bodies are a few levels deep
# and hold ordinary numbers; anything past these limits is refused before it reaches the insert.
MAX_NESTING_DEPTH = 64
MAX_NUMBER_CHARS = 400
MAX_NUMBER_EXPONENT = 308  # a double's range: read back, a larger number is no number at all
MIN_NUMBER_EXPONENT = -1000  # numeric keeps 16,383 digits after the point; stay far inside
MAX_ID_CHARS = 255  # an entity id or type goes into an indexed column
# jsonb refuses \u0000 and unpaired surrogates (paired ones decode to one character).
UNSTORABLE_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


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


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON")


def _checked_number(text: str) -> Decimal:
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"number {text[:20]}... is {len(text)} characters long")
    number = Decimal(text)
    if number and not MIN_NUMBER_EXPONENT <= number.adjusted() <= MAX_NUMBER_EXPONENT:
        raise ValueError(f"number {text[:40]} is out of range")
    return number


def _decode(body: bytes) -> dict:
    try:
        text = body.decode("utf-8")
        document = json.loads(
            text,
            parse_constant=_reject_constant,
            parse_float=_checked_number,
            parse_int=_checked_number,
        )
    except RecursionError as exc:
        raise InvalidShape(f"body is nested more than {MAX_NESTING_DEPTH} levels deep") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise NotJson(f"body is not JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise InvalidShape("body must be a JSON object with an 'events' list")
    # Valid UTF-8 holds no surrogate and JSON no raw NUL: only a \u escape can bring either.
    _check_storable(document, check_strings="\\u" in text)
    return document


def _check_storable(document: dict, check_strings: bool) -> None:
    """InvalidShape unless PostgreSQL's jsonb takes every string and the nesting depth."""
    pending = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_NESTING_DEPTH:
            raise InvalidShape(f"body is nested more than {MAX_NESTING_DEPTH} levels deep")
        if isinstance(value, dict):
            for key, item in value.items():
                if check_strings:
                    _check_string(key)
                pending.append((item, depth + 1))
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif check_strings and isinstance(value, str):
            _check_string(value)


def _check_string(value: str) -> None:
    found = UNSTORABLE_CHARACTERS.search(value)
    if found:
        raise InvalidShape(
            f"body holds the character U+{ord(found.group()):04X} (NUL or an unpaired"
            " surrogate), which PostgreSQL cannot store"
        )


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
