"""What applying a child's orders needs from our database: the link, the child's order
settings and sync mode, and the franchisee's counterparty in main once it is known."""

from dataclasses import dataclass
from datetime import UTC, datetime

from store.db import database
from store.models import SyncSettings

_SQL = """
SELECT a.name, a.status, a.sync_mode, p.sync_mode, l.parent_id::text, l.status,
       s.sync_customer_orders, s.sync_retail_demands, s.sync_purchase_orders,
       s.order_organization_id::text, s.order_store_id::text, s.order_state_id::text,
       s.order_project_id::text, s.order_agent_id::text
  FROM accounts a
  LEFT JOIN child_accounts l ON l.child_id = a.id
  LEFT JOIN accounts p ON p.id = l.parent_id
  LEFT JOIN sync_settings s ON s.child_account_id = a.id
 WHERE a.id = %s
"""
SWITCHES = {
    "customerorder": "sync_customer_orders",
    "retaildemand": "sync_retail_demands",
    "purchaseorder": "sync_purchase_orders",
}


@dataclass(frozen=True)
class OrderSettings:
    """A copy is written only when both the child and its main account are `live`."""

    child_account_id: str
    name: str
    account_status: str
    sync_mode: str  # the child's
    main_sync_mode: str | None  # its main account's
    parent_id: str | None
    link_status: str | None
    switches: dict
    organization_id: str | None
    store_id: str | None
    state_id: str | None
    project_id: str | None
    agent_id: str | None


def order_settings(child_account_id: str) -> OrderSettings | None:
    """The child's order settings (defaults when it has no settings row); None: no account."""
    row = database.execute_sql(_SQL, (child_account_id,)).fetchone()
    if row is None:
        return None
    name, status, mode, main_mode, parent, link, *rest = row
    switches = {
        kind: (True if value is None else value)
        for kind, value in zip(SWITCHES, rest[:3], strict=True)
    }
    return OrderSettings(
        child_account_id, name, status, mode, main_mode, parent, link, switches, *rest[3:]
    )


def remember_order_agent(child_account_id: str, agent_id: str) -> None:
    """Keep the franchisee's counterparty in main, found or created, for the next orders."""
    SyncSettings.update(order_agent_id=agent_id, updated_at=datetime.now(UTC)).where(
        (SyncSettings.child_account == child_account_id) & SyncSettings.order_agent_id.is_null()
    ).execute()


def drift_settings(child_account_id: str) -> tuple[int, bool]:
    """(drift_alert_threshold, verify_repair) of a child (defaults without a settings row)."""
    row = database.execute_sql(
        "SELECT drift_alert_threshold, verify_repair FROM sync_settings"
        " WHERE child_account_id = %s",
        (child_account_id,),
    ).fetchone()
    return (row[0], row[1]) if row else (10, False)


def verified_children() -> list[tuple[str, bool]]:
    """(child id, verify_repair) of every syncing child (active, sync mode live or shadow) of
    an active main account; a child switched off is left as it is."""
    rows = database.execute_sql(
        "SELECT l.child_id::text, COALESCE(s.verify_repair, false) FROM child_accounts l"
        " JOIN accounts c ON c.id = l.child_id JOIN accounts p ON p.id = l.parent_id"
        " LEFT JOIN sync_settings s ON s.child_account_id = l.child_id"
        " WHERE l.status = 'active' AND c.status = 'active' AND p.status = 'active'"
        " AND c.sync_mode IN ('live', 'shadow') ORDER BY l.child_id"
    ).fetchall()
    return [(child, repair) for child, repair in rows]
