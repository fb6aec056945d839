"""setup_account: reconcile an account's webhooks in МойСклад (setup, reinstall, check).

Setup keeps / re-enables / fixes / creates what the account type wants and deletes ours that are not
wanted; reinstall deletes ours and creates all; check compares only (plus failure rate and
silence). Other integrations' webhooks are never touched. Errors are reported per webhook and do
not stop the rest. The `webhooks` table mirrors the result.
"""

from collections import Counter
from datetime import UTC, datetime

from jobs.context import current
from jobs.health import account_health
from jobs.lifecycle_mirror import mirror_check, mirror_result
from jobs.moysklad import (
    MoySkladClient,
    MoySkladError,
    MoySkladRequestError,
    client_for_account,
)
from jobs.reconcile import Step, foreign_count, plan_reinstall, plan_setup
from jobs.webhook_sets import wanted_webhooks
from store.accounts import get_account
from store.crypto import webhook_token
from store.models import Account

MODES = ("setup", "reinstall", "check")
OUTCOMES = {"keep": "kept", "create": "created", "enable": "re-enabled", "fix": "fixed"}


def webhook_url(account_id: str) -> str:
    settings = current().settings
    return settings.receive_prefix + webhook_token(str(account_id), settings.app_secret)


def setup_account(
    account_id: str,
    mode: str = "setup",
    dry_run: bool = False,
    client: MoySkladClient | None = None,
) -> dict:
    """RQ job (queue `default`) and `scripts.webhooks`: a JSON-able report of what was done."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    account = get_account(account_id)
    report = {"account_id": str(account_id), "mode": mode, "dry_run": dry_run, "webhooks": []}
    report |= {"found": [], "errors": [], "warnings": [], "foreign": 0}
    if account is None:
        return _finish(report | {"status": "failed"}, error="unknown account")
    report["account_type"] = account.account_type
    if account.status != "active":
        return _finish(report | {"status": "skipped", "reason": f"account is {account.status}"})
    wanted = wanted_webhooks(account.account_type, webhook_url(account.id))
    prefix = current().settings.receive_prefix
    try:
        api = client or client_for_account(current(), str(account.id))
        listed = api.list_webhooks()
    except MoySkladError as exc:
        return _finish(report | {"status": "failed"}, error=f"listing webhooks: {exc}")
    report["foreign"] = foreign_count(listed, prefix)
    planner = plan_reinstall if mode == "reinstall" else plan_setup
    steps = planner(wanted, listed, prefix)
    report["found"] = [f"{s.entity_type} {s.action}: {f}" for s in steps for f in s.findings]
    if mode == "check":
        _check(account, steps, report, dry_run)
    elif dry_run:
        report["webhooks"] = [_row(step, "would " + step.kind) for step in steps]
    else:
        results = [_apply(api, step) for step in steps]
        report["webhooks"] = [row for row, _ in results]
        mirror_result(str(account.id), wanted, [final for _, final in results])
    report["errors"] += [
        f"{r['entity_type']} {r['action']}: {r['error']}"
        for r in report["webhooks"]
        if r.get("error")
    ]
    return _finish(report | {"status": "done"})


def _apply(api: MoySkladClient, step: Step) -> tuple[dict, tuple[Step, dict | None, str | None]]:
    """Run one step; (report row, (step, webhook as МойСклад has it now, error))."""
    try:
        if step.kind == "keep":
            return _row(step, "kept"), (step, step.existing, None)
        if step.kind == "delete":
            api.delete_webhook(step.existing["id"])
            return _row(step, "deleted"), (step, None, None)
        if step.kind == "create":
            return _row(step, "created"), (step, _create(api, step), None)
        try:
            updated = api.update_webhook(step.existing["id"], **step.changes)
            return _row(step, OUTCOMES[step.kind]), (step, updated, None)
        except MoySkladRequestError:
            if step.kind != "fix":
                raise
            # A change МойСклад does not accept in place: replace the webhook.
            api.delete_webhook(step.existing["id"])
            created = _create(api, step)
            return _row(step, "fixed (recreated)"), (step, created, None)
    except MoySkladError as exc:
        existing = None if step.kind == "create" else step.existing
        return _row(step, "error", str(exc)), (step, existing, str(exc))


def _create(api: MoySkladClient, step: Step) -> dict:
    wanted = step.wanted
    return api.create_webhook(wanted.url, step.entity_type, step.action, wanted.diff_type)


def _row(step: Step, outcome: str, error: str | None = None) -> dict:
    row = {"entity_type": step.entity_type, "action": step.action, "outcome": outcome}
    if step.findings:
        row["found"] = ", ".join(step.findings)
    return row | ({"error": error} if error else {})


def _check(account: Account, steps: list[Step], report: dict, dry_run: bool) -> None:
    report["webhooks"] = [_row(s, ", ".join(s.findings) or "ok") for s in steps]
    health = account_health().get(str(account.id))
    for reason in health.reasons if health else []:
        if reason.startswith("failure rate"):
            report["found"].append(reason)
        elif reason.startswith("no delivery"):
            report["warnings"].append(reason)
    if not dry_run:
        mirror_check(str(account.id), steps)


def _finish(report: dict, error: str | None = None) -> dict:
    if error:
        report["errors"].append(error)
    report["counts"] = dict(Counter(row["outcome"] for row in report["webhooks"]))
    report["ok"] = not report["errors"] and (report["mode"] != "check" or not report["found"])
    report["finished_at"] = datetime.now(UTC).isoformat()
    return report


def check_all_accounts(fix: bool = True) -> dict:
    """Periodic (hourly) job: reconcile (fix=True) or only check every active account."""
    current()  # a plain rq worker initialises the database here
    mode = "setup" if fix else "check"
    reports = [
        setup_account(str(account.id), mode)
        for account in Account.select().where(Account.status == "active")
    ]
    return {
        "accounts": len(reports),
        "changed": sum(1 for r in reports if set(r["counts"]) - {"kept", "ok"}),
        "failed": [r["account_id"] for r in reports if not r["ok"]],
    }
