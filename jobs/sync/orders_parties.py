"""Who a child's order copy is between: the main account's organization (the child's setting,
or main's only one) and the franchisee as main's counterparty — the setting, or found by the
INN of the child's own organization, or created once with a syncId (md/dictionaries/
_counterparty.md — Создать Контрагента; md/_general.md — Назначение поля syncId)."""

from jobs.moysklad.client import MoySkladClient
from jobs.sync.orders_documents import agent_sync_id, href_key
from store.order_settings import OrderSettings, remember_order_agent


class OrderSetupError(Exception):
    """The copy cannot be made until an operator sets something (the message says what)."""


def main_organization(main: MoySkladClient, settings: OrderSettings) -> str:
    if settings.organization_id:
        return settings.organization_id
    rows = main.get("/entity/organization", {"limit": 2}).get("rows", [])
    if len(rows) != 1:
        raise OrderSetupError(
            f"the main account has {'no' if not rows else 'several'} organizations: set"
            f" order_organization_id in the sync settings of child {settings.child_account_id}"
        )
    return rows[0]["id"]


def franchisee(child: MoySkladClient, settings: OrderSettings, document: dict) -> dict:
    """Name and INN of the child's organization that made the order (the franchisee)."""
    key = href_key(document.get("organization"))
    organization = child.get(f"/entity/organization/{key[1]}") if key else {}
    name = organization.get("legalTitle") or organization.get("name") or settings.name
    return {"name": name, "inn": organization.get("inn")}


def agent_draft(settings: OrderSettings, party: dict) -> dict:
    """The counterparty to create in main for the franchisee (syncId: created once)."""
    body = {"name": party["name"], "syncId": agent_sync_id(settings.child_account_id)}
    if party.get("inn"):
        body["inn"] = party["inn"]
    return body


def find_agent(main: MoySkladClient, settings: OrderSettings, party: dict) -> str | None:
    """The counterparty of main with the franchisee's INN (or our syncId); None: none yet."""
    if settings.agent_id:
        return settings.agent_id
    rows = []
    if party.get("inn"):
        rows = main.get("/entity/counterparty", {"filter": f"inn={party['inn']}"}).get("rows", [])
    if len(rows) > 1:
        raise OrderSetupError(
            f"{len(rows)} counterparties of the main account have INN {party['inn']}: set"
            f" order_agent_id in the sync settings of child {settings.child_account_id}"
        )
    if not rows:
        sync_id = agent_sync_id(settings.child_account_id)
        rows = main.get("/entity/counterparty", {"filter": f"syncId={sync_id}"}).get("rows", [])
    if rows:
        remember_order_agent(settings.child_account_id, rows[0]["id"])
        return rows[0]["id"]
    return None


def create_agent(main: MoySkladClient, settings: OrderSettings, party: dict) -> str:
    created = main.post("/entity/counterparty", agent_draft(settings, party))
    remember_order_agent(settings.child_account_id, created["id"])
    return created["id"]
