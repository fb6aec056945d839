"""A franchise (main + children) in the real database and deliveries about its entities."""

import json
import uuid
from dataclasses import dataclass

from store.accounts import add_account, link_child
from store.logs import Delivery, record_delivery
from store.models import SyncSettings

HREF = "https://api.moysklad.ru/api/remap/1.2/entity/{}/{}"


@dataclass(frozen=True)
class Franchise:
    main: str
    children: list[str]


def make_franchise(secret: str, children: int = 3, token_prefix: str = "token") -> Franchise:
    main = str(uuid.uuid4())
    add_account(main, "Main", f"{token_prefix}-main", "main", secret)
    child_ids = []
    for number in range(children):
        child = str(uuid.uuid4())
        add_account(child, f"Child {number}", f"{token_prefix}-child-{number}", "child", secret)
        link_child(main, child)
        child_ids.append(child)
    return Franchise(main, child_ids)


def set_child_settings(child_id: str, **values) -> None:
    SyncSettings.update(**values).where(SyncSettings.child_account == child_id).execute()


def event(account_id: str, entity_type: str, entity_id: str, action: str, fields=None) -> dict:
    body = {
        "meta": {"type": entity_type, "href": HREF.format(entity_type, entity_id)},
        "action": action,
        "accountId": account_id,
    }
    if fields is not None:
        body["updatedFields"] = list(fields)
    return body


def deliver(account_id: str, events: list[dict], request_id: str | None = None) -> int:
    """Store a delivery as the receiver would; its log id."""
    body = json.dumps({"events": events})
    log_id = record_delivery(
        Delivery(
            request_id=request_id or str(uuid.uuid4()),
            account_id=account_id,
            entity_type=",".join(sorted({e["meta"]["type"] for e in events})),
            action=",".join(sorted({e["action"] for e in events})),
            entity_ids=[e["meta"]["href"].rsplit("/", 1)[-1] for e in events],
            events_count=len(events),
            body=body,
        ),
        receive_ms=1.0,
    )
    assert log_id is not None
    return log_id


def new_id() -> str:
    return str(uuid.uuid4())
