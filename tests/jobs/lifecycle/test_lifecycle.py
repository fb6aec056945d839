"""Reconciling setup, reinstall and check against the simulator and the real PostgreSQL/Redis."""

from concurrent.futures import ThreadPoolExecutor

from jobs.lifecycle.setup import setup_account
from scripts.simulator.simulator import OUR_APP
from store.crypto import webhook_token
from store.models import Account, Webhook
from tests.conftest import TEST_SECRET
from tests.jobs import lifecycle_fixtures
from tests.jobs.lifecycle_fixtures import CHILD, FOREIGN_URL, MAIN

franchise = lifecycle_fixtures.franchise


def pairs(hooks: list[dict]) -> set[tuple[str, str, str | None]]:
    return {(w["entityType"], w["action"], w.get("diffType")) for w in hooks}


def test_setup_installs_exactly_15_for_main_and_13_for_child_with_fields_on_updates(franchise):
    main_report = setup_account(MAIN)
    child_report = setup_account(CHILD)
    assert main_report["ok"] and main_report["counts"] == {"created": 15}
    assert child_report["counts"] == {"created": 13}
    for account_id, count in ((MAIN, 15), (CHILD, 13)):
        hooks = franchise.ours(account_id)
        assert len(hooks) == count and len(pairs(hooks)) == count
        updates = [w for w in hooks if w["action"] == "UPDATE"]
        assert updates and all(w["diffType"] == "FIELDS" for w in updates)
        assert all(w["enabled"] for w in hooks)
        assert {w["url"] for w in hooks} == {franchise.settings.receive_prefix + _token(account_id)}
    rows = Webhook.select().where(Webhook.account == MAIN)
    assert rows.count() == 15 and {r.last_check_result for r in rows} == {"ok"}
    assert {str(r.moysklad_webhook_id) for r in rows} == {w["id"] for w in franchise.ours(MAIN)}


def test_second_setup_changes_nothing(franchise):
    setup_account(MAIN)
    franchise.sim.clear_requests()
    report = setup_account(MAIN)
    assert report["counts"] == {"kept": 15} and report["found"] == []
    assert franchise.writes() == []


def test_foreign_webhook_survives_setup_reinstall_and_removal_of_the_type(franchise):
    foreign = franchise.sim.add_webhook(MAIN, FOREIGN_URL, "product", "UPDATE")
    assert setup_account(MAIN)["foreign"] == 1
    reinstall = setup_account(MAIN, "reinstall")
    assert reinstall["counts"] == {"deleted": 15, "created": 15} and reinstall["ok"]
    Account.update(account_type=None).where(Account.id == MAIN).execute()
    cleanup = setup_account(MAIN)
    assert cleanup["counts"] == {"deleted": 15}
    assert franchise.hooks(MAIN) == [foreign]
    assert Webhook.select().where(Webhook.account == MAIN).count() == 0


def test_disabled_wrong_url_and_wrong_diff_type_are_fixed_in_place(franchise):
    setup_account(MAIN)
    hooks = {(w["entityType"], w["action"]): w for w in franchise.ours(MAIN)}
    franchise.sim.disable_webhook(hooks["product", "CREATE"]["id"])
    franchise.sim.remove_webhook(hooks["service", "DELETE"]["id"])
    # Our app's bundle UPDATE, re-created (by an old version) without diffType FIELDS:
    franchise.sim.remove_webhook(hooks["bundle", "UPDATE"]["id"])
    url = hooks["bundle", "UPDATE"]["url"]
    franchise.sim.add_webhook(MAIN, url, "bundle", "UPDATE", "NONE", app_id=OUR_APP)

    check = setup_account(MAIN, "check")
    assert not check["ok"]
    assert sorted(check["found"]) == [
        "bundle UPDATE: wrong diffType",
        "product CREATE: disabled",
        "service DELETE: missing",
    ]
    assert Webhook.get(entity_type="product", action="CREATE").last_check_result == "disabled"

    report = setup_account(MAIN)
    assert report["counts"] == {"kept": 12, "re-enabled": 1, "fixed": 1, "created": 1}
    assert all(w["enabled"] for w in franchise.ours(MAIN)) and len(franchise.ours(MAIN)) == 15
    assert setup_account(MAIN, "check")["ok"]


def test_one_failing_webhook_is_reported_and_the_rest_still_installed(franchise):
    # The same app installed from another environment: МойСклад refuses a second one (30007).
    franchise.sim.add_webhook(
        MAIN,
        "https://staging.example.com/api/webhooks/receive/x",
        "product",
        "CREATE",
        app_id=OUR_APP,
    )
    report = setup_account(MAIN)
    assert report["counts"] == {"created": 14, "error": 1} and not report["ok"]
    assert "product CREATE" in report["errors"][0] and "30007" in report["errors"][0]
    assert Webhook.get(entity_type="product", action="CREATE").last_check_result == "missing"


def test_dry_run_plans_without_changing_anything(franchise):
    report = setup_account(MAIN, dry_run=True)
    assert report["counts"] == {"would create": 15}
    assert franchise.writes() == [] and Webhook.select().count() == 0


def _token(account_id: str) -> str:
    return webhook_token(account_id, TEST_SECRET)


def test_concurrent_setups_of_one_account_install_each_webhook_once(franchise):
    with ThreadPoolExecutor(3) as pool:
        reports = list(pool.map(lambda _: setup_account(MAIN), range(3)))
    assert sum(r["counts"].get("created", 0) for r in reports) == 15
    assert all(r["ok"] for r in reports) and len(franchise.ours(MAIN)) == 15
