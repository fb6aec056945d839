"""POST /api/webhooks/receive/{token}: accepted, duplicate, every rejection, concurrency."""

import json
from concurrent.futures import ThreadPoolExecutor

from falcon import testing
from rq import Queue

from receiver.app import create_app
from store.models import WebhookLog
from tests.receiver.conftest import ACCOUNT_ID, moysklad_body


def post(client, path, body, request_id="req-1", **kwargs):
    query = f"requestId={request_id}" if request_id else None
    return client.simulate_post(path, body=body, query_string=query, **kwargs)


def test_delivery_is_stored_and_queued(client, receive_path, redis):
    body = moysklad_body(events=3)
    result = post(client, receive_path, body)
    assert result.status_code == 200
    assert result.json["status"] == "accepted" and result.json["queued"] is True
    log = WebhookLog.get()
    assert log.request_id == "req-1" and str(log.account_id) == ACCOUNT_ID
    assert (log.status, log.entity_type, log.action, log.events_count) == (
        "received",
        "product",
        "UPDATE",
        3,
    )
    assert log.payload == json.loads(body) and len(log.entity_ids) == 3
    assert log.receive_ms is not None and log.receive_ms > 0
    job_ids = Queue("webhooks", connection=redis).job_ids
    assert job_ids == [f"webhook-log-{log.id}"]


def test_repeated_request_id_is_a_duplicate_without_second_job(client, receive_path, redis):
    body = moysklad_body()
    assert post(client, receive_path, body).json["status"] == "accepted"
    again = post(client, receive_path, body)
    assert again.status_code == 200 and again.json["status"] == "duplicate"
    assert WebhookLog.select().count() == 1
    assert Queue("webhooks", connection=redis).count == 1


def test_delivery_without_request_id_dedupes_on_its_body(client, receive_path):
    body = moysklad_body()
    assert post(client, receive_path, body, request_id=None).json["status"] == "accepted"
    assert post(client, receive_path, body, request_id=None).json["status"] == "duplicate"
    assert WebhookLog.get().request_id.startswith("body-")


def test_eight_concurrent_posts_of_one_request_id_make_one_row_and_one_job(
    settings, db, redis, receive_path
):
    app = create_app(settings, redis)
    body = moysklad_body()

    def send(_):
        return post(testing.TestClient(app), receive_path, body, request_id="same").json["status"]

    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(send, range(8)))
    assert statuses == ["accepted"] + ["duplicate"] * 7
    assert WebhookLog.select().count() == 1
    assert Queue("webhooks", connection=redis).count == 1


def test_forged_token_is_404_and_writes_nothing(client, receive_path, redis):
    forged = receive_path[:-1] + ("0" if receive_path[-1] != "0" else "1")
    for path in (forged, "/api/webhooks/receive/not-a-token"):
        result = post(client, path, moysklad_body())
        assert result.status_code == 404
        assert result.json["error"] == "unknown_token"
    assert WebhookLog.select().count() == 0
    assert Queue("webhooks", connection=redis).count == 0


def assert_rejected(result, status, error, reason_part):
    assert result.status_code == status
    assert result.json["error"] == error and reason_part in result.json["message"]
    log = WebhookLog.get()
    assert (log.status, log.http_status) == ("rejected", status)
    assert reason_part in log.reason and log.raw_body


def test_body_over_the_limit_is_413_and_recorded(settings, db, redis, receive_path):
    client = testing.TestClient(
        create_app(settings.__class__(**{**settings.__dict__, "max_body_bytes": 2000}), redis)
    )
    assert_rejected(
        post(client, receive_path, moysklad_body(events=20)), 413, "too_large", "limit is 2000"
    )


def test_unparseable_body_is_400_and_recorded(client, receive_path):
    assert_rejected(post(client, receive_path, b"{not json"), 400, "not_json", "not JSON")


def test_body_of_wrong_shape_is_400_and_recorded(client, receive_path):
    cases = [
        (b"[1, 2]", "JSON object"),
        (b'{"events": []}', "non-empty list"),
        (b'{"events": [{"meta": {"type": "product"}, "action": "UPDATE"}]}', "meta.href"),
        (moysklad_body(action="TOUCH"), "action must be one of"),
    ]
    for number, (body, reason) in enumerate(cases):
        result = post(client, receive_path, body, request_id=f"bad-{number}")
        assert result.status_code == 400 and reason in result.json["message"], result.json
    reasons = [log.reason for log in WebhookLog.select().order_by(WebhookLog.id)]
    assert len(reasons) == 4 and all(r for r in reasons)
    assert {log.status for log in WebhookLog.select()} == {"rejected"}


def test_events_of_another_account_are_403_and_recorded(client, receive_path, redis):
    other = "11111111-2222-3333-4444-555555555555"
    result = post(client, receive_path, moysklad_body(account_id=other))
    assert_rejected(result, 403, "wrong_account", other)
    assert Queue("webhooks", connection=redis).count == 0


def test_rejected_delivery_resent_by_moysklad_is_recorded_once(client, receive_path):
    for _ in range(4):  # МойСклад re-sends a bad status three times
        assert post(client, receive_path, b"{bad", request_id="r").status_code == 400
    assert WebhookLog.select().count() == 1
