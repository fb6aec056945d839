"""order_position_waivers: an operator's decision that a child order goes to main without the
positions that have no mapping (recorded, with who decided)."""

from store.db import database

_INSERT = (
    "INSERT INTO order_position_waivers (child_account_id, order_type, order_id,"
    " assortment_type, assortment_id, actor) VALUES (%s, %s, %s, %s, %s, %s)"
    " ON CONFLICT DO NOTHING"
)


def waive_positions(
    child_account_id: str,
    order_type: str,
    order_id: str,
    assortments: list[tuple[str, str]],
    actor: str,
) -> int:
    """Record that these (type, id) positions are left out of the order's copy; how many new."""
    added = 0
    with database.atomic():
        for assortment_type, assortment_id in assortments:
            cursor = database.execute_sql(
                _INSERT,
                (child_account_id, order_type, order_id, assortment_type, assortment_id, actor),
            )
            added += cursor.rowcount
    return added


def waived_positions(
    child_account_id: str, order_type: str, order_ids: list[str]
) -> dict[str, set[tuple[str, str]]]:
    """{order id: {(assortment type, id)}} left out by an operator, for these orders."""
    if not order_ids:
        return {}
    rows = database.execute_sql(
        "SELECT order_id::text, assortment_type, assortment_id::text FROM order_position_waivers"
        " WHERE child_account_id = %s AND order_type = %s AND order_id = ANY(%s::uuid[])",
        (child_account_id, order_type, list(order_ids)),
    ).fetchall()
    waived: dict[str, set[tuple[str, str]]] = {}
    for order_id, assortment_type, assortment_id in rows:
        waived.setdefault(order_id, set()).add((assortment_type, assortment_id))
    return waived


def make_task_due(task_id: int) -> bool:
    """A waiting (pending) order task is due now; False when it is not pending."""
    cursor = database.execute_sql(
        "UPDATE sync_queue SET scheduled_at = now(), updated_at = now()"
        " WHERE id = %s AND status = 'pending'",
        (task_id,),
    )
    return cursor.rowcount == 1
