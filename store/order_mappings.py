"""entity_mappings read backwards, for a child's orders: which main entity a child's position
names, and which main order is the copy of a child's order."""

from store.db import database


def main_ids_of(child_account_id: str, entities: set[tuple[str, str]]) -> dict:
    """{(entity type, child entity id): main entity id} of the child's entities that are
    copies of main's (products, variants, services, bundles); the child's own ones are absent."""
    if not entities:
        return {}
    types = sorted({entity_type for entity_type, _ in entities})
    ids = sorted({entity_id for _, entity_id in entities})
    rows = database.execute_sql(
        "SELECT entity_type, child_entity_id::text, main_entity_id::text FROM entity_mappings"
        " WHERE child_account_id = %s AND entity_type = ANY(%s)"
        " AND child_entity_id = ANY(%s::uuid[])",
        (child_account_id, types, ids),
    ).fetchall()
    return {(kind, child): main for kind, child, main in rows if (kind, child) in entities}


def order_copies(child_account_id: str, order_type: str, order_ids: list[str]) -> dict:
    """{child order id: main customerorder id} of the child's orders already copied."""
    if not order_ids:
        return {}
    rows = database.execute_sql(
        "SELECT child_entity_id::text, main_entity_id::text FROM entity_mappings"
        " WHERE child_account_id = %s AND entity_type = %s AND child_entity_id = ANY(%s::uuid[])",
        (child_account_id, order_type, list(order_ids)),
    ).fetchall()
    return dict(rows)
