"""Writes and reads of webhook_logs that the receiving path and the sweeper need."""

from dataclasses import dataclass, field
from datetime import datetime

from peewee import SQL, Value, fn

from store.db import database
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


# The hot path's one statement, written out once: building it with peewee per request cost more
# than sending it. The body goes into jsonb as the text МойСклад sent (no second json.dumps).
INSERT_DELIVERY_SQL = """
INSERT INTO webhook_logs (request_id, account_id, entity_type, action, entity_ids, events_count,
                          payload, receive_ms, received_at)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, COALESCE(%s, now()))
ON CONFLICT (request_id) DO NOTHING
RETURNING id
"""


def record_delivery(
    delivery: Delivery, receive_ms: float | None = None, received_at: datetime | None = None
) -> int | None:
    """Insert the delivery once; its log id, or None when this requestId is already on record."""
    params = _delivery_params(delivery, receive_ms, received_at)
    row = database.execute_sql(INSERT_DELIVERY_SQL, params).fetchone()
    return row[0] if row else None


_BULK_ROW = "(%s, %s, %s, %s, %s, %s, %s, %s, COALESCE(%s::timestamptz, now()))"


def record_deliveries(
    deliveries: list[tuple[Delivery, float | None, datetime | None]],
) -> dict[str, int]:
    """Insert many deliveries in one statement; {request_id: log id} of those not on record yet.

    (Delivery, receive_ms, received_at) each. One statement: it stores all or none.
    """
    if not deliveries:
        return {}
    values = ", ".join([_BULK_ROW] * len(deliveries))
    sql = INSERT_DELIVERY_SQL.replace(
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, COALESCE(%s, now()))", "VALUES " + values
    ).replace("RETURNING id", "RETURNING id, request_id")
    params = []
    for delivery, receive_ms, received_at in deliveries:
        params += _delivery_params(delivery, receive_ms, received_at)
    return {request_id: log_id for log_id, request_id in database.execute_sql(sql, params)}


def _delivery_params(delivery: Delivery, receive_ms, received_at) -> tuple:
    """INSERT_DELIVERY_SQL's parameters for one delivery, in its column order."""
    return (
        delivery.request_id,
        delivery.account_id,
        delivery.entity_type,
        delivery.action,
        delivery.entity_ids,
        delivery.events_count,
        delivery.body,
        receive_ms,
        received_at,
    )


def _storable(text: str | None) -> str | None:
    """Text PostgreSQL takes: NUL and unpaired surrogates written out as escapes."""
    if text is None:
        return None
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text.replace("\x00", "\\u0000")


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
        request_id=_storable(request_id),
        account_id=account_id,
        status="rejected",
        reason=_storable(reason),
        http_status=http_status,
        raw_body=_storable(text),
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


@dataclass(frozen=True)
class LogFilter:
    """What an operator narrows webhook_logs by (console Logs page, retry-failed command)."""

    account_id: str | None = None
    entity_type: str | None = None
    action: str | None = None
    statuses: tuple[str, ...] = field(default_factory=tuple)
    received_from: datetime | None = None
    received_to: datetime | None = None
    search: str | None = None  # a requestId or an entity id
    ids: tuple[int, ...] = field(default_factory=tuple)  # only these logs (a confirmed snapshot)
    retryable: bool = False  # leave out the logs an operator gave up

    def where(self):
        condition = SQL("TRUE")
        if self.ids:
            condition &= WebhookLog.id.in_(list(self.ids))
        if self.retryable:
            condition &= WebhookLog.given_up_at.is_null()
        if self.account_id:
            condition &= WebhookLog.account_id == self.account_id
        if self.entity_type:
            # Mixed bodies store "product,variant": match the type as one of the listed.
            condition &= _listed(self.entity_type, WebhookLog.entity_type)
        if self.action:
            condition &= _listed(self.action, WebhookLog.action)
        if self.statuses:
            condition &= WebhookLog.status.in_(list(self.statuses))
        if self.received_from:
            condition &= WebhookLog.received_at >= self.received_from
        if self.received_to:
            condition &= WebhookLog.received_at < self.received_to
        if self.search:
            term = self.search.strip()
            condition &= (WebhookLog.request_id == term) | WebhookLog.entity_ids.contains([term])
        return condition


def _listed(value: str, column):
    return Value(value) == fn.ANY(fn.string_to_array(column, ","))


def find_logs(log_filter: LogFilter, limit: int = 50, offset: int = 0) -> list[WebhookLog]:
    """Newest first; the payload is left out (the detail view loads it with get_log)."""
    columns = [f for f in WebhookLog._meta.sorted_fields if f.name not in ("payload", "raw_body")]
    query = (
        WebhookLog.select(*columns)
        .where(log_filter.where())
        .order_by(WebhookLog.received_at.desc(), WebhookLog.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(query)


def count_logs(log_filter: LogFilter) -> int:
    return WebhookLog.select(fn.count(WebhookLog.id)).where(log_filter.where()).scalar()


def get_log(log_id: int) -> WebhookLog | None:
    return WebhookLog.get_or_none(WebhookLog.id == log_id)


def failed_log_ids(log_filter: LogFilter, limit: int = 10_000) -> list[int]:
    """Ids of the failed logs matching the filter that retry-all would re-run (not given up)."""
    failed = LogFilter(**{**log_filter.__dict__, "statuses": ("failed",), "retryable": True})
    query = WebhookLog.select(WebhookLog.id).where(failed.where()).order_by(WebhookLog.id)
    return [row.id for row in query.limit(limit)]


def give_up_log(log_id: int, by: str) -> str | None:
    """Stop retrying a log (failed, or waiting for its next try): `failed`, given up by `by`.
    Its status before, or None when it was neither (finished, or running right now)."""
    row = database.execute_sql(
        "UPDATE webhook_logs l SET status = 'failed', given_up_by = %s, given_up_at = now(),"
        " finished_at = COALESCE(l.finished_at, now()),"
        " error = COALESCE(l.error, 'no error recorded') || ' — given up by ' || %s"
        " FROM (SELECT id, status FROM webhook_logs WHERE id = %s FOR UPDATE) before"
        " WHERE l.id = before.id AND l.status IN ('failed', 'received') AND l.given_up_at IS NULL"
        " RETURNING before.status",
        (by, by, log_id),
    ).fetchone()
    return row[0] if row else None


def reset_failed_logs(log_filter: LogFilter, limit: int = 10_000) -> list[int]:
    """Put failed logs matching the filter back to `received` for another run; their ids.
    Logs an operator gave up are left alone."""
    failed = LogFilter(**{**log_filter.__dict__, "statuses": ("failed",), "retryable": True})
    ids = [row.id for row in WebhookLog.select(WebhookLog.id).where(failed.where()).limit(limit)]
    if not ids:
        return []
    query = (
        WebhookLog.update(status="received", error=None, started_at=None, finished_at=None)
        .where(WebhookLog.id.in_(ids) & (WebhookLog.status == "failed"))
        .returning(WebhookLog.id)
    )
    return [row.id for row in query.execute()]
