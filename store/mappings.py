"""entity_mappings reads (filled by the sync engine): which child has which main entity."""

from datetime import UTC, datetime

from store.db import database
from store.models import EntityMapping


def mapped_entities(
    entity_type: str, main_entity_ids: list[str], child_account_ids: list[str]
) -> set[tuple[str, str]]:
    """(child account id, main entity id) of every pair that has a mapping."""
    if not main_entity_ids or not child_account_ids:
        return set()
    cursor = database.execute_sql(
        "SELECT child_account_id::text, main_entity_id::text FROM entity_mappings"
        " WHERE entity_type = %s AND main_entity_id = ANY(%s::uuid[])"
        " AND child_account_id = ANY(%s::uuid[])",
        (entity_type, list(main_entity_ids), list(child_account_ids)),
    )
    return {(child, main) for child, main in cursor.fetchall()}


def child_entity_ids(
    child_account_id: str, entity_type: str, main_entity_ids: list[str]
) -> dict[str, str]:
    """{main entity id: the child's copy's id} of the given main entities that have one."""
    wanted = [i for i in main_entity_ids if i]
    if not wanted:
        return {}
    cursor = database.execute_sql(
        "SELECT main_entity_id::text, child_entity_id::text FROM entity_mappings"
        " WHERE child_account_id = %s AND entity_type = %s AND main_entity_id = ANY(%s::uuid[])",
        (child_account_id, entity_type, wanted),
    )
    return dict(cursor.fetchall())


def main_entity_of(child_account_id: str, entity_type: str, child_entity_id: str) -> str | None:
    """The main entity a child's entity was copied from; None for the child's own entities."""
    row = database.execute_sql(
        "SELECT main_entity_id::text FROM entity_mappings"
        " WHERE child_account_id = %s AND entity_type = %s AND child_entity_id = %s::uuid",
        (child_account_id, entity_type, child_entity_id),
    ).fetchone()
    return row[0] if row else None


def add_mapping(
    child_account_id: str, entity_type: str, main_entity_id: str, child_entity_id: str
) -> None:
    """Record that the child's entity is the copy of the main one (idempotent)."""
    EntityMapping.insert(
        child_account=child_account_id,
        entity_type=entity_type,
        main_entity_id=main_entity_id,
        child_entity_id=child_entity_id,
        created_at=datetime.now(UTC),
    ).on_conflict(
        conflict_target=[
            EntityMapping.child_account,
            EntityMapping.entity_type,
            EntityMapping.main_entity_id,
        ],
        update={EntityMapping.child_entity_id: child_entity_id},
    ).execute()
