"""Health of webhooks and accounts from check results, failure rate, silence and loops."""

from datetime import UTC, datetime, timedelta

from jobs.lifecycle.webhook_sets import wanted_pairs
from jobs.monitoring.health import account_health, webhook_health
from store.accounts import add_account
from store.alerts import open_alert
from store.webhooks import save_webhook
from tests.jobs.log_rows import add_logs

ACCOUNT = "9171a53c-b719-11eb-c0a8-800d00000001"


def add_main_account_with_its_webhooks(settings) -> None:
    add_account(ACCOUNT, "shop", "token", "main", settings.app_secret)
    for entity_type, action in wanted_pairs("main"):
        save_webhook(ACCOUNT, entity_type, action, None, "u", None, True, "ok")


def product_update_health():
    return next(h for h in webhook_health(ACCOUNT) if h.subject == "product UPDATE")


def test_account_with_good_webhooks_and_recent_deliveries_is_healthy(settings, db):
    add_main_account_with_its_webhooks(settings)
    add_logs(30, ACCOUNT, "completed")
    assert account_health()[ACCOUNT].level == "healthy"


def test_disabled_webhook_is_critical_for_it_and_its_account(settings, db):
    add_main_account_with_its_webhooks(settings)
    save_webhook(ACCOUNT, "product", "UPDATE", None, "u", "FIELDS", False, "disabled")
    add_logs(1, ACCOUNT, "completed")
    levels = {h.subject: h.level for h in webhook_health(ACCOUNT)}
    assert levels["product UPDATE"] == "critical"
    assert {level for subject, level in levels.items() if subject != "product UPDATE"} == {
        "healthy"
    }
    health = account_health()[ACCOUNT]
    assert health.level == "critical" and "disabled" in health.reasons[0]


def test_failure_rate_silence_and_loops_worsen_health(settings, db):
    add_main_account_with_its_webhooks(settings)
    add_logs(10, ACCOUNT, "completed", datetime.now(UTC) - timedelta(days=2))
    health = account_health()[ACCOUNT]
    assert health.level == "warning" and "no delivery" in health.reasons[0]

    add_logs(80, ACCOUNT, "completed")
    add_logs(20, ACCOUNT, "failed")
    assert account_health()[ACCOUNT].level == "critical"
    assert product_update_health().level == "critical"

    open_alert("loop_suspected", f"{ACCOUNT}:product:abc", "warning", "loop")
    assert any("loop" in r for r in product_update_health().reasons)
