"""Webhook delivery like МойСклад's: body, headers, requestId, re-sends, timeout, loop guard."""

from scripts.simulator.delivery import DELIVERY_TIMEOUT, USER_AGENT
from tests.simulator.conftest import ACCOUNT, PREFIX


def _hook(
    sim,
    receiver,
    action="UPDATE",
    diff_type="FIELDS",
    path="/api/webhooks/receive/abc",
    entity_type="product",
):
    url = receiver.url(path)
    return sim.add_webhook(
        ACCOUNT, url, entity_type, action, diff_type if action == "UPDATE" else None
    )


def test_user_edit_posts_a_body_with_request_id_and_moysklad_headers(sim, receiver):
    _hook(sim, receiver)
    product = sim.add_entity(ACCOUNT, "product", {"name": "A", "attributes": {"Бренд": "X"}})
    sim.update_entity(
        ACCOUNT, "product", product["id"], {"name": "B", "attributes": {"Бренд": "Y"}}
    )
    assert sim.flush_deliveries(5)
    (delivery,) = receiver.received
    assert delivery["headers"]["User-Agent"] == USER_AGENT
    assert delivery["headers"]["Content-Type"] == "application/json"
    assert delivery["query"]["requestId"] == [sim.deliveries[0].request_id]
    body = delivery["body"]
    assert body["auditContext"]["meta"]["type"] == "audit" and body["auditContext"]["moment"]
    (event,) = body["events"]
    assert event["meta"] == {"type": "product", "href": product["meta"]["href"]}
    assert (event["action"], event["accountId"]) == ("UPDATE", ACCOUNT)
    assert event["updatedFields"] == ["name", "Бренд"]


def test_updated_fields_only_when_diff_type_is_fields(sim, receiver):
    _hook(sim, receiver, diff_type="NONE")
    product = sim.add_entity(ACCOUNT, "product", {"name": "A"})
    sim.update_entity(ACCOUNT, "product", product["id"], {"name": "B"})
    sim.flush_deliveries(5)
    assert "updatedFields" not in receiver.received[0]["body"]["events"][0]


def test_silent_edit_and_disabled_or_unmatched_webhooks_send_nothing(sim, receiver):
    hook = _hook(sim, receiver, action="DELETE")
    product = sim.add_entity(ACCOUNT, "product", {"name": "A"})
    sim.update_entity(ACCOUNT, "product", product["id"], {"name": "B"}, as_user=False)
    sim.create_entity(ACCOUNT, "service", {"name": "S"})
    sim.disable_webhook(hook["id"])
    sim.delete_entity(ACCOUNT, "product", product["id"])
    sim.flush_deliveries(5)
    assert receiver.received == []


def test_bulk_api_call_sends_one_body_with_all_events(api, sim, receiver):
    _hook(sim, receiver, action="CREATE")
    api.post(api.url("/entity/product"), json=[{"name": f"P{n}"} for n in range(3)])
    sim.flush_deliveries(5)
    (delivery,) = receiver.received
    assert [e["action"] for e in delivery["body"]["events"]] == ["CREATE"] * 3


def test_bad_status_is_resent_three_times_with_the_same_request_id(sim, receiver):
    _hook(sim, receiver, action="CREATE")
    receiver.statuses = [500, 502, 503, 500]
    sim.create_entity(ACCOUNT, "product", {"name": "A"})
    sim.flush_deliveries(5)
    assert len(receiver.received) == 4
    assert len({r["query"]["requestId"][0] for r in receiver.received}) == 1
    assert [d.attempt for d in sim.deliveries] == [1, 2, 3, 4]
    assert {d.outcome for d in sim.deliveries} == {"bad_status"}


def test_204_is_success_and_ends_the_attempts(sim, receiver):
    _hook(sim, receiver, action="CREATE")
    receiver.statuses = [500, 204]
    sim.create_entity(ACCOUNT, "product", {"name": "A"})
    sim.flush_deliveries(5)
    assert [d.outcome for d in sim.deliveries] == ["bad_status", "ok"]


def test_timeout_loses_the_notification_without_a_resend(sim, receiver):
    assert DELIVERY_TIMEOUT == 1.5  # МойСклад's; the fixture shortens it to keep tests fast
    _hook(sim, receiver, action="CREATE")
    receiver.delay = sim.deliverer.timeout + 0.3
    sim.create_entity(ACCOUNT, "product", {"name": "A"})
    sim.flush_deliveries(5)
    assert [d.outcome for d in sim.deliveries] == ["timeout"]
    assert len(receiver.received) == 1


def test_disable_by_prefix_silences_only_webhooks_under_that_prefix(api, sim, receiver):
    ours = _hook(sim, receiver, action="CREATE", path="/api/webhooks/receive/abc")
    other = sim.add_webhook(
        ACCOUNT, receiver.url("/other/hook"), "product", "CREATE", app_id="another"
    )
    prefix = receiver.url("/api/webhooks/")
    api.post(
        api.url("/entity/product"),
        json={"name": "A"},
        headers={"X-Lognex-WebHook-DisableByPrefix": prefix},
    )
    sim.flush_deliveries(5)
    assert [d.webhook_id for d in sim.deliveries] == [other["id"]]
    api.post(
        api.url("/entity/product"),
        json={"name": "B"},
        headers={"X-Lognex-WebHook-DisableByPrefix": PREFIX},
    )
    sim.flush_deliveries(5)
    assert {d.webhook_id for d in sim.deliveries} == {ours["id"], other["id"]}


def test_delete_through_the_api_fires_delete_events(api, sim, receiver):
    _hook(sim, receiver, action="DELETE")
    product = sim.add_entity(ACCOUNT, "product", {"name": "A"})
    api.delete(api.url(f"/entity/product/{product['id']}"))
    sim.flush_deliveries(5)
    assert receiver.received[0]["body"]["events"][0]["action"] == "DELETE"


def test_raw_delivery_sends_custom_bodies(sim, receiver):
    sim.deliver(url=receiver.url(), body={"not": "moysklad"}, request_id="fixed-id")
    sim.deliver(
        ACCOUNT,
        [{"meta": {"type": "product", "href": "x"}, "action": "CREATE", "accountId": ACCOUNT}],
        url=receiver.url(),
    )
    sim.flush_deliveries(5)
    by_id = {r["query"]["requestId"][0]: r["body"] for r in receiver.received}
    assert by_id.pop("fixed-id") == {"not": "moysklad"}
    assert next(iter(by_id.values()))["events"][0]["action"] == "CREATE"


def test_bulk_user_edits_send_one_body_per_webhook(sim, receiver):
    _hook(sim, receiver, action="CREATE")
    _hook(sim, receiver, action="UPDATE", path="/api/webhooks/receive/upd")
    created = sim.create_entities(ACCOUNT, "product", [{"name": f"P{n}"} for n in range(100)])
    sim.update_entities(ACCOUNT, "product", {p["id"]: {"name": p["name"] + "!"} for p in created})
    sim.flush_deliveries(5)
    sizes = sorted(len(r["body"]["events"]) for r in receiver.received)
    assert sizes == [100, 100]
