"""A child's sync settings as the sync executor reads them: every column, ownership included."""

from store.db import database
from store.sync_targets import DEFAULT_SETTINGS, SETTING_NAMES

# The settings processing reads, and the child's own fields the payloads leave alone.
COLUMNS = (*SETTING_NAMES, "owned_price_types", "owned_attributes", "owned_fields")
# The column defaults (0001_initial.sql, 0014_d_ownership.sql) for a child without a row.
DEFAULTS = DEFAULT_SETTINGS | {
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
