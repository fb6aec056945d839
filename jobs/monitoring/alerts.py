"""evaluate_alerts: every minute, open what fires, refresh what still fires, resolve what cleared.

`loop_suspected` alerts belong to the processing job's loop detector (resolving one lifts the pause
of its entity), so they are neither opened nor resolved here; health shows them.
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from psycopg2 import Error as DatabaseError
from redis import Redis
from redis.exceptions import RedisError

from jobs.context import current
from jobs.monitoring.alert_delivery import deliver_alert
from jobs.monitoring.alert_rules import RULES, Finding
from store.alerts import active_alert, active_alerts, open_alert, resolve_alert

log = logging.getLogger(__name__)


def evaluate_alerts(
    now: datetime | None = None,
    redis: Redis | None = None,
    rules: dict[str, Callable[[Redis, datetime], list[Finding]]] | None = None,
) -> dict:
    """Periodic job: {rule: {"firing": n, "opened": [...], "resolved": [...]} or {"error": ...}}."""
    context = current()
    redis = redis or context.redis
    now = now or datetime.now(UTC)
    report = {}
    for rule, evaluate in (rules or RULES).items():
        try:
            findings = evaluate(redis, now)
        except (DatabaseError, RedisError) as exc:
            # One rule's source being away must not stop the others (nor resolve its alerts).
            log.warning("alert rule %s not evaluated: %s", rule, exc)
            report[rule] = {"error": str(exc)}
            continue
        report[rule] = _apply(rule, findings, context.settings.alert_webhook_url)
    return report


def _apply(rule: str, findings: list[Finding], url: str) -> dict:
    opened, resolved = [], []
    firing = {finding.subject for finding in findings}
    escalated = []
    for finding in findings:
        before = active_alert(rule, finding.subject)
        alert, is_new = open_alert(
            rule, finding.subject, finding.severity, finding.message, finding.details
        )
        if is_new:
            opened.append(finding.subject)
            deliver_alert(url, "opened", alert)
        elif before is not None and (before.severity, alert.severity) == ("warning", "critical"):
            # Warning → critical is news: delivered again (critical → warning is not).
            escalated.append(finding.subject)
            deliver_alert(url, "escalated", alert)
    for alert in active_alerts(rule):
        if alert.subject not in firing and resolve_alert(alert.id):
            resolved.append(alert.subject)
            deliver_alert(url, "resolved", alert)
    return {
        "firing": len(findings),
        "opened": opened,
        "escalated": escalated,
        "resolved": resolved,
    }
