"""Accounts page: type change, webhooks switch, links and sync settings — each audited."""

import json

from rq import Queue

from jobs import defaults
from jobs.filters.folder_names import folder_names_key
from store.account_edits import get_sync_settings
from store.accounts import get_account
from store.audit import recent_actions
from store.models import ChildAccount, SyncSettings
from tests.console.conftest import assert_no_exception, open_page
from tests.console.seed import seed_console


def click(app, label: str):
    return next(b for b in app.button if b.label == label).click().run()


def pick(app, account_id: str):
    return app.selectbox(key="accounts_account").select(account_id).run()


def confirm(app, label: str):
    """Click the button, then its Confirm."""
    return click(click(app, label), f"Confirm: {label}")


def test_changing_the_type_deactivates_links_and_enqueues_setup(console, redis):
    seeded = seed_console()
    app = pick(open_page("accounts"), seeded.main)
    assert app.radio(key=f"new_type_{seeded.main}").options == ["child"]
    click(app, "Make it child and reinstall its webhooks")
    question = next(w.value for w in app.warning if "Make it child" in w.value)
    assert "Main shop becomes **child**: 2 active child link(s) become inactive" in question
    assert "its 15 webhook(s) of a main account are removed in МойСклад" in question
    assert get_account(seeded.main).account_type == "main"  # asked, not done
    click(app, "Confirm: Make it child and reinstall its webhooks")
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
    confirm(app, "Switch webhooks off")
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


def test_cancel_changes_nothing_and_the_question_belongs_to_its_account(console, redis):
    seeded = seed_console()
    app = pick(open_page("accounts"), seeded.main)
    click(app, "Make it child and reinstall its webhooks")
    pick(app, seeded.children[0])  # another account: its own choice, no question pending
    assert app.radio(key=f"new_type_{seeded.children[0]}").options == ["main"]
    assert not any(b.label.startswith("Confirm:") for b in app.button)
    pick(app, seeded.main)
    click(app, "Cancel")
    assert_no_exception(app)
    assert not any(b.label.startswith("Confirm:") for b in app.button)
    assert get_account(seeded.main).account_type == "main"
    assert Queue(defaults.DEFAULT_QUEUE, connection=redis).count == 0
    assert recent_actions(target=f"account:{seeded.main}") == []


def test_children_table_shows_names_not_ids(console):
    seeded = seed_console()
    app = pick(open_page("accounts"), seeded.main)
    children = app.dataframe[1].value
    assert list(children.columns) == ["name", "status", "inactive_reason", "inactive_since"]
    assert list(children["name"]) == ["Franchisee 1", "Franchisee 2"]
    assert set(children["inactive_reason"]) == {"—"}


def test_a_filters_folders_are_named_once_looked_up(console, redis):
    seeded = seed_console()
    child = seeded.children[0]
    wanted = {"conditions": [{"field": "folder", "op": "in", "values": ["f-1", "f-2"]}]}
    SyncSettings.update(product_filter=wanted).where(SyncSettings.child_account == child).execute()
    redis.hset(folder_names_key(seeded.main), mapping={"f-1": "Shoes/Boots"})
    app = pick(open_page("accounts"), child)
    folders = next(d.value for d in app.dataframe if "folder" in d.value.columns)
    assert list(folders["folder"]) == ["Shoes/Boots", "name not looked up yet"]
    click(app, "Look up folder names")
    (job,) = Queue(defaults.DEFAULT_QUEUE, connection=redis).get_jobs()
    assert (job.func_name, job.args) == (defaults.REFRESH_FOLDER_NAMES_FUNC, (seeded.main,))


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
