"""Webhook counters without a row-lock hot spot: increments gather in Redis, a periodic job
writes them to `webhooks` in one statement (every worker touching one row would serialise them).
"""

from collections import defaultdict
from datetime import UTC, datetime

from redis import Redis

from jobs.context import current
from store.webhook_counters import WebhookCounts, add_webhook_counts

RECEIVED_KEY = "webhook_counters:received"
FAILED_KEY = "webhook_counters:failed"
LAST_KEY = "webhook_counters:last_triggered"  # sorted set: score = newest delivery (epoch)
SEPARATOR = "|"


def count_received(
    redis: Redis, account_id: str | None, pairs: set[tuple[str, str]], received_at: datetime
) -> None:
    if not account_id or not pairs:
        return
    pipe = redis.pipeline(transaction=False)
    for member in _members(account_id, pairs):
        pipe.hincrby(RECEIVED_KEY, member, 1)
        pipe.zadd(LAST_KEY, {member: received_at.timestamp()}, gt=True)
    pipe.execute()


def count_failed(redis: Redis, account_id: str | None, pairs: set[tuple[str, str]]) -> None:
    if not account_id or not pairs:
        return
    pipe = redis.pipeline(transaction=False)
    for member in _members(account_id, pairs):
        pipe.hincrby(FAILED_KEY, member, 1)
    pipe.execute()


def flush_webhook_counters(redis: Redis | None = None) -> dict[str, int]:
    """Periodic job: move the gathered increments into `webhooks`; how many pairs and rows."""
    redis = redis or current().redis
    pipe = redis.pipeline(transaction=True)  # read-and-clear atomically: no increment is lost
    pipe.hgetall(RECEIVED_KEY).hgetall(FAILED_KEY).zrange(LAST_KEY, 0, -1, withscores=True)
    pipe.delete(RECEIVED_KEY, FAILED_KEY, LAST_KEY)
    received, failed, last, _ = pipe.execute()
    counts: dict[str, dict] = defaultdict(dict)
    for member, value in received.items():
        counts[member.decode()]["received"] = int(value)
    for member, value in failed.items():
        counts[member.decode()]["failed"] = int(value)
    for member, score in last:
        counts[member.decode()]["last_triggered_at"] = datetime.fromtimestamp(score, UTC)
    rows = [WebhookCounts(*member.split(SEPARATOR), **values) for member, values in counts.items()]
    try:
        updated = add_webhook_counts(rows)
    except Exception:
        _restore(redis, received, failed, last)  # the database is away: keep them for next time
        raise
    return {"pairs": len(rows), "updated": updated}


def _restore(redis: Redis, received: dict, failed: dict, last: list) -> None:
    pipe = redis.pipeline(transaction=False)
    for member, value in received.items():
        pipe.hincrby(RECEIVED_KEY, member, int(value))
    for member, value in failed.items():
        pipe.hincrby(FAILED_KEY, member, int(value))
    for member, score in last:
        pipe.zadd(LAST_KEY, {member: score}, gt=True)
    pipe.execute()


def _members(account_id: str, pairs: set[tuple[str, str]]) -> list[str]:
    return [SEPARATOR.join((account_id, entity_type, action)) for entity_type, action in pairs]
