"""entity_hashes: a mapped pair's hashes when verify last found both sides agreeing."""

from store.db import database

_UPSERT = (
    "INSERT INTO entity_hashes (child_account_id, entity_type, main_entity_id, main_hash,"
    " child_hash, checked_at)"
    " SELECT %s, %s, m, mh, ch, now() FROM unnest(%s::uuid[], %s::text[], %s::text[])"
    " AS t(m, mh, ch)"
    " ON CONFLICT (child_account_id, entity_type, main_entity_id)"
    " DO UPDATE SET main_hash = EXCLUDED.main_hash, child_hash = EXCLUDED.child_hash,"
    " checked_at = now()"
)


def agreed_hashes(child_account_id: str, entity_type: str) -> dict[str, tuple[str, str]]:
    """{main entity id: (main hash, child hash)} of the pairs that last agreed."""
    rows = database.execute_sql(
        "SELECT main_entity_id::text, main_hash, child_hash FROM entity_hashes"
        " WHERE child_account_id = %s AND entity_type = %s",
        (child_account_id, entity_type),
    ).fetchall()
    return {main: (main_hash, child_hash) for main, main_hash, child_hash in rows}


def remember_agreement(
    child_account_id: str, entity_type: str, agreed: list[tuple[str, str, str]]
) -> None:
    """Store (main id, main hash, child hash) of pairs found agreeing."""
    if agreed:
        database.execute_sql(
            _UPSERT,
            (
                child_account_id,
                entity_type,
                [a[0] for a in agreed],
                [a[1] for a in agreed],
                [a[2] for a in agreed],
            ),
        )


def forget_hashes(child_account_id: str, entity_type: str, main_entity_ids: list[str]) -> None:
    """Pairs that differ (or broke) are compared in full next time."""
    if main_entity_ids:
        database.execute_sql(
            "DELETE FROM entity_hashes WHERE child_account_id = %s AND entity_type = %s"
            " AND main_entity_id = ANY(%s::uuid[])",
            (child_account_id, entity_type, list(main_entity_ids)),
        )
