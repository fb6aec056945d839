"""Accounts page: type change, webhooks switch, links and sync settings — each audited."""

import json

from rq import Queue

from jobs import defaults
from store.account_edits import get_sync_settings
from store.accounts import get_account
from store.audit import recent_actions
from store.models import ChildAccount
from tests.console.conftest import assert_no_exception, open_page
from tests.console.seed import seed_console


def click(app, label: str):
    return next(b for b in app.button if b.label == label).click().run()


def pick(app, account_id: str):
    return app.selectbox(key="accounts_account").select(account_id).run()


def test_changing_the_type_deactivates_links_and_enqueues_setup(console, redis):
    seeded = seed_console()
    app = pick(open_page("accounts"), seeded.main)
    app.radio(key="new_type").set_value("child").run()
    click(app, "Make it child and reinstall its webhooks")
    assert_no_exception(app)
    assert get_account(seeded.main).account_type == "child"
    assert {link.status for link in ChildAccount.select()} == {"inactive"}
    jobs = Queue(defaults.DEFAULT_QUEUE, connection=redis).get_jobs()
    assert [(j.func_name, j.args, j.kwargs) for j in jobs] == [
        (defaults.SETUP_WEBHOOKS_FUNC, (seeded.main,), {"mode": "setup"})
    ]
    entry = recent_actions(target=f"account:{seeded.main}")[0]
    assert entry["action"] == "set account type" and entry["result"].startswith("ok: 2 link(s)")


def test_switching_webhooks_off_is_saved_and_audited(console):
    seeded = seed_console()
    app = pick(open_page("accounts"), seeded.main)
    click(app, "Switch webhooks off")
    assert get_account(seeded.main).webhooks_enabled is False
    assert "Switch webhooks on" in [b.label for b in app.button]
    assert recent_actions(target=f"account:{seeded.main}")[0]["result"] == "ok: webhooks off"


def test_inactive_child_is_shown_and_reactivated(console):
    seeded = seed_console()
    ChildAccount.update(status="inactive", inactive_reason="test").where(
        ChildAccount.child == seeded.children[0]
    ).execute()
    app = pick(open_page("accounts"), seeded.main)
    assert "inactive" in set(app.dataframe[1].value["status"])
    click(app, "Reactivate Franchisee 1")
    assert ChildAccount.get(ChildAccount.child == seeded.children[0]).status == "active"
    assert recent_actions(target=f"account:{seeded.main}")[0]["action"] == "reactivate child"


def test_valid_filter_is_saved_and_invalid_one_is_refused(console):
    seeded = seed_console()
    child = seeded.children[0]
    wanted = {"mode": "whitelist", "conditions": [{"field": "code", "op": "eq", "value": "A1"}]}
    app = pick(open_page("accounts"), child)
    app.text_area[0].input(json.dumps(wanted))
    app.checkbox[0].uncheck()  # products
    next(b for b in app.get("form_submit_button")).click().run()
    assert_no_exception(app)
    saved = get_sync_settings(child)
    assert saved["product_filter"] == wanted and saved["sync_products"] is False
    assert recent_actions(target=f"account:{child}")[0]["action"] == "edit sync settings"

    app.text_area[0].input('{"mode": "sometimes"}')
    next(b for b in app.get("form_submit_button")).click().run()
    assert app.error and app.error[0].value.startswith("The filter is not saved")
    assert get_sync_settings(child)["product_filter"] == wanted


def test_what_the_child_owns_is_saved_and_a_field_the_sync_does_not_copy_is_refused(console):
    seeded = seed_console()
    child = seeded.children[0]
    app = pick(open_page("accounts"), child)
    inputs = {t.label: t for t in app.text_input}
    inputs["The child's own price types (names)"].input("Розница, Акция")
    inputs["The child's own fields (e.g. description, minPrice)"].input("description")
    next(b for b in app.get("form_submit_button")).click().run()
    assert_no_exception(app)
    saved = get_sync_settings(child)
    assert saved["owned_price_types"] == ["Розница", "Акция"]
    assert saved["owned_fields"] == ["description"]

    inputs = {t.label: t for t in app.text_input}
    inputs["The child's own fields (e.g. description, minPrice)"].input("owner")
    next(b for b in app.get("form_submit_button")).click().run()
    assert "not fields the sync copies" in recent_actions(target=f"account:{child}")[0]["result"]
    assert get_sync_settings(child)["owned_fields"] == ["description"]
