"""setup_account: reconcile an account's webhooks in МойСклад (setup, reinstall, check).

Setup keeps / re-enables / fixes / creates what the account type wants and deletes ours that are not
wanted; reinstall deletes ours and creates all; check compares only (plus failure rate and
silence). Other integrations' webhooks are never touched. Errors are reported per webhook and do
not stop the rest. The `webhooks` table mirrors the result.
"""

import logging
from collections import Counter
from datetime import UTC, datetime

from redis.exceptions import LockNotOwnedError

from jobs import defaults
from jobs.context import current
from jobs.lifecycle.mirror import mirror_check, mirror_result
from jobs.lifecycle.reconcile import Step, foreign_count, plan_reinstall, plan_setup
from jobs.lifecycle.steps import apply_step, report_row
from jobs.lifecycle.webhook_sets import wanted_webhooks
from jobs.monitoring.health import account_health
from jobs.moysklad import (
    MoySkladClient,
    MoySkladError,
    client_for_account,
)
from store.accounts import get_account
from store.crypto import webhook_token
from store.models import Account

MODES = ("setup", "reinstall", "check")
log = logging.getLogger(__name__)


class LockNotAcquired(Exception):
    """Another reconciliation of the same account held its lock for longer than we wait."""


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
    # One reconciliation per account at a time (hourly check vs. a type change vs. an operator):
    # two at once would both see a webhook missing and both create it.
    lock = current().redis.lock(
        f"lifecycle:setup:{account_id}",
        timeout=defaults.SETUP_WEBHOOKS_TIMEOUT,
        blocking_timeout=defaults.SETUP_LOCK_WAIT,
    )
    if not lock.acquire():
        raise LockNotAcquired(f"another setup of account {account_id} is still running")
    try:
        return _reconcile(account_id, mode, dry_run, client)
    finally:
        try:
            lock.release()
        except LockNotOwnedError:
            # The lock outlived its timeout (a setup slower than its job timeout): nothing to free.
            log.warning("setup lock of %s had expired before release", account_id)


def _reconcile(account_id: str, mode: str, dry_run: bool, client: MoySkladClient | None) -> dict:
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
        report["webhooks"] = [report_row(step, "would " + step.kind) for step in steps]
    else:
        results = [apply_step(api, step) for step in steps]
        report["webhooks"] = [row for row, _ in results]
        mirror_result(str(account.id), wanted, [final for _, final in results])
    report["errors"] += [
        f"{r['entity_type']} {r['action']}: {r['error']}"
        for r in report["webhooks"]
        if r.get("error")
    ]
    return _finish(report | {"status": "done"})


def _check(account: Account, steps: list[Step], report: dict, dry_run: bool) -> None:
    # In a check the outcome is the finding itself.
    rows = [report_row(s, ", ".join(s.findings) or "ok") for s in steps]
    report["webhooks"] = [{k: v for k, v in row.items() if k != "found"} for row in rows]
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
    reports, busy = [], []
    for account in Account.select().where(Account.status == "active"):
        try:
            reports.append(setup_account(str(account.id), mode))
        except LockNotAcquired:
            busy.append(str(account.id))  # another setup holds it; the next hour comes round
    return {
        "accounts": len(reports),
        "changed": sum(1 for r in reports if fix and set(r["counts"]) - {"kept"}),
        "failed": [r["account_id"] for r in reports if not r["ok"]] + busy,
    }
