"""sync_queue rows as the executor leaves them, written directly (reports, retries, the Sync page
and the sync command are tested against these)."""

import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from store.accounts import add_account, link_child
from store.models import Account, SyncTask

SECRET = "test-secret"
MAIN = "9171a53c-b719-11eb-c0a8-800d00000101"
MOSCOW = "9171a53c-b719-11eb-c0a8-800d00000102"
KAZAN = "9171a53c-b719-11eb-c0a8-800d00000103"
TOKENS = {MAIN: "token-main", MOSCOW: "token-moscow", KAZAN: "token-kazan"}
_entity_numbers = itertools.count(1)


@dataclass(frozen=True)
class Franchise:
    main: str = MAIN
    moscow: str = MOSCOW
    kazan: str = KAZAN


def add_franchise(modes: tuple[str, str] = ("live", "shadow")) -> Franchise:
    """Main shop with children Москва (live by default) and Казань (shadow)."""
    add_account(MAIN, "Main shop", TOKENS[MAIN], "main", SECRET)
    for child, name, mode in ((MOSCOW, "Москва", modes[0]), (KAZAN, "Казань", modes[1])):
        add_account(child, name, TOKENS[child], "child", SECRET)
        link_child(MAIN, child)
        Account.update(sync_mode=mode).where(Account.id == child).execute()
    return Franchise()


def add_task(
    target: str,
    status: str = "pending",
    *,
    entity_id: str | None = None,
    entity_type: str = "product",
    operation: str = "update",
    now: datetime | None = None,
    scheduled_ago: float = 0.0,
    changed_ago: float | None = None,
    finished_ago: float | None = None,
    latency: float | None = None,
    **columns,
) -> int:
    """One task; times in seconds before `now`. `latency` (completed/failed): finished_ago after
    the change, i.e. changed_at = finished_at − latency."""
    now = now or datetime.now(UTC)
    entity_id = entity_id or str(uuid.UUID(int=next(_entity_numbers)))
    finished_at = now - timedelta(seconds=finished_ago) if finished_ago is not None else None
    changed_at = now - timedelta(seconds=changed_ago) if changed_ago is not None else None
    if latency is not None and finished_at is not None:
        changed_at = finished_at - timedelta(seconds=latency)
    return SyncTask.insert(
        target_account_id=target,
        source_account_id=columns.pop("source_account_id", MAIN),
        entity_type=entity_type,
        entity_id=entity_id,
        operation=operation,
        status=status,
        scheduled_at=now - timedelta(seconds=scheduled_ago),
        changed_at=changed_at,
        finished_at=finished_at,
        created_at=now - timedelta(seconds=scheduled_ago),
        updated_at=now,
        **columns,
    ).execute()
