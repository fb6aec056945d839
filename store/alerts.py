"""Alerts: one active (open or acknowledged) alert per (rule, subject); opened, seen, resolved."""

from datetime import UTC, datetime

from peewee import fn

from store.db import database
from store.models import Alert

ACTIVE = ("open", "acknowledged")


def open_alert(
    rule: str, subject: str, severity: str, message: str, details: dict | None = None
) -> tuple[Alert, bool]:
    """Open the alert, or refresh the active one (severity, message, last seen). (alert, is_new)."""
    now = datetime.now(UTC)
    with database.atomic():
        active = active_alert(rule, subject)
        if active is not None:
            Alert.update(
                severity=severity, message=message, details=details or {}, last_seen_at=now
            ).where(Alert.id == active.id).execute()
            return Alert.get_by_id(active.id), False
        inserted = (
            Alert.insert(
                rule=rule,
                subject=subject,
                severity=severity,
                message=message,
                details=details or {},
                opened_at=now,
                last_seen_at=now,
            )
            # A concurrent opener won the race: the partial unique index keeps one.
            .on_conflict_ignore()
            .execute()
        )
    alert = active_alert(rule, subject)
    return alert, bool(inserted) and alert is not None and alert.id == inserted


def active_alert(rule: str, subject: str) -> Alert | None:
    return Alert.get_or_none(
        (Alert.rule == rule) & (Alert.subject == subject) & (Alert.status.in_(ACTIVE))
    )


def resolve_alert(alert_id: int, by: str = "system", note: str | None = None) -> bool:
    """Resolve an active alert (an operator may say why); False when it was not active."""
    return bool(
        Alert.update(
            status="resolved", resolved_at=datetime.now(UTC), resolved_by=by, resolution_note=note
        )
        .where((Alert.id == alert_id) & (Alert.status.in_(ACTIVE)))
        .execute()
    )


def acknowledge_alert(alert_id: int, by: str) -> bool:
    """Acknowledge an open alert (it stays active until resolved); False when not open."""
    return bool(
        Alert.update(status="acknowledged", acknowledged_at=datetime.now(UTC), acknowledged_by=by)
        .where((Alert.id == alert_id) & (Alert.status == "open"))
        .execute()
    )


def active_alerts(rule: str | None = None) -> list[Alert]:
    query = Alert.select().where(Alert.status.in_(ACTIVE))
    if rule is not None:
        query = query.where(Alert.rule == rule)
    return list(query.order_by(Alert.opened_at.desc()))


def recent_alerts(limit: int = 200) -> list[Alert]:
    return list(Alert.select().order_by(Alert.opened_at.desc()).limit(limit))


def count_active_alerts() -> int:
    return Alert.select(fn.count(Alert.id)).where(Alert.status.in_(ACTIVE)).scalar()
