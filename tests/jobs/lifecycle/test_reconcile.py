"""The reconciliation plan over МойСклад's webhook JSON: keep, enable, fix, create, delete."""

from jobs.lifecycle.reconcile import plan_reinstall, plan_setup
from jobs.lifecycle.webhook_sets import wanted_pairs, wanted_webhooks

PREFIX = "https://sync.example.com/api/webhooks/receive/"
URL = PREFIX + "token"


def hook(entity_type, action, url=URL, enabled=True, diff=None, hook_id=None):
    webhook = {"id": hook_id or f"{entity_type}-{action}", "entityType": entity_type}
    webhook |= {"action": action, "url": url, "enabled": enabled}
    if action == "UPDATE":
        webhook["diffType"] = diff or "FIELDS"
    return webhook


def kinds(steps) -> dict:
    return {(s.entity_type, s.action, s.kind) for s in steps if s.kind != "keep"}


def test_sets_are_15_for_main_13_for_child_none_without_type():
    assert len(wanted_pairs("main")) == 15 and len(wanted_pairs("child")) == 13
    assert wanted_pairs(None) == []
    wanted = wanted_webhooks("main", URL)
    assert {w.diff_type for w in wanted.values() if w.action == "UPDATE"} == {"FIELDS"}
    assert {w.diff_type for w in wanted.values() if w.action != "UPDATE"} == {None}


def test_empty_account_gets_every_wanted_webhook_created():
    steps = plan_setup(wanted_webhooks("child", URL), [], PREFIX)
    assert [s.kind for s in steps] == ["create"] * 13


def test_matching_webhooks_are_kept_and_foreign_ones_ignored():
    listed = [hook(t, a) for t, a in wanted_pairs("main")]
    listed.append(hook("product", "UPDATE", url="https://other.example.com/hook"))
    steps = plan_setup(wanted_webhooks("main", URL), listed, PREFIX)
    assert kinds(steps) == set() and len(steps) == 15


def test_disabled_is_enabled_wrong_url_or_diff_is_fixed_unwanted_and_duplicates_deleted():
    listed = [hook(t, a) for t, a in wanted_pairs("main")]
    listed[0]["enabled"] = False  # product CREATE
    listed[1]["diffType"] = "NONE"  # product UPDATE
    listed[2]["url"] = PREFIX + "old-token"  # product DELETE
    listed.append(hook("customerorder", "CREATE"))
    listed.append(hook("service", "CREATE", hook_id="dup", url=PREFIX + "x"))
    steps = plan_setup(wanted_webhooks("main", URL), listed, PREFIX)
    assert kinds(steps) == {
        ("product", "CREATE", "enable"),
        ("product", "UPDATE", "fix"),
        ("product", "DELETE", "fix"),
        ("customerorder", "CREATE", "delete"),
        ("service", "CREATE", "delete"),
    }
    by_key = {(s.entity_type, s.action, s.kind): s for s in steps}
    assert by_key[("product", "UPDATE", "fix")].changes == {"diffType": "FIELDS"}
    assert by_key[("product", "DELETE", "fix")].changes == {"url": URL}
    assert by_key[("service", "CREATE", "delete")].existing["id"] == "dup"  # the other kept
    assert by_key[("product", "CREATE", "enable")].findings == ["disabled"]


def test_account_without_type_deletes_ours_only():
    listed = [hook("product", "CREATE"), hook("product", "DELETE", url="https://crm.example/x")]
    steps = plan_setup(wanted_webhooks(None, URL), listed, PREFIX)
    assert [(s.kind, s.existing["url"]) for s in steps] == [("delete", URL)]


def test_reinstall_deletes_all_of_ours_then_creates_all():
    listed = [hook(t, a) for t, a in wanted_pairs("child")] + [
        hook("bundle", "CREATE", url="https://f/")
    ]
    steps = plan_reinstall(wanted_webhooks("child", URL), listed, PREFIX)
    assert [s.kind for s in steps] == ["delete"] * 13 + ["create"] * 13
