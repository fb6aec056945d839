"""The audit log: who did what to which target, when, and how it went."""

from datetime import UTC, datetime

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
