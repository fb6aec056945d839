"""Spooled deliveries PostgreSQL refused for good, recorded as rejected deliveries.

They were answered 200 (spooled), so they are recorded with that status, the reason and the body;
each leaves Redis's set-aside list only once its row is written — nothing that reached us
vanishes.
"""

import logging
import uuid

from redis import Redis

from store.db_failures import DATABASE_FAILURES, is_about_the_data
from store.logs import record_rejection
from store.spool import (
    SpoolItemUnreadable,
    fallback_request_id,
    forget_set_aside,
    read_item,
    set_aside_items,
)

log = logging.getLogger(__name__)
ANSWERED_STATUS = 200  # what МойСклад was told: the delivery had been spooled


def record_set_aside(redis: Redis, limit: int) -> int:
    """Record set-aside items as rejected deliveries; each leaves Redis once it is recorded.

    PostgreSQL away: the rest wait for the next drain (the error propagates).
    """
    recorded = 0
    for entry in set_aside_items(redis, limit):
        try:
            item = read_item(entry.item)
            request_id, account_id = item.delivery.request_id, _uuid(item.delivery.account_id)
            receive_ms, body = item.receive_ms, str(item.delivery.body).encode("utf-8", "replace")
        except SpoolItemUnreadable:
            request_id, account_id = fallback_request_id(entry.item), None
            receive_ms, body = None, entry.item
        reason = f"spooled, then set aside: {entry.reason}"
        try:
            record_rejection(request_id, ANSWERED_STATUS, reason, body, account_id, receive_ms)
        except DATABASE_FAILURES as exc:
            if not is_about_the_data(exc):
                raise
            log.error("set-aside item %s cannot be recorded, kept in Redis: %s", request_id, exc)
            continue
        forget_set_aside(redis, entry)
        recorded += 1
    return recorded


def _uuid(value: object) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None
