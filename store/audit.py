"""The audit log: who did what to which target, when, and how it went."""

from datetime import UTC, datetime

from peewee import fn

from store.models import AuditEntry


def record_action(
    actor: str, role: str, action: str, target: str | None, details: dict | None, result: str
) -> int:
    """Write one operator action; its id."""
    return AuditEntry.insert(
        actor=actor,
        role=role,
        action=action,
        target=target,
        details=details or {},
        result=result,
        created_at=datetime.now(UTC),
    ).execute()


def recent_actions(
    target: str | None = None, target_prefix: str | None = None, limit: int = 20
) -> list[dict]:
    """Newest first; only those on `target` ("account:<id>") or targets starting with a prefix."""
    query = AuditEntry.select().order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if target is not None:
        query = query.where(AuditEntry.target == target)
    if target_prefix is not None:
        query = query.where(AuditEntry.target.startswith(target_prefix))
    return list(query.limit(limit).dicts())


def login_failures(
    since: datetime, actor: str | None = None, client: str | None = None
) -> tuple[int, datetime | None]:
    """Failed console sign-ins of a user (or from a client) since `since` and after its last
    successful one: (how many, when the newest was)."""
    scope = (
        AuditEntry.actor == actor if actor is not None else AuditEntry.details["client"] == client
    )
    logins = (AuditEntry.action == "login") & (AuditEntry.target == "console") & scope
    recent = logins & (AuditEntry.created_at >= since)
    last_ok = (
        AuditEntry.select(fn.MAX(AuditEntry.created_at))
        .where(recent & (AuditEntry.result == "ok"))
        .scalar()
    )
    failed = recent & (AuditEntry.result == "failed")
    if last_ok is not None:
        failed &= AuditEntry.created_at > last_ok
    count, newest = (
        AuditEntry.select(fn.COUNT(AuditEntry.id), fn.MAX(AuditEntry.created_at))
        .where(failed)
        .scalar(as_tuple=True)
    )
    return count, newest


def actions_by_id(ids: list[int]) -> dict[int, dict]:
    """The audit entries with these ids (an action report's link to its entry)."""
    if not ids:
        return {}
    return {row["id"]: row for row in AuditEntry.select().where(AuditEntry.id.in_(ids)).dicts()}
