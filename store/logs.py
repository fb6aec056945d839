"""Writes and reads of webhook_logs that the receiving path and the sweeper need."""

from dataclasses import dataclass
from datetime import datetime

from peewee import SQL, Value

from store.models import WebhookLog

RAW_BODY_LIMIT = 4096  # characters of a rejected body kept for the operator


@dataclass(frozen=True)
class Delivery:
    """A parsed, verified delivery ready to be stored."""

    request_id: str
    account_id: str
    entity_type: str
    action: str
    entity_ids: list[str]
    events_count: int
    body: str  # the raw JSON text; stored as-is into jsonb, never re-serialised


def record_delivery(
    delivery: Delivery, receive_ms: float | None = None, received_at: datetime | None = None
) -> int | None:
    """Insert the delivery once; its log id, or None when this requestId is already on record."""
    row = {
        WebhookLog.request_id: delivery.request_id,
        WebhookLog.account_id: delivery.account_id,
        WebhookLog.entity_type: delivery.entity_type,
        WebhookLog.action: delivery.action,
        WebhookLog.entity_ids: delivery.entity_ids,
        WebhookLog.events_count: delivery.events_count,
        # Value(..., unpack=False) passes the text straight to jsonb: no second json.dumps.
        WebhookLog.payload: Value(delivery.body, unpack=False),
        WebhookLog.receive_ms: receive_ms,
    }
    if received_at is not None:
        row[WebhookLog.received_at] = received_at
    inserted = (
        WebhookLog.insert(row)
        .on_conflict(conflict_target=[WebhookLog.request_id], action="NOTHING")
        .returning(WebhookLog.id)
        .tuples()
        .execute()
    )
    return next((row[0] for row in inserted), None)


def record_rejection(
    request_id: str,
    http_status: int,
    reason: str,
    raw_body: bytes,
    account_id: str | None = None,
    receive_ms: float | None = None,
) -> None:
    """Keep a delivery we refused: status `rejected`, the reason and the body truncated."""
    text = raw_body[: RAW_BODY_LIMIT * 4].decode("utf-8", "replace")[:RAW_BODY_LIMIT]
    WebhookLog.insert(
        request_id=request_id,
        account_id=account_id,
        status="rejected",
        reason=reason,
        http_status=http_status,
        raw_body=text.replace("\x00", "\\u0000"),
        receive_ms=receive_ms,
    ).on_conflict(conflict_target=[WebhookLog.request_id], action="NOTHING").execute()


def stranded_received_logs(older_than: datetime, limit: int) -> list[int]:
    """Ids of logs still `received` since before older_than (their job may never have run)."""
    query = (
        WebhookLog.select(WebhookLog.id)
        .where((WebhookLog.status == "received") & (WebhookLog.received_at < older_than))
        .order_by(WebhookLog.received_at)
        .limit(limit)
    )
    return [row.id for row in query]


def stuck_processing_logs(started_before: datetime, limit: int) -> list[int]:
    """Ids of logs `processing` since before started_before (their worker died mid-job)."""
    query = (
        WebhookLog.select(WebhookLog.id)
        .where((WebhookLog.status == "processing") & (WebhookLog.started_at < started_before))
        .order_by(WebhookLog.started_at)
        .limit(limit)
    )
    return [row.id for row in query]


def count_logs_by_status() -> dict[str, int]:
    query = WebhookLog.select(WebhookLog.status, SQL("count(*)").alias("n")).group_by(
        WebhookLog.status
    )
    return {row.status: row.n for row in query}
