"""Webhook management: CRUD, bulk, paging, foreign webhooks and МойСклад's error codes."""

import pytest

from scripts.simulator import FOREIGN_APP
from tests.simulator.conftest import ACCOUNT, OTHER_ACCOUNT

URL = "https://sync.example.com/api/webhooks/receive/abc"


def _create(api, **fields):
    body = {"url": URL, "entityType": "product", "action": "CREATE"} | fields
    return api.post(api.url("/entity/webhook"), json=body)


def test_create_answers_200_with_the_webhook_json(api):
    answer = _create(api, action="UPDATE", diffType="FIELDS")
    assert answer.status_code == 200
    hook = answer.json()
    assert hook["accountId"] == ACCOUNT and hook["method"] == "POST" and hook["enabled"] is True
    assert (hook["entityType"], hook["action"], hook["diffType"]) == ("product", "UPDATE", "FIELDS")
    assert hook["meta"]["type"] == "webhook" and hook["authorApplication"]["meta"]["href"]


def test_update_webhook_without_diff_type_gets_none(api):
    assert _create(api, action="UPDATE").json()["diffType"] == "NONE"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"url": "https://x.example/" + "a" * 240}, 30010),
        ({"action": "TOUCH"}, 30002),
        ({"diffType": "FIELDS"}, 30009),
        ({"url": "ftp://x.example/"}, 30005),
    ],
)
def test_invalid_webhooks_are_refused_with_their_code(api, fields, code):
    answer = _create(api, **fields)
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["code"] == code


def test_one_webhook_per_type_and_action_per_app(api):
    assert _create(api).status_code == 200
    assert _create(api).json()["errors"][0]["code"] == 30003
    assert _create(api, url=URL + "x").json()["errors"][0]["code"] == 30007
    assert _create(api, action="DELETE").status_code == 200


def test_another_apps_webhook_is_listed_and_does_not_block_ours(api, sim):
    sim.add_webhook(ACCOUNT, "https://other.example/hook", "product", "CREATE")
    assert _create(api).status_code == 200
    rows = api.get(api.url("/entity/webhook")).json()["rows"]
    apps = sorted(row["authorApplication"]["meta"]["href"].rsplit("/", 1)[1] for row in rows)
    assert len(rows) == 2 and FOREIGN_APP in apps


def test_get_put_delete_one_webhook(api):
    hook = _create(api, action="UPDATE", diffType="FIELDS").json()
    href = api.url(f"/entity/webhook/{hook['id']}")
    assert api.get(href).json()["id"] == hook["id"]
    assert api.put(href, json={"enabled": False}).json()["enabled"] is False
    deleted = api.delete(href)
    assert deleted.status_code == 200 and deleted.content == b""
    assert api.get(href).json()["errors"][0]["code"] == 1021


def test_bulk_create_update_and_delete(api):
    created = api.post(
        api.url("/entity/webhook"),
        json=[
            {"url": URL, "entityType": "product", "action": "CREATE"},
            {"url": URL, "entityType": "service", "action": "CREATE"},
        ],
    ).json()
    assert len(created) == 2
    changed = api.post(
        api.url("/entity/webhook"), json=[{"meta": created[0]["meta"], "enabled": False}]
    ).json()
    assert changed[0]["enabled"] is False
    assert (
        api.post(
            api.url("/entity/webhook/delete"), json=[{"meta": h["meta"]} for h in created]
        ).status_code
        == 200
    )
    assert api.get(api.url("/entity/webhook")).json()["rows"] == []


def test_list_is_paged(api):
    for entity_type in ("product", "service", "variant"):
        _create(api, entityType=entity_type)
    page = api.get(api.url("/entity/webhook"), params={"limit": 2}).json()
    assert page["meta"]["size"] == 3 and len(page["rows"]) == 2 and page["meta"]["nextHref"]


def test_webhooks_belong_to_the_tokens_account(api, sim):
    _create(api)
    assert sim.webhooks(OTHER_ACCOUNT) == []


def test_unknown_or_nested_types_get_method_and_non_boolean_enabled_are_refused(api, receiver):
    """md/dictionaries/_webhook.md — Атрибуты сущности (entityType, method, enabled)."""
    base = {"url": receiver.url(), "action": "CREATE", "entityType": "product"}
    for change, code in [
        ({"entityType": "customerorderposition"}, 30000),
        ({"entityType": "spaceship"}, 30000),
        ({"method": "GET"}, 3005),
        ({"enabled": "yes"}, 3005),
    ]:
        answer = api.post(api.url("/entity/webhook"), json=base | change)
        assert answer.status_code == 400 and answer.json()["errors"][0]["code"] == code, change
