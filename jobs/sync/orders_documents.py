"""A child's order as the main account's customerorder: positions translated through the
reverse mappings, the fields a copy carries, and the syncId that makes its create idempotent.

md/documents/_customerOrder.md — Атрибуты сущности, Позиции Заказа покупателя (assortment,
quantity, price in kopecks, discount, vat, vatEnabled; `positions` sent whole replaces them all);
md/_general.md — Назначение поля syncId."""

import uuid
from dataclasses import dataclass
from typing import Protocol

ORDER_TYPES = ("customerorder", "retaildemand", "purchaseorder")
ASSORTMENT_TYPES = ("product", "variant", "service", "bundle")
MAIN_ORDER_TYPE = "customerorder"
# Fixed for ever: the syncId of a child order's copy must never change (1047).
ORDER_SYNC_NAMESPACE = uuid.UUID("6f1d3c52-7a4e-4b8e-9a51-2c0d14f0e514")
AGENT_SYNC_NAMESPACE = uuid.UUID("0b7e61a4-52a9-4c1e-8f0a-94d2b7c51e14")
POSITION_FIELDS = ("quantity", "price", "discount", "vat", "vatEnabled")
# What a later change of the child's order updates in the copy.
COPIED_FIELDS = ("applicable", "vatEnabled", "vatIncluded", "description")


class OrderTask(Protocol):
    """A claimed order task (store.sync_tasks.ClaimedTask, or a sync_queue row)."""

    id: int
    source_account_id: str
    entity_type: str
    entity_id: str
    operation: str


@dataclass(frozen=True)
class Unmapped:
    """A position of the child's order whose assortment has no main entity."""

    assortment_type: str
    assortment_id: str
    quantity: float

    def as_dict(self) -> dict:
        return {"type": self.assortment_type, "id": self.assortment_id, "quantity": self.quantity}


def order_sync_id(child_account_id: str, order_type: str, order_id: str) -> str:
    """The copy's syncId: the same child order always names the same main order."""
    return str(uuid.uuid5(ORDER_SYNC_NAMESPACE, f"{child_account_id}/{order_type}/{order_id}"))


def agent_sync_id(child_account_id: str) -> str:
    """The syncId of the franchisee's counterparty in main: created once per child."""
    return str(uuid.uuid5(AGENT_SYNC_NAMESPACE, child_account_id))


def href_key(reference: dict | None) -> tuple[str, str] | None:
    """(type, id) a `{meta}` reference points to."""
    href = ((reference or {}).get("meta") or {}).get("href")
    if not isinstance(href, str):
        return None
    parts = href.split("?")[0].rstrip("/").split("/")
    kind = (reference["meta"].get("type") or parts[-2]).lower()
    return kind, parts[-1]


def positions_of(document: dict) -> list[dict]:
    """The positions inline (a list) or expanded (`{"meta", "rows"}`)."""
    positions = document.get("positions") or []
    return positions.get("rows", []) if isinstance(positions, dict) else list(positions)


def assortments_of(document: dict) -> set[tuple[str, str]]:
    found = {href_key(p.get("assortment")) for p in positions_of(document)}
    return {key for key in found if key is not None}


def reference(api_url: str, entity_type: str, entity_id: str, href_type: str | None = None):
    href = f"{api_url}/entity/{href_type or entity_type}/{entity_id}"
    return {"meta": {"href": href, "type": entity_type, "mediaType": "application/json"}}


def state_reference(api_url: str, state_id: str) -> dict:
    href = f"{api_url}/entity/{MAIN_ORDER_TYPE}/metadata/states/{state_id}"
    return {"meta": {"href": href, "type": "state", "mediaType": "application/json"}}


def main_positions(
    document: dict, main_ids: dict, waived: set[tuple[str, str]], api_url: str
) -> tuple[list[dict], list[Unmapped]]:
    """(the copy's positions, the positions that cannot be translated and are not waived)."""
    positions, unmapped = [], []
    for position in positions_of(document):
        key = href_key(position.get("assortment"))
        if key is None or key in waived:
            continue
        main_id = main_ids.get(key)
        if main_id is None:
            unmapped.append(Unmapped(key[0], key[1], position.get("quantity", 0)))
            continue
        copied = {name: position[name] for name in POSITION_FIELDS if name in position}
        positions.append({"assortment": reference(api_url, key[0], main_id)} | copied)
    return positions, unmapped


def unmapped_reason(unmapped: list[Unmapped]) -> str:
    names = ", ".join(f"{u.assortment_type} {u.assortment_id}" for u in unmapped[:5])
    more = f" and {len(unmapped) - 5} more" if len(unmapped) > 5 else ""
    return (
        f"{len(unmapped)} position(s) have no main entity (no mapping): {names}{more}; the order"
        " waits until they are mapped, or an operator sends it without them"
    )


def copy_fields(document: dict) -> dict:
    return {name: document[name] for name in COPIED_FIELDS if name in document}
