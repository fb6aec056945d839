"""A child's sync settings as the sync executor reads them: every column, ownership included."""

from store.db import database

COLUMNS = (
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
    "owned_price_types",
    "owned_attributes",
    "owned_fields",
)
# The column defaults (0001_initial.sql, 0014_d_ownership.sql) for a child without a row.
DEFAULTS = {name: True for name in COLUMNS} | {
    "product_filter": None,
    "match_field": "code",
    "price_mappings": [],
    "attribute_mappings": [],
    "owned_price_types": [],
    "owned_attributes": [],
    "owned_fields": [],
}


def child_sync_settings(child_account_id: str) -> dict:
    """{column: value} of the child's sync_settings; the defaults when it has no row."""
    row = database.execute_sql(
        f"SELECT {', '.join(COLUMNS)} FROM sync_settings WHERE child_account_id = %s",
        (child_account_id,),
    ).fetchone()
    return dict(zip(COLUMNS, row, strict=True)) if row else dict(DEFAULTS)
