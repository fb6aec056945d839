"""Loop detector: one entity changing too often opens `loop_suspected` and pauses its tasks.

Changes are counted per (account, entity type, entity id) in a Redis sorted set scored by time,
one member per (log, event) so a re-run of the same delivery never counts twice. While the alert
is active no task is written for the entity; resolving the alert (console) lifts the pause.
"""

import time
from dataclasses import dataclass

from redis import Redis

from jobs import defaults
from store.alerts import active_alert, open_alert
from store.settings import Settings

RULE = "loop_suspected"


@dataclass(frozen=True)
class LoopLimits:
    max_changes: int = defaults.LOOP_MAX_CHANGES
    window_seconds: int = defaults.LOOP_WINDOW_SECONDS


def subject(account_id: str, entity_type: str, entity_id: str) -> str:
    return f"{account_id}:{entity_type}:{entity_id}"


def limits_from(settings: Settings) -> LoopLimits:
    """LOOP_MAX_CHANGES / LOOP_WINDOW_SECONDS from the environment, else the defaults."""
    return LoopLimits(
        max_changes=settings.loop_max_changes or defaults.LOOP_MAX_CHANGES,
        window_seconds=settings.loop_window_seconds or defaults.LOOP_WINDOW_SECONDS,
    )


def paused_entities(
    redis: Redis,
    account_id: str,
    changes: list[tuple[str, str, str]],
    limits: LoopLimits,
    now: float | None = None,
) -> dict[tuple[str, str], str]:
    """Record changes [(entity type, entity id, change id)]; {(type, id): note} of paused ones."""
    now = time.time() if now is None else now
    keys = [(entity_type, entity_id) for entity_type, entity_id, _ in changes]
    pipe = redis.pipeline(transaction=False)
    for entity_type, entity_id, change_id in changes:
        key = _changes_key(account_id, entity_type, entity_id)
        pipe.zadd(key, {change_id: now})
        pipe.zremrangebyscore(key, "-inf", now - limits.window_seconds)
        pipe.zcard(key)
        pipe.expire(key, limits.window_seconds)
        pipe.exists(_paused_key(account_id, entity_type, entity_id))
    replies = pipe.execute()
    paused = {}
    for index, (entity_type, entity_id) in enumerate(keys):
        count, marked = replies[index * 5 + 2], replies[index * 5 + 4]
        if not marked and count <= limits.max_changes:
            continue
        note = _pause(redis, account_id, entity_type, entity_id, count, limits, bool(marked))
        if note:
            paused[(entity_type, entity_id)] = note
    return paused


def _pause(
    redis: Redis,
    account_id: str,
    entity_type: str,
    entity_id: str,
    count: int,
    limits: LoopLimits,
    marked: bool,
) -> str | None:
    name = subject(account_id, entity_type, entity_id)
    paused_key = _paused_key(account_id, entity_type, entity_id)
    if marked and active_alert(RULE, name) is None:
        # An operator resolved the alert: lift the pause and start counting afresh.
        redis.delete(paused_key, _changes_key(account_id, entity_type, entity_id))
        return None
    minutes = limits.window_seconds / 60
    if not marked:
        open_alert(
            RULE,
            name,
            "warning",
            f"{entity_type} {entity_id} of account {account_id} changed {count} times in"
            f" {minutes:g} min (limit {limits.max_changes}): a sync loop is likely;"
            " its tasks are paused until this alert is resolved",
            {"count": count, "window_seconds": limits.window_seconds},
        )
        redis.set(paused_key, "1")
    return f"{entity_type} {entity_id}: paused, loop suspected (alert {RULE})"


def _changes_key(account_id: str, entity_type: str, entity_id: str) -> str:
    return f"loop:changes:{account_id}:{entity_type}:{entity_id}"


def _paused_key(account_id: str, entity_type: str, entity_id: str) -> str:
    return f"loop:paused:{account_id}:{entity_type}:{entity_id}"
