"""The Webhooks page's table: desired (by account type) against installed, traffic and health."""

import pandas as pd

from console.data import installed_webhooks, webhook_health, webhook_traffic
from jobs.lifecycle.webhook_sets import wanted_pairs

MISSING = "critical: missing (not installed in МойСклад)"
UNWANTED = "warning: installed but not wanted for this type (setup removes it)"


def webhook_overview(account_id: str, account_type: str | None) -> pd.DataFrame:
    """Desired (by the account's type) against installed, health and 24 h traffic, one row each."""
    desired = set(wanted_pairs(account_type))
    installed = {(w["entity_type"], w["action"]): w for w in installed_webhooks(account_id)}
    traffic = webhook_traffic(account_id)
    health = webhook_health(account_id)
    rows = []
    for kind in sorted(desired | set(installed)):
        hook, seen = installed.get(kind, {}), traffic.get(kind, {})
        rows.append(
            {
                "health": _health(kind, desired, installed, health),
                "entity_type": kind[0],
                "action": kind[1],
                "desired": kind in desired,
                "installed": bool(hook),
                "enabled": hook.get("enabled"),
                "diff_type": hook.get("diff_type"),
                "deliveries_24h": seen.get("deliveries", 0),
                "failed_24h": seen.get("failed", 0),
                "received_since_install": hook.get("received_count"),
                "last_triggered_at": hook.get("last_triggered_at"),
                "last_check_at": hook.get("last_check_at"),
                "last_check_result": hook.get("last_check_result"),
            }
        )
    return pd.DataFrame(rows)


def _health(kind, desired, installed, health) -> str:
    if kind not in installed:
        return MISSING
    level, reasons = health.get(f"{kind[0]} {kind[1]}", ("healthy", []))
    if kind not in desired:
        return UNWANTED
    return f"{level}: {'; '.join(reasons)}" if reasons else level
