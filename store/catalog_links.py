"""entity_mappings of one child and type at once: what a full sync and verify read and write."""

from store.db import database

_LINK = (
    "INSERT INTO entity_mappings (child_account_id, entity_type, main_entity_id, child_entity_id)"
    " SELECT %s, %s, m, c FROM unnest(%s::uuid[], %s::uuid[]) AS t(m, c)"
    " ON CONFLICT (child_account_id, entity_type, main_entity_id) DO NOTHING"
)


def mappings_of(child_account_id: str, entity_type: str) -> dict[str, str]:
    """{main entity id: child entity id} of every mapping of the child for this type."""
    rows = database.execute_sql(
        "SELECT main_entity_id::text, child_entity_id::text FROM entity_mappings"
        " WHERE child_account_id = %s AND entity_type = %s",
        (child_account_id, entity_type),
    ).fetchall()
    return dict(rows)


def link_entities(child_account_id: str, entity_type: str, pairs: list[tuple[str, str]]) -> int:
    """Record (main id, child id) pairs as mappings; those already mapped are kept. How many new."""
    if not pairs:
        return 0
    cursor = database.execute_sql(
        _LINK,
        (child_account_id, entity_type, [m for m, _ in pairs], [c for _, c in pairs]),
    )
    return cursor.rowcount


def drop_mappings(child_account_id: str, entity_type: str, main_entity_ids: list[str]) -> int:
    """Forget mappings whose entity is gone on one side; how many were dropped."""
    if not main_entity_ids:
        return 0
    cursor = database.execute_sql(
        "DELETE FROM entity_mappings WHERE child_account_id = %s AND entity_type = %s"
        " AND main_entity_id = ANY(%s::uuid[])",
        (child_account_id, entity_type, list(main_entity_ids)),
    )
    return cursor.rowcount
