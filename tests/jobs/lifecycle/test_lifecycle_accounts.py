"""Account lifecycle: type changes swap the sets, inactive accounts are left alone, the hourly
check heals what МойСклад disabled, and setup runs as an RQ job."""

from rq import Queue, SimpleWorker

from jobs import defaults
from jobs.lifecycle.setup import check_all_accounts, setup_account
from jobs.monitoring.alert_rules import RULES
from jobs.monitoring.alerts import evaluate_alerts
from jobs.queues import enqueue_setup
from store.accounts import set_account_type
from store.models import Account, ChildAccount, Webhook
from tests.jobs import lifecycle_fixtures
from tests.jobs.lifecycle_fixtures import CHILD, MAIN

franchise = lifecycle_fixtures.franchise


def test_switching_main_to_child_swaps_the_sets_and_marks_children_inactive(franchise):
    setup_account(MAIN)
    assert set_account_type(MAIN, "child") == 1
    link = ChildAccount.get(ChildAccount.child == CHILD)
    assert link.status == "inactive" and "changed type from main to child" in link.inactive_reason

    report = setup_account(MAIN)
    assert report["counts"] == {"kept": 4, "deleted": 11, "created": 9}
    hooks = {(w["entityType"], w["action"]) for w in franchise.ours(MAIN)}
    assert len(hooks) == 13 and ("customerorder", "UPDATE") in hooks
    assert ("product", "CREATE") not in hooks and ("productfolder", "DELETE") not in hooks
    rows = {(r.entity_type, r.action) for r in Webhook.select().where(Webhook.account == MAIN)}
    assert rows == hooks


def test_uninstalled_or_suspended_account_is_left_untouched(franchise):
    setup_account(MAIN)
    franchise.sim.clear_requests()
    for status in ("uninstalled", "suspended"):
        Account.update(status=status).where(Account.id == MAIN).execute()
        report = setup_account(MAIN, "reinstall")
        assert report["status"] == "skipped" and report["reason"] == f"account is {status}"
    assert franchise.sim.requests == [] and len(franchise.ours(MAIN)) == 15


def test_hourly_check_re_enables_a_webhook_the_simulator_disabled(franchise):
    setup_account(MAIN)
    setup_account(CHILD)
    disabled = next(w for w in franchise.ours(CHILD) if w["action"] == "UPDATE")
    franchise.sim.disable_webhook(disabled["id"])

    summary = check_all_accounts(fix=True)
    assert summary == {"accounts": 2, "changed": 1, "failed": []}
    assert all(w["enabled"] for w in franchise.ours(CHILD))
    row = Webhook.get(Webhook.moysklad_webhook_id == disabled["id"])
    assert row.enabled and row.last_check_result == "ok"


def test_check_only_mode_reports_and_changes_nothing(franchise):
    setup_account(MAIN)
    setup_account(CHILD)
    assert check_all_accounts(fix=False)["failed"] == []
    franchise.sim.disable_webhook(franchise.ours(MAIN)[0]["id"])
    franchise.sim.clear_requests()
    summary = check_all_accounts(fix=False)
    assert summary["failed"] == [MAIN]
    assert franchise.writes() == []


def test_setup_runs_as_an_rq_job_with_a_report(franchise, redis):
    job_id = enqueue_setup(redis, MAIN)
    SimpleWorker([Queue(defaults.DEFAULT_QUEUE, connection=redis)], connection=redis).work(
        burst=True
    )
    job = Queue(defaults.DEFAULT_QUEUE, connection=redis).fetch_job(job_id)
    assert job.return_value()["counts"] == {"created": 15}
    assert len(franchise.ours(MAIN)) == 15


def test_every_request_to_moysklad_carries_the_loop_guard_header(franchise):
    setup_account(MAIN, "reinstall")
    setup_account(MAIN, "check")
    guard = franchise.settings.loop_guard_prefix
    assert franchise.sim.requests
    assert all(
        r.headers.get("x-lognex-webhook-disablebyprefix") == guard for r in franchise.sim.requests
    )


def test_disabled_webhook_found_by_check_opens_an_alert_and_the_fix_resolves_it(franchise):
    rule = {"webhook_missing_or_disabled": RULES["webhook_missing_or_disabled"]}
    setup_account(MAIN)
    setup_account(CHILD)
    hook = next(w for w in franchise.ours(MAIN) if w["entityType"] == "productfolder")
    franchise.sim.disable_webhook(hook["id"])
    setup_account(MAIN, "check")
    subject = f"{MAIN}:productfolder:{hook['action']}"
    assert evaluate_alerts(rules=rule)["webhook_missing_or_disabled"]["opened"] == [subject]
    setup_account(MAIN)
    assert evaluate_alerts(rules=rule)["webhook_missing_or_disabled"]["resolved"] == [subject]
