"""Read-only reports on the children's orders copied into main (sync_queue tasks of the order
types, by the child they come from): copied, recorded in shadow, waiting for a mapping, failed."""

from datetime import datetime

from store.db import database

ORDER_TYPES = ("customerorder", "retaildemand", "purchaseorder")

# Open tasks by their partial indexes, finished ones by time (as store.sync_reports counts).
_BY_CHILD_SQL = """
WITH open AS (
    SELECT source_account_id, status, applied_mode, result FROM sync_queue
     WHERE status = 'pending' AND entity_type = ANY(%(types)s)
    UNION ALL
    SELECT source_account_id, status, applied_mode, NULL FROM sync_queue
     WHERE status = 'failed' AND entity_type = ANY(%(types)s)
    UNION ALL
    SELECT source_account_id, status, applied_mode, NULL FROM sync_queue
     WHERE finished_at >= %(since)s AND status IN ('completed', 'cancelled')
       AND entity_type = ANY(%(types)s)
)
SELECT o.source_account_id::text, a.name,
       count(*) FILTER (WHERE o.status = 'completed' AND o.applied_mode = 'live')::int,
       count(*) FILTER (WHERE o.status = 'completed' AND o.applied_mode = 'shadow')::int,
       count(*) FILTER (WHERE o.status = 'pending' AND o.result ? 'unmapped')::int,
       count(*) FILTER (WHERE o.status = 'pending'
                          AND NOT coalesce(o.result ? 'unmapped', false))::int,
       count(*) FILTER (WHERE o.status = 'failed')::int,
       count(*) FILTER (WHERE o.status = 'cancelled')::int
  FROM open o LEFT JOIN accounts a ON a.id = o.source_account_id
 GROUP BY 1, 2 ORDER BY 2, 1
"""
BY_CHILD_KEYS = (
    "child_account_id", "child_name", "copied", "shadow", "waiting_for_mapping", "pending",
    "failed", "cancelled",
)  # fmt: skip


def orders_by_child(since: datetime) -> list[dict]:
    """Per child: order tasks applied live (copied or updated in main) and in shadow since
    `since`, waiting now for a position's mapping, otherwise pending, failed now, cancelled."""
    rows = database.execute_sql(
        _BY_CHILD_SQL, {"since": since, "types": list(ORDER_TYPES)}
    ).fetchall()
    return [dict(zip(BY_CHILD_KEYS, row, strict=True)) for row in rows]


def waiting_orders(limit: int = 100) -> list[dict]:
    """Order tasks waiting for a position's mapping, oldest first, with the reason."""
    cursor = database.execute_sql(
        "SELECT q.id, q.source_account_id::text, a.name, q.entity_type, q.entity_id, q.error,"
        " q.result->'unmapped', q.created_at, q.scheduled_at"
        " FROM sync_queue q LEFT JOIN accounts a ON a.id = q.source_account_id"
        " WHERE q.status = 'pending' AND q.entity_type = ANY(%s) AND q.result ? 'unmapped'"
        " ORDER BY q.created_at, q.id LIMIT %s",
        (list(ORDER_TYPES), limit),
    )
    keys = ("task_id", "child_account_id", "child_name", "order_type", "order_id", "reason",
            "unmapped", "waiting_since", "next_look")  # fmt: skip
    return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]
