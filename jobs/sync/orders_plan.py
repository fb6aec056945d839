"""Deciding what each claimed order task writes into main: a create, an update, an unposting —
or why it waits or is pointless. Reads are batched per order type (≤ 100 ids per GET)."""

from dataclasses import dataclass

from jobs.moysklad.client import MoySkladClient
from jobs.sync import orders_documents as docs
from jobs.sync.outcomes import CANCELLED, WAIT, Outcome
from store.order_mappings import main_ids_of, order_copies
from store.order_settings import OrderSettings
from store.order_waivers import waived_positions

UNMAPPED_WAIT_SECONDS = 300.0  # a position without mapping: look again in 5 minutes
LOOKUP_BATCH = 100


@dataclass
class OrderWrite:
    """One item of the bulk POST to main's customerorder (a create carries its syncId)."""

    task: docs.OrderTask
    item: dict
    copy_id: str | None  # main's copy already known: an update
    document: dict | None = None  # the child's order (creates need its organization)

    @property
    def creates(self) -> bool:
        return self.copy_id is None


class ChildOrders:
    def __init__(self, main: MoySkladClient, child: MoySkladClient, settings: OrderSettings):
        self.main, self.child, self.settings = main, child, settings
        self._main_states: dict[str, str] | None = None

    def decide(self, tasks: list[docs.OrderTask], outcomes: dict) -> list[OrderWrite]:
        writes = []
        for order_type in docs.ORDER_TYPES:
            of_type = [t for t in tasks if t.entity_type == order_type]
            if of_type:
                writes += self._decide_type(order_type, of_type, outcomes)
        return writes

    def _decide_type(self, order_type: str, tasks: list[docs.OrderTask], outcomes: dict) -> list:
        child_id = self.settings.child_account_id
        ids = [t.entity_id for t in tasks]
        read = [t.entity_id for t in tasks if t.operation != "archive"]
        found = self.child.get_entities(order_type, read, expand="positions") if read else []
        documents = {d["id"]: d for d in found}
        copies = order_copies(child_id, order_type, ids)
        unknown = [docs.order_sync_id(child_id, order_type, i) for i in ids if i not in copies]
        by_sync_id = self._copies_by_sync_id(unknown)
        waived = waived_positions(child_id, order_type, list(documents))
        assortments = set().union(*(docs.assortments_of(d) for d in documents.values()))
        main_ids = main_ids_of(child_id, assortments)
        child_states = self._child_states(order_type, documents.values())
        writes = []
        for task in tasks:
            sync_id = docs.order_sync_id(child_id, order_type, task.entity_id)
            copy_id = copies.get(task.entity_id) or by_sync_id.get(sync_id)
            document = documents.get(task.entity_id)
            context = (waived.get(task.entity_id, set()), main_ids, child_states)
            write = self._decide(task, document, copy_id, sync_id, context, outcomes)
            if write is not None:
                writes.append(write)
        return writes

    def _decide(self, task, document, copy_id, sync_id, context, outcomes):
        what = f"{task.entity_type} {task.entity_id}"
        api_url = self.main.api_url
        if task.operation == "archive" or document is None:
            if copy_id is None:
                reason = f"{what} is deleted in the child and was never copied to main"
                outcomes[task.id] = Outcome(task.id, CANCELLED, reason)
                return None
            meta = docs.reference(api_url, docs.MAIN_ORDER_TYPE, copy_id)["meta"]
            return OrderWrite(task, {"meta": meta, "applicable": False}, copy_id)
        if document.get("applicable") is False and copy_id is None:
            reason = f"{what} is not posted in the child: it is copied once posted"
            outcomes[task.id] = Outcome(task.id, CANCELLED, reason)
            return None
        waived, main_ids, child_states = context
        positions, unmapped = docs.main_positions(document, main_ids, waived, api_url)
        if unmapped:
            outcomes[task.id] = Outcome(
                task.id,
                WAIT,
                docs.unmapped_reason(unmapped),
                result={"unmapped": [u.as_dict() for u in unmapped]},
                retry_in=UNMAPPED_WAIT_SECONDS,
            )
            return None
        item = docs.copy_fields(document) | {"positions": positions}
        item["description"] = self._description(task, document)
        state = self._state(document, child_states)
        if copy_id is not None:
            meta = docs.reference(api_url, docs.MAIN_ORDER_TYPE, copy_id)["meta"]
            return OrderWrite(task, {"meta": meta} | item | state, copy_id, document)
        item = {"syncId": sync_id} | item | (state or self._default_state())
        for field, value in (("store", self.settings.store_id),):
            if value:
                item[field] = docs.reference(api_url, field, value)
        if self.settings.project_id:
            item["project"] = docs.reference(api_url, "project", self.settings.project_id)
        if document.get("moment"):
            item["moment"] = document["moment"]
        return OrderWrite(task, item, None, document)

    def _description(self, task: docs.OrderTask, document: dict) -> str:
        label = f"{self.settings.name}: {task.entity_type} № {document.get('name', '')}"
        own = document.get("description")
        return f"{label}\n{own}" if own else label

    def _copies_by_sync_id(self, sync_ids: list[str]) -> dict[str, str]:
        """{syncId: main order id} of copies made before their mapping was recorded."""
        found = {}
        for start in range(0, len(sync_ids), LOOKUP_BATCH):
            batch = sync_ids[start : start + LOOKUP_BATCH]
            params = {"filter": ";".join(f"syncId={s}" for s in batch), "limit": LOOKUP_BATCH}
            for row in self.main.get(f"/entity/{docs.MAIN_ORDER_TYPE}", params).get("rows", []):
                found[row.get("syncId")] = row["id"]
        return found

    def _child_states(self, order_type: str, documents) -> dict[str, str]:
        """{state id: name} of the child's states of this type (only read when one is used)."""
        if not any(d.get("state") for d in documents):
            return {}
        states = self.child.get(f"/entity/{order_type}/metadata").get("states", [])
        return {s["id"]: s["name"] for s in states}

    def _state(self, document: dict, child_states: dict[str, str]) -> dict:
        """Main's state named like the child order's, when main has one."""
        key = docs.href_key(document.get("state"))
        name = child_states.get(key[1]) if key else None
        if name is None:
            return {}
        if self._main_states is None:
            metadata = self.main.get(f"/entity/{docs.MAIN_ORDER_TYPE}/metadata")
            self._main_states = {s["name"]: s["id"] for s in metadata.get("states", [])}
        state_id = self._main_states.get(name)
        return {"state": docs.state_reference(self.main.api_url, state_id)} if state_id else {}

    def _default_state(self) -> dict:
        if not self.settings.state_id:
            return {}
        return {"state": docs.state_reference(self.main.api_url, self.settings.state_id)}
