"""The Webhooks page's table: desired (by account type) against installed, traffic and health."""

import pandas as pd

from console.data import installed_webhooks, webhook_traffic
from jobs.webhook_sets import wanted_pairs


def webhook_overview(account_id: str, account_type: str | None) -> pd.DataFrame:
    """Desired (by the account's type) against installed, with 24 h traffic, one row per kind."""
    desired = set(wanted_pairs(account_type))
    installed = {(w["entity_type"], w["action"]): w for w in installed_webhooks(account_id)}
    traffic = webhook_traffic(account_id)
    rows = []
    for kind in sorted(desired | set(installed)):
        hook, seen = installed.get(kind, {}), traffic.get(kind, {})
        row = {
            "entity_type": kind[0],
            "action": kind[1],
            "desired": kind in desired,
            "installed": bool(hook),
            "enabled": hook.get("enabled"),
            "diff_type": hook.get("diff_type"),
            "deliveries_24h": seen.get("deliveries", 0),
            "failed_24h": seen.get("failed", 0),
            "failure_rate_24h": seen.get("failure_rate"),
            "received_total": hook.get("received_count"),
            "last_triggered_at": hook.get("last_triggered_at"),
            "last_check_at": hook.get("last_check_at"),
            "last_check_result": hook.get("last_check_result"),
        }
        rows.append({"health": webhook_health(row), **row})
    return pd.DataFrame(rows)


FAILURE_RATE_WARNING = 0.05  # the product's KPI: under 5 % failed
FAILURE_RATE_CRITICAL = 0.20
HEALTH_ORDER = ("healthy", "warning", "critical")


def webhook_health(row: dict) -> str:
    """healthy / warning / critical and why, from what the row shows."""
    rate = row["failure_rate_24h"]
    if row["desired"] and not row["installed"]:
        return "critical: missing"
    if row["installed"] and row["enabled"] is False:
        return "critical: disabled in МойСклад"
    if rate is not None and rate >= FAILURE_RATE_CRITICAL:
        return f"critical: {rate:.0%} failed"
    if not row["desired"]:
        return "warning: not wanted for this type"
    if rate is not None and rate >= FAILURE_RATE_WARNING:
        return f"warning: {rate:.0%} failed"
    if row["last_check_result"] not in (None, "ok"):
        return f"warning: {row['last_check_result']}"
    return "healthy"


def account_health(table: pd.DataFrame) -> str:
    """The worst health of the account's webhooks."""
    if table.empty:
        return "—"
    levels = {health.split(":")[0] for health in table["health"]}
    return max(levels, key=HEALTH_ORDER.index)
