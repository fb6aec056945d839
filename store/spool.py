"""The Redis spool: deliveries accepted while PostgreSQL was unreachable, waiting to be stored.

Three lists: the spool itself (new items pushed on the left), `draining` (items a drainer has
taken and not yet stored: a drainer killed midway leaves them for the next one) and `set aside`
(items PostgreSQL refused for good, each with its reason, kept until they are recorded as
rejected deliveries). An item leaves Redis only once PostgreSQL holds it in one form or the other.
"""

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime

from redis import Redis

from store.logs import Delivery

SPOOL_KEY = "webhooks:spool"
DRAINING_KEY = "webhooks:spool:draining"
SET_ASIDE_KEY = "webhooks:spool:set-aside"
DRAIN_LOCK_KEY = "webhooks:spool:drain-lock"


class SpoolItemUnreadable(ValueError):
    """A spooled item that is not what spool_delivery wrote (it can never become a log)."""


@dataclass(frozen=True)
class SpooledDelivery:
    raw: bytes  # the item as it sits in Redis (removing it needs the exact bytes)
    delivery: Delivery
    received_at: datetime
    receive_ms: float | None


@dataclass(frozen=True)
class SetAside:
    raw: bytes  # the set-aside entry itself
    item: bytes  # the spooled item PostgreSQL refused
    reason: str


def spool_delivery(
    redis: Redis, delivery: Delivery, received_at: datetime, receive_ms: float
) -> None:
    item = asdict(delivery) | {"received_at": received_at.isoformat(), "receive_ms": receive_ms}
    redis.lpush(SPOOL_KEY, json.dumps(item))


def spool_size(redis: Redis) -> int:
    """Items not yet in PostgreSQL: spooled, being drained, or set aside and not yet recorded."""
    pipeline = redis.pipeline(transaction=False)
    for key in (SPOOL_KEY, DRAINING_KEY, SET_ASIDE_KEY):
        pipeline.llen(key)
    return sum(pipeline.execute())


def take_batch(redis: Redis, limit: int) -> list[bytes]:
    """Up to `limit` items to store, oldest first: a previous drainer's leftovers, else new ones.

    Taking is one round trip (LMOVEs pipelined), each item atomically moved to `draining`.
    """
    leftovers = redis.lrange(DRAINING_KEY, -limit, -1)
    if leftovers:
        return leftovers[::-1]
    pipeline = redis.pipeline(transaction=False)
    for _ in range(limit):
        pipeline.lmove(SPOOL_KEY, DRAINING_KEY, "RIGHT", "LEFT")
    return [raw for raw in pipeline.execute() if raw is not None]


def finish(redis: Redis, raws: list[bytes]) -> None:
    """Forget items now held by PostgreSQL."""
    if not raws:
        return
    pipeline = redis.pipeline(transaction=False)
    for raw in raws:
        pipeline.lrem(DRAINING_KEY, 1, raw)
    pipeline.execute()


def read_item(raw: bytes) -> SpooledDelivery:
    try:
        item = json.loads(raw)
        received_at = datetime.fromisoformat(item.pop("received_at"))
        receive_ms = item.pop("receive_ms", None)
        return SpooledDelivery(raw, Delivery(**item), received_at, receive_ms)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise SpoolItemUnreadable(f"spooled item cannot be read: {exc}") from exc


def set_aside(redis: Redis, raw: bytes, reason: str) -> None:
    """Move an item PostgreSQL refused out of the way, with why (atomically)."""
    entry = json.dumps({"item": raw.decode("utf-8", "surrogateescape"), "reason": reason})
    pipeline = redis.pipeline(transaction=True)
    pipeline.lpush(SET_ASIDE_KEY, entry)
    pipeline.lrem(DRAINING_KEY, 1, raw)
    pipeline.execute()


def set_aside_items(redis: Redis, limit: int) -> list[SetAside]:
    entries = redis.lrange(SET_ASIDE_KEY, -limit, -1)
    found = []
    for raw in entries:
        try:
            entry = json.loads(raw)
            item, reason = entry["item"].encode("utf-8", "surrogateescape"), entry["reason"]
        except (ValueError, TypeError, KeyError, AttributeError):
            item, reason = raw, "set-aside entry cannot be read"
        found.append(SetAside(raw, item, str(reason)))
    return found


def forget_set_aside(redis: Redis, entry: SetAside) -> None:
    redis.lrem(SET_ASIDE_KEY, 1, entry.raw)


def fallback_request_id(raw: bytes) -> str:
    """A key for an item whose own requestId cannot be read."""
    return "spool-" + hashlib.sha256(raw).hexdigest()
