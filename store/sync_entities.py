"""What the Sync page needs to compare entities: a shadow child's recorded requests, the child
copies of a main entity (entity_mappings), the entities tasks were recently about."""

from store.db import database

RECENT_TASKS_READ = 5000  # the newest tasks the entity picker looks through


def shadow_requests(target_account_id: str, limit: int = 50) -> list[dict]:
    """The target's tasks completed in shadow mode, newest first, with the request not sent."""
    cursor = database.execute_sql(
        "SELECT id, entity_type, entity_id, operation, finished_at, request FROM sync_queue"
        " WHERE target_account_id = %s AND status = 'completed' AND applied_mode = 'shadow'"
        " ORDER BY finished_at DESC NULLS LAST, id DESC LIMIT %s",
        (target_account_id, limit),
    )
    keys = [column[0] for column in cursor.description]
    return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]


def child_entity_ids(
    child_account_id: str, entity_type: str, main_entity_ids: list[str]
) -> dict[str, str]:
    """main entity id → the child's copy of it, for those the child has."""
    if not main_entity_ids:
        return {}
    rows = database.execute_sql(
        "SELECT main_entity_id::text, child_entity_id::text FROM entity_mappings"
        " WHERE child_account_id = %s AND entity_type = %s"
        " AND main_entity_id::text = ANY(%s)",
        (child_account_id, entity_type, list(main_entity_ids)),
    ).fetchall()
    return dict(rows)


def entity_copies(main_account_id: str, entity_type: str, main_entity_id: str) -> list[dict]:
    """Every child of the main account with its copy of the entity (None where it has none)."""
    cursor = database.execute_sql(
        "SELECT c.child_id::text, a.name, c.status, m.child_entity_id::text"
        " FROM child_accounts c JOIN accounts a ON a.id = c.child_id"
        " LEFT JOIN entity_mappings m ON m.child_account_id = c.child_id"
        " AND m.entity_type = %s AND m.main_entity_id::text = %s"
        " WHERE c.parent_id = %s ORDER BY a.name",
        (entity_type, main_entity_id, main_account_id),
    )
    keys = ("child_account_id", "name", "link_status", "child_entity_id")
    return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]


def recent_entities(source_account_id: str, limit: int = 50) -> list[tuple[str, str]]:
    """(entity type, entity id) of the source's most recently changed synced entities."""
    rows = database.execute_sql(
        "SELECT entity_type, entity_id FROM (SELECT id, entity_type, entity_id FROM sync_queue"
        " WHERE source_account_id = %s"
        " AND entity_type NOT IN ('customerorder', 'retaildemand', 'purchaseorder')"
        " ORDER BY id DESC LIMIT %s) recent GROUP BY 1, 2 ORDER BY max(id) DESC LIMIT %s",
        (source_account_id, RECENT_TASKS_READ, limit),
    ).fetchall()
    return [tuple(row) for row in rows]
