"""Account changes made from the console: webhooks switch, child links and sync settings."""

import uuid
from datetime import UTC, datetime

from store.accounts import AccountError, ensure_sync_settings, get_account
from store.models import Account, ChildAccount, SyncSettings

# The columns of sync_settings an operator edits (mappings stay with the scripts).
EDITABLE_SYNC_SETTINGS = (
    "sync_products",
    "sync_services",
    "sync_variants",
    "sync_bundles",
    "sync_folders",
    "sync_prices",
    "product_filter",
    "match_field",
    "sync_customer_orders",
    "sync_retail_demands",
    "sync_purchase_orders",
    "self_heal",
    # issue 14: where the child's orders land in main, and verify's drift settings
    "order_organization_id",
    "order_store_id",
    "order_state_id",
    "order_project_id",
    "order_agent_id",
    "drift_alert_threshold",
    "verify_repair",
    "owned_price_types",
    "owned_attributes",
    "owned_fields",
)
# Ids of the main account's objects (empty: unset).
ORDER_TARGET_SETTINGS = (
    "order_organization_id",
    "order_store_id",
    "order_state_id",
    "order_project_id",
    "order_agent_id",
)
MATCH_FIELDS = ("code", "article", "externalCode", "name")
# Ownership (0014_d): lists of names the child sets itself; the sync executor never sends them.
OWNERSHIP_SETTINGS = ("owned_price_types", "owned_attributes", "owned_fields")
# The standard fields a child may own: what the sync executor copies from main.
OWNABLE_FIELDS = frozenset(
    {"name", "description", "code", "article", "externalCode", "weight", "volume", "vat"}
    | {"vatEnabled", "useParentVat", "archived", "barcodes", "minimumBalance", "minimumStock"}
    | {"paymentItemType", "trackingType", "tnved", "ppeType", "partialDisposal", "weighed"}
    | {"isSerialTrackable", "discountProhibited", "taxSystem", "salePrices", "buyPrice"}
    | {"minPrice", "attributes", "productFolder", "uom", "country", "packs", "alcoholic"}
    | {"overhead"}
)


def set_webhooks_enabled(account_id: str, enabled: bool) -> bool:
    """Switch the account's webhooks on or off; True when it changed."""
    account = _existing(account_id)
    return bool(
        Account.update(webhooks_enabled=enabled, updated_at=datetime.now(UTC))
        .where((Account.id == account.id) & (Account.webhooks_enabled != enabled))
        .execute()
    )


def list_children(parent_id: str) -> list[dict]:
    """The parent's child links (active and inactive) with the child's name and type."""
    query = (
        ChildAccount.select(
            ChildAccount.child.alias("child_id"),
            Account.name,
            Account.account_type,
            ChildAccount.status,
            ChildAccount.inactive_reason,
            ChildAccount.inactive_since,
        )
        .join(Account, on=(ChildAccount.child == Account.id))
        .where(ChildAccount.parent == _existing(parent_id).id)
        .order_by(ChildAccount.status, Account.name)
    )
    return list(query.dicts())


def get_sync_settings(child_id: str) -> dict:
    """The child's editable sync settings (defaults are created when missing)."""
    account = _existing(child_id)
    ensure_sync_settings(account.id)
    columns = [getattr(SyncSettings, name) for name in EDITABLE_SYNC_SETTINGS]
    return (
        SyncSettings.select(*columns).where(SyncSettings.child_account == account.id).dicts().get()
    )


def update_sync_settings(child_id: str, values: dict) -> dict:
    """Save the given editable settings of a child; the settings as saved."""
    unknown = set(values) - set(EDITABLE_SYNC_SETTINGS)
    if unknown:
        raise AccountError(f"not editable sync settings: {sorted(unknown)}")
    if "match_field" in values and values["match_field"] not in MATCH_FIELDS:
        raise AccountError(f"match_field must be one of {MATCH_FIELDS}")
    values = _order_targets(values)
    threshold = values.get("drift_alert_threshold", 0)
    if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 0:
        raise AccountError("drift_alert_threshold must be a whole number ≥ 0")
    values = {**values, **{k: _names(k, v) for k, v in values.items() if k in OWNERSHIP_SETTINGS}}
    account = _existing(child_id)
    if account.account_type != "child":
        raise AccountError(f"{account.id} is not a child account")
    ensure_sync_settings(account.id)
    SyncSettings.update(**values, updated_at=datetime.now(UTC)).where(
        SyncSettings.child_account == account.id
    ).execute()
    return get_sync_settings(str(account.id))


def _order_targets(values: dict) -> dict:
    """Order target ids as uuids ("" or None: unset); a malformed one is refused by name."""
    checked = dict(values)
    for name in ORDER_TARGET_SETTINGS:
        if name not in checked:
            continue
        value = checked[name]
        if value in (None, ""):
            checked[name] = None
            continue
        try:
            checked[name] = str(uuid.UUID(str(value).strip()))
        except ValueError:
            raise AccountError(f"{name} must be a МойСклад id (uuid), got {value!r}") from None
    return checked


def _names(setting: str, value) -> list[str]:
    """An ownership list: distinct non-empty names (standard field names for owned_fields)."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AccountError(f"{setting} must be a list of names")
    names = list(dict.fromkeys(v.strip() for v in value if v.strip()))
    if setting == "owned_fields":
        unknown = sorted(set(names) - OWNABLE_FIELDS)
        if unknown:
            raise AccountError(f"owned_fields: not fields the sync copies: {unknown}")
    return names


def _existing(account_id: str) -> Account:
    account = get_account(account_id)
    if account is None:
        raise AccountError(f"unknown account: {account_id}")
    return account


def parent_id_of(child_id: str) -> str | None:
    """The main account a child is linked to (its active link first), or None."""
    link = (
        ChildAccount.select(ChildAccount.parent)
        .where(ChildAccount.child == child_id)
        .order_by(ChildAccount.status)  # "active" sorts before "inactive"
        .first()
    )
    return str(link.parent_id) if link else None
