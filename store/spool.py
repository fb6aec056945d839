"""The Redis spool: deliveries accepted while PostgreSQL was unreachable, waiting to be stored."""

import json
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime

from redis import Redis

from store.logs import Delivery

SPOOL_KEY = "webhooks:spool"
# Items being moved to PostgreSQL; a drainer killed midway leaves them here for the next one.
DRAINING_KEY = "webhooks:spool:draining"


def spool_delivery(
    redis: Redis, delivery: Delivery, received_at: datetime, receive_ms: float
) -> None:
    item = asdict(delivery) | {"received_at": received_at.isoformat(), "receive_ms": receive_ms}
    redis.lpush(SPOOL_KEY, json.dumps(item))


def spool_size(redis: Redis) -> int:
    return redis.llen(SPOOL_KEY) + redis.llen(DRAINING_KEY)


def drain_spool(
    redis: Redis, store: Callable[[Delivery, datetime, float], None], limit: int
) -> int:
    """Hand up to `limit` spooled deliveries, oldest first, to `store`; returns how many.

    An item leaves Redis only after `store` returned, so a crash repeats it instead of losing
    it; `store` must be idempotent (the requestId makes it so).
    """
    moved = 0
    leftovers = redis.lrange(DRAINING_KEY, 0, -1)
    while moved < limit:
        raw = (
            leftovers.pop() if leftovers else redis.lmove(SPOOL_KEY, DRAINING_KEY, "RIGHT", "LEFT")
        )
        if raw is None:
            break
        item = json.loads(raw)
        received_at = datetime.fromisoformat(item.pop("received_at"))
        receive_ms = item.pop("receive_ms")
        store(Delivery(**item), received_at, receive_ms)
        redis.lrem(DRAINING_KEY, 1, raw)
        moved += 1
    return moved
