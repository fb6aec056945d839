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


def recent_actions(target: str | None = None, limit: int = 20) -> list[dict]:
    """Newest first; only the actions on `target` (e.g. "account:<id>", "logs") when given."""
    query = AuditEntry.select().order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if target is not None:
        query = query.where(AuditEntry.target == target)
    return list(query.limit(limit).dicts())
