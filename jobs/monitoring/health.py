"""Health of webhooks and accounts (healthy / warning / critical), and the one verdict of the
whole pipeline — receiving, processing and the sync executor (healthy / degraded / down) — with
the reasons that make it so."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from psycopg2 import Error as DatabaseError
from redis import Redis
from redis.exceptions import RedisError

from jobs import defaults
from jobs.lifecycle.webhook_sets import wanted_pairs
from jobs.monitoring.executor_health import executor_findings
from store.alerts import active_alerts
from store.health import finished_counts, last_delivery_by_account
from store.models import Account, Webhook
from store.webhooks import CHECK_OK, webhooks_of

LEVELS = ("healthy", "warning", "critical")
LOOP_RULE = "loop_suspected"  # opened by the processing job's loop detector


@dataclass
class Health:
    subject: str
    level: str = "healthy"
    reasons: list[str] = field(default_factory=list)

    def worsen(self, level: str, reason: str) -> None:
        self.reasons.append(reason)
        if LEVELS.index(level) > LEVELS.index(self.level):
            self.level = level


def failure_level(completed: int, failed: int) -> tuple[str, float]:
    """The level a failure rate earns; too few finished logs to judge is healthy."""
    finished = completed + failed
    rate = failed / finished if finished else 0.0
    if finished < defaults.FAILURE_RATE_MIN_FINISHED:
        return "healthy", rate
    if rate > defaults.FAILURE_RATE_CRITICAL:
        return "critical", rate
    if rate > defaults.FAILURE_RATE_WARNING:
        return "warning", rate
    return "healthy", rate


def _since(now: datetime) -> datetime:
    return now - timedelta(seconds=defaults.FAILURE_RATE_WINDOW_SECONDS)


def _loops_by_account() -> dict[str, list[str]]:
    loops: dict[str, list[str]] = {}
    for alert in active_alerts(LOOP_RULE):
        account_id, _, rest = alert.subject.partition(":")
        loops.setdefault(account_id, []).append(rest)
    return loops


def webhook_health(account_id: str, now: datetime | None = None) -> list[Health]:
    """Each installed webhook of the account: its last check, failure rate, loop suspicion."""
    now = now or datetime.now(UTC)
    account_id = str(account_id)
    hooks = webhooks_of(account_id)
    return _webhook_health(account_id, hooks, finished_counts(_since(now)), _loops_by_account())


def _webhook_health(
    account_id: str, hooks: list[Webhook], counts: dict, loops_by_account: dict
) -> list[Health]:
    loops = loops_by_account.get(account_id, [])
    result = []
    for hook in hooks:
        health = Health(f"{hook.entity_type} {hook.action}")
        if hook.last_check_result not in (None, CHECK_OK):
            health.worsen("critical", f"in МойСклад: {hook.last_check_result}")
        completed, failed = counts.get((account_id, hook.entity_type, hook.action), (0, 0))
        level, rate = failure_level(completed, failed)
        if level != "healthy":
            health.worsen(level, f"failure rate {rate:.1%} in the last hour")
        if any(subject.startswith(hook.entity_type + ":") for subject in loops):
            health.worsen("warning", "loop suspected for one of its entities")
        result.append(health)
    return result


def never_installed(account: Account, hooks: list[Webhook] | None = None) -> list[tuple[str, str]]:
    """Webhooks the account's type wants that our setup has not installed (no row at all);
    `hooks` are its rows when the caller has read them already.

    An account with its webhooks switched off wants none."""
    if not account.webhooks_enabled:
        return []
    if hooks is None:
        hooks = webhooks_of(str(account.id))
    installed = {(hook.entity_type, hook.action) for hook in hooks}
    return [pair for pair in wanted_pairs(account.account_type) if pair not in installed]


def account_health(now: datetime | None = None) -> dict[str, Health]:
    """Every active account: its webhooks' worst level, its failure rate, silence, loops."""
    now = now or datetime.now(UTC)
    counts = finished_counts(_since(now))
    last = last_delivery_by_account()
    loops = _loops_by_account()
    result = {}
    for account in Account.select().where(Account.status == "active"):
        account_id = str(account.id)
        health = Health(account_id)
        rows = webhooks_of(account_id)
        hooks = _webhook_health(account_id, rows, counts, loops)
        for hook in hooks:
            for reason in hook.reasons:
                health.worsen(hook.level, f"{hook.subject}: {reason}")
        if missing := never_installed(account, rows):
            names = ", ".join(f"{t} {a}" for t, a in missing)
            health.worsen("critical", f"{len(missing)} wanted webhook(s) never installed: {names}")
        pairs = [v for k, v in counts.items() if k[0] == account_id]
        level, rate = failure_level(sum(c for c, _ in pairs), sum(f for _, f in pairs))
        if level != "healthy":
            health.worsen(level, f"failure rate {rate:.1%} in the last hour")
        silence = timedelta(hours=defaults.SILENCE_WARNING_HOURS)
        if hooks and (last.get(account_id) is None or now - last[account_id] > silence):
            hours = defaults.SILENCE_WARNING_HOURS
            health.worsen("warning", f"no delivery for more than {hours} h")
        if loops.get(account_id):
            health.worsen("warning", f"{len(loops[account_id])} entity loop(s) suspected")
        result[account_id] = health
    return result


