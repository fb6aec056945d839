"""PostgreSQL or Redis unreachable: the delivery is still answered 200 and processed later."""

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from falcon import testing
from rq import Queue

from jobs.context import configure
from jobs.housekeeping.sweeper import sweep
from receiver.app import create_app
from store.db import connect_params, database
from store.models import WebhookLog
from store.spool import spool_size
from tests.receiver.conftest import moysklad_body
from tests.support.tcp_proxy import TcpProxy


def wait_until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def pg_proxy(settings):
    params = connect_params(settings.database_url)
    proxy = TcpProxy(params["host"], params["port"]).start()
    yield proxy
    proxy.stop()


@pytest.fixture
def redis_proxy(settings):
    proxy = TcpProxy("127.0.0.1", 6379).start()
    yield proxy
    proxy.stop()


def through(url: str, port: int) -> str:
    scheme, rest = url.split("://", 1)
    credentials, _, tail = rest.rpartition("@")
    path = tail.split("/", 1)[1]
    return f"{scheme}://{credentials + '@' if credentials else ''}127.0.0.1:{port}/{path}"


def test_postgres_unreachable_spools_then_drains_into_logs(
    settings, db, redis, receive_path, pg_proxy
):
    app = create_app(
        replace(settings, database_url=through(settings.database_url, pg_proxy.port)), redis
    )
    client = testing.TestClient(app)
    before = client.simulate_post(receive_path, body=moysklad_body(), query_string="requestId=a")
    assert before.json["status"] == "accepted"

    pg_proxy.stop()
    during = client.simulate_post(receive_path, body=moysklad_body(), query_string="requestId=b")
    assert during.status_code == 200
    assert during.json == {"requestId": "b", "status": "accepted", "spooled": True}
    assert spool_size(redis) == 1
    assert client.simulate_get("/readyz").status_code == 503

    pg_proxy.start()
    assert wait_until(lambda: client.simulate_get("/readyz").status_code == 200)
    configure(settings, redis)  # the sweeper runs in a worker with the real database
    database.connect(reuse_if_open=True)
    assert sweep() == {"drained": 1, "set_aside": 0, "requeued": 0, "failed": 0, "errors": []}
    assert sweep()["drained"] == 0
    logs = {log.request_id: log for log in WebhookLog.select()}
    assert set(logs) == {"a", "b"} and logs["b"].status == "received"
    assert spool_size(redis) == 0
    assert Queue("webhooks", connection=redis).count == 2


def test_drain_repeated_after_a_crash_creates_no_duplicate(settings, db, redis, receive_path):
    app = create_app(replace(settings, database_url="postgresql://postgres@127.0.0.1:1/x"), redis)
    client = testing.TestClient(app)
    assert client.simulate_post(
        receive_path, body=moysklad_body(), query_string="requestId=z"
    ).json["spooled"]
    configure(settings, redis)
    # Simulate a drainer killed after storing but before removing the item from Redis.
    raw = redis.lmove("webhooks:spool", "webhooks:spool:draining", "RIGHT", "LEFT")
    redis.lpush("webhooks:spool", raw)
    assert sweep()["drained"] == 1  # the repeated item found its log already there
    assert WebhookLog.select().count() == 1
    assert Queue("webhooks", connection=redis).count == 1


def test_redis_unreachable_keeps_log_received_and_sweeper_queues_it(
    settings, db, redis, receive_path, redis_proxy
):
    proxied = through(settings.redis_url, redis_proxy.port)
    client = testing.TestClient(create_app(replace(settings, redis_url=proxied)))
    redis_proxy.stop()
    result = client.simulate_post(receive_path, body=moysklad_body(), query_string="requestId=r")
    assert result.status_code == 200
    assert result.json["status"] == "accepted" and result.json["queued"] is False
    assert client.simulate_get("/readyz").json == {
        "status": "not ready",
        "postgresql": True,
        "redis": False,
    }
    log = WebhookLog.get()
    assert log.status == "received"

    redis_proxy.start()
    assert wait_until(lambda: client.simulate_get("/readyz").status_code == 200)
    configure(settings, redis)
    assert sweep()["requeued"] == 0  # still inside the grace period: maybe in flight
    later = datetime.now(UTC) + timedelta(minutes=1)
    assert sweep(now=later)["requeued"] == 1
    assert Queue("webhooks", connection=redis).job_ids == [f"webhook-log-{log.id}"]
    assert sweep(now=later)["requeued"] == 0  # its job is queued now


def test_both_down_is_the_only_5xx(settings, db, receive_path):
    app = create_app(
        replace(
            settings,
            database_url="postgresql://postgres@127.0.0.1:1/x",
            redis_url="redis://127.0.0.1:1/0",
        )
    )
    result = testing.TestClient(app).simulate_post(
        receive_path, body=moysklad_body(), query_string="requestId=q"
    )
    assert result.status_code == 503 and result.json["status"] == "unavailable"
