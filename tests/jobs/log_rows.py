"""Inserting webhook_logs rows directly: the state a test starts from."""

import itertools
from datetime import UTC, datetime

from store.models import WebhookLog

_ids = itertools.count()


def add_logs(
    count: int,
    account_id: str | None,
    status: str = "completed",
    received_at: datetime | None = None,
    entity_type: str = "product",
    action: str = "UPDATE",
    **fields,
) -> None:
    received_at = received_at or datetime.now(UTC)
    WebhookLog.insert_many(
        [
            {
                "request_id": f"req-{next(_ids)}",
                "account_id": account_id,
                "entity_type": entity_type,
                "action": action,
                "events_count": 1,
                "status": status,
                "received_at": received_at,
                **fields,
            }
            for _ in range(count)
        ]
    ).execute()
