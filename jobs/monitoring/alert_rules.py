"""The alert rules: each returns what fires now, as findings keyed by subject."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from redis import Redis
from rq import Queue, Worker

from jobs import defaults
from jobs.monitoring.health import failure_level, never_installed
from store.health import finished_counts, oldest_unprocessed_at, receive_p95, stuck_processing
from store.models import Account
from store.redis_durability import durability_problems
from store.webhooks import webhooks_with_problems

CRITICAL_CHECK_RESULTS = ("missing", "disabled")


@dataclass(frozen=True)
class Finding:
    subject: str
    severity: str
    message: str
    details: dict = field(default_factory=dict)


def failure_rate(redis: Redis, now: datetime) -> list[Finding]:
    since = now - timedelta(seconds=defaults.FAILURE_RATE_WINDOW_SECONDS)
    by_account: dict[str, list[int]] = {}
    for (account_id, _, _), (completed, failed) in finished_counts(since).items():
        totals = by_account.setdefault(account_id, [0, 0])
        totals[0] += completed
        totals[1] += failed
    findings = []
    for account_id, (completed, failed) in sorted(by_account.items()):
        level, rate = failure_level(completed, failed)
        if level != "healthy":
            message = f"{rate:.1%} of {completed + failed} deliveries failed in the last hour"
            details = {"completed": completed, "failed": failed, "rate": rate}
            findings.append(Finding(f"account:{account_id}", level, message, details))
    return findings


def receive_latency(redis: Redis, now: datetime) -> list[Finding]:
    p95, count = receive_p95(now - timedelta(seconds=defaults.RECEIVE_LATENCY_WINDOW_SECONDS))
    if p95 is None or p95 <= defaults.RECEIVE_P95_WARNING_MS:
        return []
    limit = defaults.RECEIVE_P95_WARNING_MS
    message = f"receive p95 {p95:.0f} ms over {count} deliveries (limit {limit:.0f} ms)"
    return [Finding("receiver", "warning", message, {"p95_ms": p95, "deliveries": count})]


def queue_depth(redis: Redis, now: datetime) -> list[Finding]:
    depth = Queue(defaults.WEBHOOKS_QUEUE, connection=redis).count
    if depth > defaults.QUEUE_DEPTH_CRITICAL:
        severity = "critical"
    elif depth > defaults.QUEUE_DEPTH_WARNING:
        severity = "warning"
    else:
        return []
    message = f"{depth} jobs waiting in queue {defaults.WEBHOOKS_QUEUE}"
    return [Finding(f"queue:{defaults.WEBHOOKS_QUEUE}", severity, message, {"depth": depth})]


def oldest_unprocessed(redis: Redis, now: datetime) -> list[Finding]:
    oldest = oldest_unprocessed_at()
    if oldest is None:
        return []
    age = (now - oldest).total_seconds()
    if age <= defaults.OLDEST_UNPROCESSED_SECONDS:
        return []
    message = f"a delivery has waited {age:.0f} s for processing"
    return [Finding("webhook_logs", "warning", message, {"age_seconds": age})]


def stuck(redis: Redis, now: datetime) -> list[Finding]:
    limit = now - timedelta(seconds=defaults.STUCK_PROCESSING_ALERT_SECONDS)
    count, oldest = stuck_processing(limit)
    if not count:
        return []
    minutes = defaults.STUCK_PROCESSING_ALERT_SECONDS // 60
    message = f"{count} deliveries processing for more than {minutes} min"
    return [Finding("webhook_logs", "critical", message, {"count": count, "since": str(oldest)})]


def no_worker(redis: Redis, now: datetime) -> list[Finding]:
    findings = []
    for name in (defaults.WEBHOOKS_QUEUE, defaults.HOUSEKEEPING_QUEUE):
        if not Worker.all(queue=Queue(name, connection=redis)):
            message = f"no RQ worker is listening on queue {name}"
            findings.append(Finding(f"queue:{name}", "critical", message))
    return findings


def redis_durability(redis: Redis, now: datetime) -> list[Finding]:
    """The spool's Redis would lose answered deliveries on a restart or under memory pressure."""
    return [
        Finding(f"redis:{name}", "warning", message)
        for name, message in durability_problems(redis).items()
    ]


def webhook_problem(redis: Redis, now: datetime) -> list[Finding]:
    findings = []
    for row in webhooks_with_problems():
        result = row["last_check_result"]
        findings_of_row = {part.strip() for part in (result or "").split(",")}
        severity = "critical" if findings_of_row & set(CRITICAL_CHECK_RESULTS) else "warning"
        subject = f"{row['account_id']}:{row['entity_type']}:{row['action']}"
        message = f"webhook {row['entity_type']} {row['action']} in МойСклад: {result}"
        findings.append(Finding(subject, severity, message, {"check_result": result}))
    active = Account.select().where(Account.status == "active")
    for account in active:
        for entity_type, action in never_installed(account):
            subject = f"{account.id}:{entity_type}:{action}"
            message = f"webhook {entity_type} {action} was never installed (run setup)"
            details = {"check_result": "not installed"}
            findings.append(Finding(subject, "critical", message, details))
    return findings


RULES = {
    "failure_rate": failure_rate,
    "receive_latency": receive_latency,
    "queue_depth": queue_depth,
    "oldest_unprocessed": oldest_unprocessed,
    "stuck_processing": stuck,
    "no_worker": no_worker,
    "redis_durability": redis_durability,
    "webhook_missing_or_disabled": webhook_problem,
}
