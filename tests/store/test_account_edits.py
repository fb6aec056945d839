"""Console writes on accounts: webhooks switch, children list, a child's sync settings; audit."""

import uuid

import pytest

from store.account_edits import (
    get_sync_settings,
    list_children,
    set_webhooks_enabled,
    update_sync_settings,
)
from store.accounts import AccountError, add_account, get_account, link_child, set_account_type
from store.audit import recent_actions, record_action


@pytest.fixture
def franchise(db):
    main, child = str(uuid.uuid4()), str(uuid.uuid4())
    add_account(main, "Main", "t1", "main", "secret")
    add_account(child, "Child", "t2", "child", "secret")
    link_child(main, child)
    return main, child


def test_webhooks_switch_changes_once(franchise):
    main, _ = franchise
    assert set_webhooks_enabled(main, False) is True
    assert set_webhooks_enabled(main, False) is False
    assert get_account(main).webhooks_enabled is False


def test_children_show_inactive_links_with_the_reason(franchise):
    main, child = franchise
    set_account_type(child, "main")
    [row] = list_children(main)
    assert row["status"] == "inactive" and "changed type" in row["inactive_reason"]


def test_sync_settings_are_saved_for_children_only(franchise):
    main, child = franchise
    saved = update_sync_settings(child, {"sync_prices": False, "match_field": "article"})
    assert (saved["sync_prices"], saved["match_field"]) == (False, "article")
    assert get_sync_settings(child)["sync_products"] is True
    with pytest.raises(AccountError):
        update_sync_settings(main, {"sync_prices": False})
    with pytest.raises(AccountError):
        update_sync_settings(child, {"price_mappings": []})
    with pytest.raises(AccountError):
        update_sync_settings(child, {"match_field": "barcode"})


def test_audit_lists_by_target_and_prefix_newest_first(db):
    record_action("olga", "operator", "retry log", "log:1", {"x": 1}, "ok")
    record_action("olga", "operator", "retry failed logs", "logs", {}, "ok: 2")
    record_action("olga", "operator", "resolve alert", "alert:3", {}, "ok")
    assert [a["target"] for a in recent_actions(target_prefix="log")] == ["logs", "log:1"]
    assert [a["action"] for a in recent_actions(target="alert:3")] == ["resolve alert"]
