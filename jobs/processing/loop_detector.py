"""Loop detector: one entity changing too often opens `loop_suspected` and pauses its tasks.

Changes are counted per (account, entity type, entity id) in a Redis sorted set scored by time,
one member per (log, event) so a re-run of the same delivery never counts twice. While the entity
is paused its events are still processed, but their tasks are written `held` (jobs.processing.
held): nothing is lost. Resolving the alert — releasing or discarding the held work — lifts the
pause; the pause also expires after LOOP_PAUSE_SECONDS, and a loop still going on then opens a new
alert (the held work stays held until an operator decides).
"""

import time
from dataclasses import dataclass

from redis import Redis

from jobs import defaults
from store.alerts import active_alert, open_alert, resolve_alert
from store.settings import Settings

RULE = "loop_suspected"


@dataclass(frozen=True)
class LoopLimits:
    max_changes: int = defaults.LOOP_MAX_CHANGES
    window_seconds: int = defaults.LOOP_WINDOW_SECONDS
    pause_seconds: int = defaults.LOOP_PAUSE_SECONDS


def subject(account_id: str, entity_type: str, entity_id: str) -> str:
    return f"{account_id}:{entity_type}:{entity_id}"


def limits_from(settings: Settings) -> LoopLimits:
    """LOOP_MAX_CHANGES / LOOP_WINDOW_SECONDS from the environment, else the defaults."""
    return LoopLimits(
        max_changes=settings.loop_max_changes or defaults.LOOP_MAX_CHANGES,
        window_seconds=settings.loop_window_seconds or defaults.LOOP_WINDOW_SECONDS,
        pause_seconds=settings.loop_pause_seconds or defaults.LOOP_PAUSE_SECONDS,
    )


def paused_entities(
    redis: Redis,
    account_id: str,
    changes: list[tuple[str, str, str]],
    limits: LoopLimits,
    now: float | None = None,
) -> dict[tuple[str, str], str]:
    """Record changes [(entity type, entity id, change id)]; {(type, id): note} of paused ones
    (their tasks are to be held under `subject(account_id, type, id)`)."""
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
        lift_pause(redis, name)
        return None
    if not marked:
        earlier = active_alert(RULE, name)
        if earlier is not None:
            # The pause expired and the loop goes on: a new alert (its held work stays held).
            resolve_alert(earlier.id, by="loop detector: pause expired, loop goes on")
        minutes = limits.window_seconds / 60
        open_alert(
            RULE,
            name,
            "warning",
            f"{entity_type} {entity_id} of account {account_id} changed {count} times in"
            f" {minutes:g} min (limit {limits.max_changes}): a sync loop is likely;"
            f" its tasks are held for {limits.pause_seconds / 60:g} min or until this alert is"
            " resolved (release or discard the held work)",
            {"count": count, "window_seconds": limits.window_seconds},
        )
        redis.set(paused_key, "1", ex=limits.pause_seconds)
    return f"{entity_type} {entity_id}: paused, loop suspected (alert {RULE}); its tasks are held"


def lift_pause(redis: Redis, name: str) -> None:
    """End the pause of a subject (`account:type:id`) and forget its counted changes."""
    account_id, entity_type, entity_id = name.split(":", 2)
    redis.delete(
        _paused_key(account_id, entity_type, entity_id),
        _changes_key(account_id, entity_type, entity_id),
    )


def _changes_key(account_id: str, entity_type: str, entity_id: str) -> str:
    return f"loop:changes:{account_id}:{entity_type}:{entity_id}"


def _paused_key(account_id: str, entity_type: str, entity_id: str) -> str:
    return f"loop:paused:{account_id}:{entity_type}:{entity_id}"