# --- The one verdict of the whole pipeline: the console's banner, `check`'s exit, /metrics ---
VERDICTS = ("healthy", "degraded", "down")
# What a source's severity means for the whole pipeline ("warning"/"critical" are the alert
# rules' words, "degraded"/"down" the verdict's own; both are accepted).
VERDICT_OF = {"warning": "degraded", "degraded": "degraded", "critical": "down", "down": "down"}
# A critical finding of these rules stops the pipeline; any other finding degrades it.
STOPPING_RULES = ("no_worker", "stuck_processing", "queue_depth")
# Judged per account and per webhook (with their names) by account_findings instead.
ACCOUNT_RULES = ("failure_rate", "webhook_missing_or_disabled")
# A risk in how a service is configured, not the pipeline failing: an alert and a /readyz
# problem, not part of the verdict (a development Redis without AOF still processes everything).
CONFIGURATION_RULES = ("redis_durability",)
# A finding source: no arguments, returns (severity, reason) pairs.
FindingSource = Callable[[], list[tuple[str, str]]]


@dataclass(frozen=True)
class Verdict:
    level: str  # healthy | degraded | down
    reasons: list[tuple[str, str]]  # (degraded | down, why), the worst first

    @property
    def healthy(self) -> bool:
        return self.level == "healthy"

    @property
    def code(self) -> int:
        """0 healthy, 1 degraded, 2 down (the /metrics gauge)."""
        return VERDICTS.index(self.level)


def pipeline_findings(redis: Redis, now: datetime | None = None) -> list[tuple[str, str]]:
    """The alert rules evaluated now (not their stored alerts, which lag a minute)."""
    # alert_rules builds on this module's failure_level: imported here, not at the top.
    from jobs.monitoring.alert_rules import RULES

    now = now or datetime.now(UTC)
    findings = []
    for rule, evaluate in RULES.items():
        if rule in ACCOUNT_RULES or rule in CONFIGURATION_RULES:
            continue
        for finding in evaluate(redis, now):
            stops = finding.severity == "critical" and rule in STOPPING_RULES
            findings.append(("down" if stops else "degraded", f"{rule}: {finding.message}"))
    return findings


def account_findings(now: datetime | None = None) -> list[tuple[str, str]]:
    """Every active account that is not healthy degrades the pipeline, with its reasons."""
    names = {str(a.id): a.name for a in Account.select(Account.id, Account.name)}
    return [
        ("degraded", f"account {names.get(account_id, account_id)}: {reason}")
        for account_id, health in account_health(now).items()
        for reason in health.reasons
    ]


def verdict(
    redis: Redis, sources: list[FindingSource] | None = None, now: datetime | None = None
) -> Verdict:
    """healthy / degraded / down with every reason; a source that cannot be read is a reason."""
    if sources is None:
        sources = [
            lambda: pipeline_findings(redis, now),
            lambda: account_findings(now),
            lambda: executor_findings(now, redis),
        ]
    reasons: list[tuple[str, str]] = []
    for source in sources:
        try:
            found = source()
        except (DatabaseError, RedisError) as exc:
            found = [("down", f"cannot be judged: {type(exc).__name__}: {exc}")]
        reasons += [(VERDICT_OF.get(severity, "degraded"), why) for severity, why in found]
    reasons.sort(key=lambda pair: -VERDICTS.index(pair[0]))
    level = reasons[0][0] if reasons else "healthy"
    return Verdict(level, reasons)
