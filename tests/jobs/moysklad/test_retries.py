"""429 honoured, 5xx and network errors retried with backoff, 4xx raised at once."""

import time
import uuid

import pytest

from jobs.moysklad import (
    MoySkladAuthError,
    MoySkladClient,
    MoySkladNotFound,
    MoySkladRequestError,
    MoySkladUnavailable,
    defaults,
)
from tests.jobs.moysklad.conftest import ACCOUNT, PREFIX, TOKEN

SYNC = "5a5a5a5a-0000-4000-8000-00000000000a"


def test_429_waits_x_lognex_retry_after_then_succeeds(make_client, sim):
    sim.fail_next(1, status=429)
    client = make_client(fake_sleep=True)
    assert client.get("/entity/product")["rows"] == []
    assert make_client.sleeps == [0.1]  # the simulator's injected 429 asks for 100 ms
    assert [r.status for r in sim.requests] == [429, 200]


def test_a_server_limit_below_ours_is_followed_without_refusals(make_client, sim):
    """md/_general.md — Обработка ошибок: X-RateLimit-Limit says how many fit in the window."""
    sim.set_rate_limit(limit=3, window=1.0, parallel=5)
    client = make_client()
    started = time.monotonic()
    for _ in range(5):
        client.get("/entity/product")
    statuses = [r.status for r in sim.requests]
    assert statuses == [200] * 5
    assert time.monotonic() - started >= 0.5


def test_429_without_retry_after_backs_off_briefly(make_client, sim):
    sim.set_rate_limit(limit=45, window=3.0, parallel=0)  # every request meets the parallel cap
    client = make_client(fake_sleep=True)
    with pytest.raises(MoySkladUnavailable):
        client.get("/entity/product")
    assert set(make_client.sleeps) == {defaults.PARALLEL_REFUSAL_WAIT}
    assert len(sim.requests) == defaults.RATE_REFUSAL_ATTEMPTS


def test_5xx_is_retried_with_exponential_backoff(make_client, sim):
    sim.fail_next(2, status=503)
    assert make_client(fake_sleep=True).get("/entity/product")["rows"] == []
    assert make_client.sleeps == [0.5, 1.0]
    assert [r.status for r in sim.requests] == [503, 503, 200]


def test_persistent_5xx_raises_unavailable_after_bounded_tries(make_client, sim):
    sim.fail_next(10, status=500)
    with pytest.raises(MoySkladUnavailable):
        make_client(fake_sleep=True).get("/entity/product")
    assert len(sim.requests) == defaults.SERVER_ERROR_ATTEMPTS


def test_dropped_post_is_retried_only_with_a_sync_id(make_client, sim):
    """A POST that reached МойСклад may have been applied: only a syncId makes it repeatable."""
    sim.fail_next(1, drop=True)
    created = make_client(fake_sleep=True).post("/entity/product", {"name": "A", "syncId": SYNC})
    assert created["name"] == "A"
    assert [r.status for r in sim.requests] == [0, 200]
    sim.fail_next(1, drop=True)
    with pytest.raises(MoySkladUnavailable):
        make_client(fake_sleep=True).post("/entity/product", {"name": "B"})
    assert [p["name"] for p in sim.entities(ACCOUNT, "product")] == ["A"]


def test_a_write_applied_then_dropped_is_not_duplicated_by_its_retry(make_client, sim):
    """md/_general.md — Назначение поля syncId: the retry answers the entity made before."""
    sim.fail_next(1, drop=True, after=True)
    items = [{"name": "A", "syncId": SYNC}, {"name": "B", "syncId": str(uuid.uuid4())}]
    answer = make_client(fake_sleep=True).post("/entity/product", items)
    assert [a["name"] for a in answer] == ["A", "B"]
    assert sorted(p["name"] for p in sim.entities(ACCOUNT, "product")) == ["A", "B"]


def test_a_refused_connection_is_retried_for_any_method(limiter_redis):
    """Nothing was sent when the connection could not be made."""
    sleeps = []
    client = MoySkladClient(
        TOKEN, api_url="http://127.0.0.1:9/api", loop_guard_prefix=PREFIX,
        redis=limiter_redis, sleep=sleeps.append,
    )  # fmt: skip
    with pytest.raises(MoySkladUnavailable):
        client.post("/entity/webhook", {"url": "http://x/"})
    assert len(sleeps) == defaults.SERVER_ERROR_ATTEMPTS - 1


def test_timed_out_post_is_not_sent_again_but_get_is(make_client, sim):
    sim.set_latency(0.3)
    client = make_client(fake_sleep=True, timeout=0.1)
    with pytest.raises(MoySkladUnavailable):
        client.post("/entity/product", {"name": "A"})
    with pytest.raises(MoySkladUnavailable):
        client.get("/entity/product")
    time.sleep(0.35)
    methods = [r.method for r in sim.requests]
    assert methods.count("POST") == 1
    assert methods.count("GET") == defaults.SERVER_ERROR_ATTEMPTS


def test_not_found_raises_at_once_with_code(make_client, sim):
    with pytest.raises(MoySkladNotFound) as raised:
        make_client().get("/entity/product/00000000-0000-4000-8000-000000000000")
    assert (raised.value.status, raised.value.code) == (404, 1021)
    assert len(sim.requests) == 1


def test_validation_error_raises_with_moysklad_code(make_client, sim):
    with pytest.raises(MoySkladRequestError) as raised:
        make_client().create_webhook("https://x.example/" + "a" * 250, "product", "CREATE")
    assert (raised.value.status, raised.value.code) == (400, 30010)
    assert len(sim.requests) == 1


def test_bad_token_raises_auth_error(base_url, limiter_redis, sim):
    client = MoySkladClient(
        "wrong", api_url=base_url, loop_guard_prefix=PREFIX, redis=limiter_redis
    )
    with pytest.raises(MoySkladAuthError):
        client.get("/entity/product")
    assert len(sim.requests) == 1
