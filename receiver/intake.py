"""The receiving path: verify, parse, store once, enqueue — or spool when PostgreSQL is down."""

import logging
import time
from datetime import UTC, datetime

from redis import Redis
from redis.exceptions import RedisError

from jobs.queues import enqueue_webhook
from receiver.db_guard import DatabaseGuard
from receiver.delivery import parse_delivery, request_key
from receiver.errors import BodyTooLarge, DeliveryRejected, InvalidShape, UnknownToken
from receiver.metrics import ReceiverMetrics
from store.crypto import Secrets, TokenError, account_id_from_token
from store.db import database
from store.db_failures import DATABASE_FAILURES, is_about_the_data
from store.logs import Delivery, record_delivery, record_rejection
from store.spool import spool_delivery, spool_size

log = logging.getLogger(__name__)


class SpoolUnavailable(Exception):
    """Neither PostgreSQL nor Redis could keep the delivery: the one case answered 503."""


class Intake:
    def __init__(
        self,
        secret: Secrets,
        max_body_bytes: int,
        redis: Redis,
        metrics: ReceiverMetrics,
        guard: DatabaseGuard,
    ):
        self._secret = secret
        self.max_body_bytes = max_body_bytes
        self._redis = redis
        self._metrics = metrics
        self._guard = guard

    def receive(
        self,
        token: str,
        request_id: str | None,
        content_length: int | None,
        body: bytes,
        started: float,
    ) -> dict:
        """Answer body for a delivery; raises DeliveryRejected (4xx) or SpoolUnavailable (503)."""
        try:
            account_id = account_id_from_token(token, self._secret)
        except TokenError as exc:
            self._metrics.observe(UnknownToken.outcome, time.perf_counter() - started)
            raise UnknownToken("no account has this webhook URL") from exc
        try:
            key = request_key(request_id, body)
        except DeliveryRejected as exc:
            self._reject(exc.key, exc, body, account_id, started)
            raise
        try:
            size = max(content_length or 0, len(body))
            if size > self.max_body_bytes:
                raise BodyTooLarge(f"body is {size} bytes; the limit is {self.max_body_bytes}")
            delivery = parse_delivery(body, account_id, key)
        except DeliveryRejected as exc:
            self._reject(key, exc, body, account_id, started)
            raise
        return self._keep(delivery, body, started)

    def readiness(self) -> dict[str, bool]:
        checks = {}
        try:
            database.execute_sql("SELECT 1")
            checks["postgresql"] = True
        except DATABASE_FAILURES:
            database.close()
            checks["postgresql"] = False
        try:
            checks["redis"] = bool(self._redis.ping())
        except RedisError:
            checks["redis"] = False
        return checks

    def spool_size(self) -> int | None:
        try:
            return spool_size(self._redis)
        except RedisError:
            return None

    def _keep(self, delivery: Delivery, body: bytes, started: float) -> dict:
        answer = {"requestId": delivery.request_id}
        if not self._guard.available:
            return answer | self._spool(delivery, started)
        try:
            log_id = record_delivery(delivery, receive_ms=_ms_since(started))
        except DATABASE_FAILURES as exc:
            if is_about_the_data(exc):
                # The database refused this body itself (not an outage): it can never be stored.
                rejection = InvalidShape(f"payload cannot be stored: {exc}".strip())
                self._reject(delivery.request_id, rejection, body, delivery.account_id, started)
                raise rejection from exc
            # Down, read-only, too slow, out of connections...: keep it in Redis, answer 200.
            self._database_failed(exc)
            return answer | self._spool(delivery, started)
        if log_id is None:
            self._metrics.observe("duplicate", time.perf_counter() - started)
            return answer | {"status": "duplicate"}
        try:
            enqueue_webhook(self._redis, log_id, _ms_since(started))
            queued = True
        except RedisError:
            queued = False  # the log stays `received`; the sweeper queues it when Redis is back
        self._metrics.observe(
            "accepted" if queued else "accepted_unqueued", time.perf_counter() - started
        )
        return answer | {"status": "accepted", "logId": log_id, "queued": queued}

    def _spool(self, delivery: Delivery, started: float) -> dict:
        try:
            spool_delivery(self._redis, delivery, datetime.now(UTC), _ms_since(started))
        except RedisError as exc:
            self._metrics.observe("lost_unavailable", time.perf_counter() - started)
            raise SpoolUnavailable("PostgreSQL and Redis are both unreachable") from exc
        self._metrics.observe("spooled", time.perf_counter() - started)
        return {"status": "accepted", "spooled": True}

    def _reject(
        self, key: str, exc: DeliveryRejected, body: bytes, account_id: str, started: float
    ) -> None:
        if self._guard.available:
            try:
                record_rejection(key, exc.status, exc.reason, body, account_id, _ms_since(started))
            except DATABASE_FAILURES as failure:
                self._database_failed(failure)
        self._metrics.observe(exc.outcome, time.perf_counter() - started)

    def _database_failed(self, exc: Exception) -> None:
        log.warning("PostgreSQL failed, spooling until it answers again: %s", exc)
        database.close()
        self._guard.report_failure()


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
