"""Mirroring a reconciliation into the `webhooks` table (one row per (account, type, action))."""

from jobs.lifecycle.reconcile import Step
from jobs.lifecycle.webhook_sets import WantedWebhook
from store.webhooks import (
    CHECK_OK,
    delete_webhook_rows,
    mark_check_result,
    save_webhook,
    webhooks_of,
)

MISSING = "missing"
UNWANTED = "unwanted"


def _save(account_id: str, step: Step, webhook: dict | None, result: str) -> None:
    if webhook is None:  # not in МойСклад: the row says what we wanted and that it is missing
        save_webhook(
            account_id,
            step.entity_type,
            step.action,
            None,
            step.wanted.url,
            step.wanted.diff_type,
            False,
            MISSING,
        )
        return
    save_webhook(
        account_id,
        step.entity_type,
        step.action,
        webhook.get("id"),
        webhook.get("url", ""),
        webhook.get("diffType"),
        bool(webhook.get("enabled", True)),
        result,
    )


def mirror_result(
    account_id: str,
    wanted: dict[tuple[str, str], WantedWebhook],
    finals: list[tuple[Step, dict | None, str | None]],
) -> None:
    """After setup/reinstall: wanted rows show МойСклад's state; rows of unwanted pairs go."""
    undeleted = set()
    for step, webhook, error in finals:
        if step.kind == "delete":
            if error and step.key not in wanted:
                undeleted.add(step.key)
            continue
        if error:
            result = ", ".join(step.findings) or "error"
            _save(account_id, step, webhook, result if webhook else MISSING)
        else:
            _save(account_id, step, webhook, CHECK_OK)
    stale = [(r.entity_type, r.action) for r in webhooks_of(account_id)]
    delete_webhook_rows(account_id, [k for k in stale if k not in wanted and k not in undeleted])
    for key in undeleted:
        mark_check_result(account_id, *key, UNWANTED)


def mirror_check(account_id: str, steps: list[Step]) -> None:
    """After a check: every wanted row gets its verdict; rows of unwanted ones say so."""
    for step in steps:
        if step.kind == "delete":
            if "unwanted" in step.findings:
                mark_check_result(account_id, step.entity_type, step.action, UNWANTED)
            continue
        result = ", ".join(step.findings) or CHECK_OK
        _save(account_id, step, step.existing, result)
