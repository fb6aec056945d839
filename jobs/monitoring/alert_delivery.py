"""Optional delivery of opened, escalated and resolved alerts to ALERT_WEBHOOK_URL (a chat)."""

import logging

import requests

from jobs import defaults
from store.models import Alert

log = logging.getLogger(__name__)
ICONS = {"opened": {"warning": "🟡", "critical": "🔴"}, "resolved": "✅"}


def alert_text(event: str, alert: Alert) -> str:
    if event == "resolved":
        return f"{ICONS['resolved']} resolved: {alert.rule} — {alert.subject}"
    icon = ICONS["opened"].get(alert.severity, "⚠️")
    escalated = "escalated to " if event == "escalated" else ""
    return f"{icon} {escalated}{alert.severity} {alert.rule} — {alert.subject}: {alert.message}"


def deliver_alert(url: str, event: str, alert: Alert, session=requests) -> bool:
    """POST the alert as JSON with a chat-friendly `text`; False (logged) when it did not arrive."""
    if not url:
        return False
    body = {
        "text": alert_text(event, alert),
        "event": event,
        "rule": alert.rule,
        "subject": alert.subject,
        "severity": alert.severity,
        "message": alert.message,
        "details": alert.details,
        "opened_at": alert.opened_at.isoformat() if alert.opened_at else None,
    }
    try:
        response = session.post(url, json=body, timeout=defaults.ALERT_DELIVERY_TIMEOUT)
        response.raise_for_status()
    except requests.RequestException as exc:
        log.warning("alert %s %s not delivered to %s: %s", alert.rule, event, url, exc)
        return False
    return True
