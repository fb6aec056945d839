"""Reading the main account's entities for the tasks of a round: batched GETs (≤ 100 ids, with
the expand the payloads need), and a short Redis cache so every child's executor does not read
the same 1,000 new products again. A cached read serves a task only when it was made after the
change the task is about (its `changed_at`), so a cache can never send a stale copy."""

import hashlib
import json
import time
from collections.abc import Iterable
from datetime import datetime

from redis import Redis

from jobs.moysklad import MoySkladClient
from jobs.sync import defaults


def read_main_entities(
    client: MoySkladClient,
    redis: Redis,
    main_account_id: str,
    entity_type: str,
    wanted: Iterable[tuple[str, datetime | None]],
    expand: str | None,
) -> dict[str, dict]:
    """id → entity of those that exist; `wanted` is (id, changed_at) of each task."""
    changed: dict[str, float] = {}
    for entity_id, changed_at in wanted:
        moment = changed_at.timestamp() if changed_at else time.time()
        changed[entity_id] = max(changed.get(entity_id, 0.0), moment)
    if not changed:
        return {}
    found = _cached(redis, main_account_id, entity_type, expand, changed)
    missing = [i for i in changed if i not in found]
    if not missing:
        return found
    # Single flight: children applying the same batch at once wait for one read of it.
    digest = hashlib.sha1(f"{expand}:{sorted(missing)}".encode()).hexdigest()[:20]
    flight = redis.lock(
        f"{defaults.MAIN_READ_CACHE_PREFIX}reading:{main_account_id}:{digest}",
        timeout=defaults.MAIN_READ_FLIGHT_TIMEOUT,
        blocking_timeout=defaults.MAIN_READ_FLIGHT_TIMEOUT,
    )
    leading = flight.acquire()
    try:
        found |= _cached(redis, main_account_id, entity_type, expand, changed)
        missing = [i for i in changed if i not in found]
        if missing:
            found |= _read(client, redis, main_account_id, entity_type, expand, missing)
    finally:
        if leading and flight.owned():
            flight.release()
    return found


def _cached(redis, main_account_id, entity_type, expand, changed: dict[str, float]) -> dict:
    keys = [_key(main_account_id, entity_type, expand, i) for i in changed]
    found: dict[str, dict] = {}
    for entity_id, raw in zip(changed, redis.mget(keys), strict=True):
        if raw is None:
            continue
        cached = json.loads(raw)
        if cached["read_at"] >= changed[entity_id]:
            found[entity_id] = cached["entity"]
    return found


def _read(client, redis, main_account_id, entity_type, expand, missing: list[str]) -> dict:
    read_at = time.time()
    rows = client.get_entities(entity_type, missing, expand=expand)
    pipe = redis.pipeline(transaction=False)
    found = {}
    for row in rows:
        found[row["id"]] = row
        entry = json.dumps({"read_at": read_at, "entity": row}, ensure_ascii=False)
        key = _key(main_account_id, entity_type, expand, row["id"])
        pipe.set(key, entry, ex=defaults.MAIN_READ_CACHE_TTL)
    pipe.execute()
    return found


def _key(main_account_id: str, entity_type: str, expand: str | None, entity_id: str) -> str:
    prefix = defaults.MAIN_READ_CACHE_PREFIX
    return f"{prefix}{main_account_id}:{entity_type}:{expand or ''}:{entity_id}"
