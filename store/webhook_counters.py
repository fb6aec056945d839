"""Counters of the `webhooks` rows (received, failed, last triggered), applied in one statement."""

from dataclasses import dataclass
from datetime import datetime

from store.db import database


@dataclass(frozen=True)
class WebhookCounts:
    account_id: str
    entity_type: str
    action: str
    received: int = 0
    failed: int = 0
    last_triggered_at: datetime | None = None


def add_webhook_counts(counts: list[WebhookCounts]) -> int:
    """Add the increments to their webhooks rows; rows updated (a pair with no webhook: none)."""
    if not counts:
        return 0
    values = ", ".join(
        ["(%s::uuid, %s, %s, %s::bigint, %s::bigint, %s::timestamptz)"] * len(counts)
    )
    params = [
        value
        for c in counts
        for value in (
            c.account_id,
            c.entity_type,
            c.action,
            c.received,
            c.failed,
            c.last_triggered_at,
        )
    ]
    cursor = database.execute_sql(
        "UPDATE webhooks w SET received_count = w.received_count + v.received,"
        " failed_count = w.failed_count + v.failed,"
        " last_triggered_at = GREATEST(w.last_triggered_at, v.last_triggered),"
        " updated_at = now()"
        f" FROM (VALUES {values}) AS v (account_id, entity_type, action, received, failed,"
        " last_triggered)"
        " WHERE w.account_id = v.account_id AND w.entity_type = v.entity_type"
        " AND w.action = v.action",
        params,
    )
    return cursor.rowcount
