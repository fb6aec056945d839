"""Who a change goes to: a main account's active children and a child's link to its parent."""

from dataclasses import dataclass

from store.db import database

# sync_settings column that switches each synced type on, per entity type of МойСклад.
SYNC_SWITCHES = {
    "product": "sync_products",
    "service": "sync_services",
    "variant": "sync_variants",
    "bundle": "sync_bundles",
    "productfolder": "sync_folders",
    "customerorder": "sync_customer_orders",
    "retaildemand": "sync_retail_demands",
    "purchaseorder": "sync_purchase_orders",
}

_SETTINGS_COLUMNS = (
    "s.child_account_id, s.sync_products, s.sync_services, s.sync_variants, s.sync_bundles,"
    " s.sync_folders, s.sync_prices, s.product_filter, s.match_field, s.price_mappings,"
    " s.attribute_mappings, s.sync_customer_orders, s.sync_retail_demands,"
    " s.sync_purchase_orders, s.self_heal"
)
SETTING_NAMES = (
    "sync_products",
    "sync_services",
    "sync_variants",
    "sync_bundles",
    "sync_folders",
    "sync_prices",
    "product_filter",
    "match_field",
    "price_mappings",
    "attribute_mappings",
    "sync_customer_orders",
    "sync_retail_demands",
    "sync_purchase_orders",
    "self_heal",
)


# The accounts.sync_mode values whose tasks the sync executor applies (of an active account).
SYNCING_MODES = ("live", "shadow")

# A linked child: link state, account state, sync mode, settings (store: _child).
_CHILD_COLUMNS = (
    "c.child_id::text, c.status, c.inactive_reason, a.status, a.webhooks_enabled, a.sync_mode, "
    + _SETTINGS_COLUMNS
)
_CHILDREN_JOIN = (
    "child_accounts c JOIN accounts a ON a.id = c.child_id"
    " LEFT JOIN sync_settings s ON s.child_account_id = c.child_id"
)

# The column defaults of sync_settings (0001_initial.sql), for a child that has no row yet.
DEFAULT_SETTINGS = {name: True for name in SETTING_NAMES} | {
    "product_filter": None,
    "match_field": "code",
    "price_mappings": [],
    "attribute_mappings": [],
}


@dataclass(frozen=True)
class ChildTarget:
    """A child account linked to a main one, with its sync settings (defaults when missing)."""

    child_id: str
    link_status: str
    inactive_reason: str | None
    account_status: str
    settings: dict
    webhooks_enabled: bool = True
    sync_mode: str | None = None

    @property
    def applies_tasks(self) -> bool:
        """Whether the sync executor applies its tasks (as store.sync_tasks.syncing_targets)."""
        return self.sync_mode in SYNCING_MODES and self.account_status == "active"

    @property
    def active(self) -> bool:
        return self.skip_reason is None

    @property
    def skip_reason(self) -> str | None:
        """Why the child gets nothing at all (None: it is a target)."""
        if self.link_status != "active":
            return f"link inactive ({self.inactive_reason or '-'})"
        if self.account_status != "active":
            return f"account {self.account_status}"
        if not self.webhooks_enabled:
            return "webhooks switched off"
        return None

    def syncs(self, entity_type: str) -> bool:
        switch = SYNC_SWITCHES.get(entity_type)
        return switch is not None and bool(self.settings[switch])


@dataclass(frozen=True)
class MappedRead:
    """store.mappings.mapped_entities of some main entities of one type, read with the children."""

    entity_type: str
    main_entity_ids: frozenset[str]
    pairs: frozenset[tuple[str, str]]  # (child account id, main entity id) that have a mapping

    def answers(self, entity_type: str, main_entity_ids: list[str]) -> bool:
        return entity_type == self.entity_type and self.main_entity_ids.issuperset(main_entity_ids)

    def of(self, child_account_ids: list[str]) -> set[tuple[str, str]]:
        return {pair for pair in self.pairs if pair[0] in set(child_account_ids)}


@dataclass(frozen=True)
class SourceAccount:
    id: str
    account_type: str | None
    status: str
    webhooks_enabled: bool
    children: tuple[ChildTarget, ...] | None = None  # None: not read (children_of reads them)
    mapped: MappedRead | None = None


@dataclass(frozen=True)
class ParentLink:
    parent_id: str
    parent_status: str
    link_status: str
    inactive_reason: str | None
    settings: dict


def get_source_account(
    account_id: str, with_children: bool = False, mapped_of: tuple[str, list[str]] | None = None
) -> SourceAccount | None:
    """The account; `with_children`: a main account's children (children_of) read along in the
    same statement (processing reads both for every delivery), and with `mapped_of` (entity
    type, main entity ids) which children have which of those entities (MappedRead)."""
    if not with_children:
        row = database.execute_sql(
            "SELECT id::text, account_type, status, webhooks_enabled FROM accounts WHERE id = %s",
            (account_id,),
        ).fetchone()
        return SourceAccount(*row) if row else None
    entity_type, ids = mapped_of or (None, [])
    rows = database.execute_sql(
        "SELECT m.id::text, m.account_type, m.status, m.webhooks_enabled,"
        " ARRAY(SELECT e.main_entity_id::text FROM entity_mappings e"
        "  WHERE e.child_account_id = c.child_id AND e.entity_type = %s"
        "  AND e.main_entity_id = ANY(%s::uuid[])), "
        + _CHILD_COLUMNS
        + " FROM accounts m LEFT JOIN ("
        + _CHILDREN_JOIN
        + ") ON c.parent_id = m.id AND m.account_type = 'main' WHERE m.id = %s ORDER BY c.child_id",
        (entity_type, list(ids), account_id),
    ).fetchall()
    if not rows:
        return None
    children = tuple(_child(row[5:]) for row in rows if row[5] is not None)
    mapped = None
    if mapped_of is not None:
        pairs = frozenset(
            (row[5], main_id) for row in rows if row[5] is not None for main_id in row[4]
        )
        mapped = MappedRead(entity_type, frozenset(ids), pairs)
    return SourceAccount(*rows[0][:4], children=children, mapped=mapped)


def children_of(main_account_id: str) -> list[ChildTarget]:
    """Every child linked to the main account (active or not), ordered by child id."""
    cursor = database.execute_sql(
        "SELECT " + _CHILD_COLUMNS + " FROM " + _CHILDREN_JOIN + " WHERE c.parent_id = %s"
        " ORDER BY c.child_id",
        (main_account_id,),
    )
    return [_child(row) for row in cursor.fetchall()]


def _child(row: tuple) -> ChildTarget:
    return ChildTarget(*row[:4], _settings(row[6:]), webhooks_enabled=row[4], sync_mode=row[5])


def parent_of(child_account_id: str) -> ParentLink | None:
    row = database.execute_sql(
        "SELECT c.parent_id::text, p.status, c.status, c.inactive_reason, "
        + _SETTINGS_COLUMNS
        + " FROM child_accounts c JOIN accounts p ON p.id = c.parent_id"
        " LEFT JOIN sync_settings s ON s.child_account_id = c.child_id"
        " WHERE c.child_id = %s",
        (child_account_id,),
    ).fetchone()
    return ParentLink(*row[:4], _settings(row[4:])) if row else None


def _settings(values: tuple) -> dict:
    """Column values → dict; a child without a sync_settings row gets the schema's defaults."""
    if values[0] is None:
        return dict(DEFAULT_SETTINGS)
    return dict(zip(SETTING_NAMES, values[1:], strict=True))
