"""Every PostgreSQL failure that is not about the body spools the delivery, answered 200 in time."""

import time
from dataclasses import replace

import psycopg2
import pytest
from falcon import testing

from jobs.context import configure
from jobs.housekeeping.sweeper import sweep
from receiver.app import create_app
from store.db import connect_params, database
from store.models import WebhookLog
from store.spool import spool_size
from tests.receiver.conftest import moysklad_body
from tests.receiver.test_outages import through, wait_until
from tests.support.tcp_proxy import TcpProxy

DEADLINE_SECONDS = 1.5  # МойСклад waits this long and never re-sends a timed-out delivery


def timed_post(client, path, request_id):
    started = time.monotonic()
    answer = client.simulate_post(
        path, body=moysklad_body(), query_string=f"requestId={request_id}"
    )
    return answer, time.monotonic() - started


def drain_into_logs(settings, redis) -> set[str]:
    configure(settings, redis)  # the sweeper runs in a worker with plain connections
    database.connect(reuse_if_open=True)
    sweep()
    return {log.request_id for log in WebhookLog.select()}


@pytest.fixture
def pg_proxy(settings):
    params = connect_params(settings.database_url)
    proxy = TcpProxy(params["host"], params["port"]).start()
    yield proxy
    proxy.resume()
    proxy.stop()


@pytest.fixture
def other_connection(settings):
    params = connect_params(settings.database_url)
    connection = psycopg2.connect(**params)
    yield connection
    connection.rollback()
    connection.close()


def test_a_table_locked_by_another_connection_is_answered_in_time_from_the_spool(
    settings, db, redis, receive_path, other_connection
):
    client = testing.TestClient(create_app(settings, redis))
    assert timed_post(client, receive_path, "before")[0].json["status"] == "accepted"
    with other_connection.cursor() as cursor:
        cursor.execute("LOCK TABLE webhook_logs IN ACCESS EXCLUSIVE MODE")

    answer, seconds = timed_post(client, receive_path, "locked")
    assert answer.status_code == 200
    assert answer.json == {"requestId": "locked", "status": "accepted", "spooled": True}
    assert seconds < 1.0  # statement_timeout 500 ms, then the spool
    assert spool_size(redis) == 1

    other_connection.rollback()  # the lock goes
    assert drain_into_logs(settings, redis) == {"before", "locked"}
    assert spool_size(redis) == 0


def test_a_read_only_server_after_failover_spools_instead_of_500(
    settings, db, redis, receive_path, other_connection
):
    name = connect_params(settings.database_url)["database"]
    other_connection.autocommit = True
    with other_connection.cursor() as cursor:
        cursor.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    try:
        client = testing.TestClient(create_app(settings, redis))  # connects anew: read-only
        answer, seconds = timed_post(client, receive_path, "read-only")
        assert answer.status_code == 200 and answer.json["spooled"] is True
        assert seconds < DEADLINE_SECONDS
        # The probe does not take a read-only server for a recovered one.
        time.sleep(1.5)
        assert timed_post(client, receive_path, "still-read-only")[0].json["spooled"] is True
    finally:
        with other_connection.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
    assert wait_until(lambda: client.simulate_get("/readyz").status_code == 200)
    assert wait_until(
        lambda: timed_post(client, receive_path, "writable")[0].json.get("logId") is not None
    )
    assert drain_into_logs(settings, redis) == {"read-only", "still-read-only", "writable"}


def test_a_stalled_network_to_postgres_is_answered_in_time_from_the_spool(
    settings, db, redis, receive_path, pg_proxy
):
    proxied = replace(settings, database_url=through(settings.database_url, pg_proxy.port))
    client = testing.TestClient(create_app(proxied, redis))
    assert timed_post(client, receive_path, "before")[0].json["status"] == "accepted"

    pg_proxy.pause()  # the open connection's bytes go nowhere: no error, no answer
    answer, seconds = timed_post(client, receive_path, "stalled")
    assert answer.status_code == 200 and answer.json["spooled"] is True
    assert seconds < DEADLINE_SECONDS

    # A fresh process meets the stall while connecting.
    fresh = testing.TestClient(create_app(proxied, redis))
    answer, seconds = timed_post(fresh, receive_path, "stalled-connect")
    assert answer.status_code == 200 and answer.json["spooled"] is True
    assert seconds < DEADLINE_SECONDS

    pg_proxy.resume()
    assert wait_until(lambda: fresh.simulate_get("/readyz").status_code == 200, timeout=15)
    assert drain_into_logs(settings, redis) == {"before", "stalled", "stalled-connect"}
