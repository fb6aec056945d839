"""Spool → webhook_logs, batch after batch, until the spool is empty or the time budget is spent.

Each batch is one INSERT of many rows and one Redis pipeline of jobs, so recovery runs as fast as
PostgreSQL takes rows. An item PostgreSQL refuses for good (a value jsonb does not take, a row
too large) is set aside and recorded as a rejected delivery with its reason and body, and the
rest of the batch is stored; when PostgreSQL is away, the batch stays in `draining` for the next
sweep. One drainer at a time (a Redis lock): a second sweep meanwhile leaves the spool alone.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from redis import Redis
from redis.exceptions import LockError, RedisError

from jobs import defaults
from jobs.housekeeping.spool_rejections import record_set_aside
from jobs.queues import enqueue_webhooks
from store.db_failures import DATABASE_FAILURES, is_about_the_data
from store.logs import record_deliveries
from store.spool import (
    DRAIN_LOCK_KEY,
    SpooledDelivery,
    SpoolItemUnreadable,
    finish,
    read_item,
    set_aside,
    take_batch,
)

log = logging.getLogger(__name__)
REFUSALS = (*DATABASE_FAILURES, ValueError)  # ValueError: psycopg2 will not send a NUL


@dataclass
class DrainResult:
    drained: int = 0  # new logs written (a repeated item already on record is not counted)
    set_aside: int = 0  # items PostgreSQL refused, recorded as rejected deliveries
    busy: bool = False  # another drainer held the lock


def drain_spool(
    redis: Redis,
    batch: int = defaults.SPOOL_DRAIN_BATCH,
    budget_seconds: float = defaults.SPOOL_DRAIN_BUDGET_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> DrainResult:
    """Store spooled deliveries until none is left or `budget_seconds` have passed."""
    result = DrainResult()
    lock = redis.lock(DRAIN_LOCK_KEY, timeout=budget_seconds + 60)
    if not lock.acquire(blocking=False):
        result.busy = True
        return result
    try:
        record_set_aside(redis, batch)  # what an earlier drain could not record yet
        deadline = clock() + budget_seconds
        while clock() < deadline:
            raws = take_batch(redis, batch)
            if not raws:
                break
            _store_batch(redis, raws, result)
        if result.set_aside:
            record_set_aside(redis, batch)
    finally:
        try:
            lock.release()
        except LockError:
            log.warning("spool drain outlived its lock (%.0f s)", budget_seconds + 60)
    return result


def _store_batch(redis: Redis, raws: list[bytes], result: DrainResult) -> None:
    items = []
    for raw in raws:
        try:
            items.append(read_item(raw))
        except SpoolItemUnreadable as exc:
            _refuse(redis, raw, str(exc))
            result.set_aside += 1
    stored: dict[str, int] = {}
    for chunk in _chunks(items):
        stored |= _store_chunk(redis, chunk, result)
    # МойСклад's re-sends of one delivery may all have been spooled: one job for their one log.
    kept = {i.delivery.request_id: i for i in reversed(items) if i.delivery.request_id in stored}
    try:
        enqueue_webhooks(redis, [(stored[key], i.receive_ms) for key, i in kept.items()])
    except RedisError:
        log.warning("%d drained logs not queued (Redis); the sweeper queues them", len(kept))
    finish(redis, [item.raw for item in items])
    result.drained += len(kept)


def _chunks(items: list[SpooledDelivery]):
    """Runs of items whose bodies together stay under SPOOL_DRAIN_BATCH_BYTES (one INSERT each)."""
    chunk, size = [], 0
    for item in items:
        if chunk and size + len(item.delivery.body) > defaults.SPOOL_DRAIN_BATCH_BYTES:
            yield chunk
            chunk, size = [], 0
        chunk.append(item)
        size += len(item.delivery.body)
    if chunk:
        yield chunk


def _store_chunk(redis: Redis, chunk: list[SpooledDelivery], result: DrainResult) -> dict:
    try:
        return _record(chunk)
    except REFUSALS as exc:
        if not is_about_the_data(exc):
            raise  # PostgreSQL is away: the batch waits in `draining` for the next sweep
    stored = {}
    for item in chunk:  # one of them is refused: find it, store the others
        try:
            stored |= _record([item])
        except REFUSALS as refused:
            if not is_about_the_data(refused):
                raise
            _refuse(redis, item.raw, f"PostgreSQL refused the spooled delivery: {refused}")
            result.set_aside += 1
    return stored


def _record(items: list[SpooledDelivery]) -> dict[str, int]:
    return record_deliveries([(i.delivery, i.receive_ms, i.received_at) for i in items])


def _refuse(redis: Redis, raw: bytes, reason: str) -> None:
    log.error("spooled delivery set aside: %s", reason)
    set_aside(redis, raw, reason)
