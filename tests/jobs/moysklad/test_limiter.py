"""The shared limiter keeps many threads under МойСклад's limits; dead holders free their slots."""

import threading
import time

import pytest

from jobs.moysklad.errors import MoySkladRateLimited
from jobs.moysklad.limiter import RateLimiter


def _run_threads(count, work):
    threads = [threading.Thread(target=work) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_60_requests_from_4_threads_stay_under_the_rate_limit(make_client, sim):
    errors = []

    def work():
        client = make_client()  # one client per thread, as separate processes would have
        for _ in range(15):
            try:
                client.get("/entity/product")
            except Exception as exc:  # collected and asserted on below
                errors.append(exc)

    _run_threads(4, work)
    statuses = [r.status for r in sim.requests]
    assert errors == []
    assert len(statuses) == 60 and statuses.count(429) == 0


def test_in_flight_cap_holds_across_threads(make_client, sim):
    sim.set_latency(0.15)
    started = time.monotonic()
    _run_threads(10, lambda: make_client().get("/entity/product"))
    statuses = [r.status for r in sim.requests]
    assert statuses == [200] * 10  # the simulator refuses a 6th parallel request with 1073
    assert time.monotonic() - started >= 0.3  # two waves of at most 5


def test_slot_of_a_killed_holder_expires_with_its_lease(limiter_redis):
    limiter = RateLimiter(limiter_redis, "t", parallel=1, lease=0.2, max_wait=2)
    limiter.acquire()  # never released: its process "died"
    started = time.monotonic()
    limiter.release(limiter.acquire())
    assert 0.1 <= time.monotonic() - started < 1.0


def test_limiter_keys_do_not_contain_the_token(limiter_redis):
    limiter = RateLimiter(limiter_redis, "secret-token")
    limiter.release(limiter.acquire())
    assert all(b"secret-token" not in key for key in limiter_redis.keys("*"))


def test_a_slot_in_flight_outlives_its_short_lease_and_a_dead_holders_frees_itself(redis):
    live = RateLimiter(redis, "token-lease", parallel=1, lease=0.3, max_wait=0.2)
    dead = RateLimiter(redis, "token-lease", parallel=1, lease=0.3, max_wait=5)
    with live.slot():
        time.sleep(1.0)  # three leases long: renewed while the request is in flight
        with pytest.raises(MoySkladRateLimited):
            dead.acquire()
    dead.acquire()  # a holder that died (never released, never renewed) ...
    started = time.monotonic()
    live.max_wait = 5
    live.acquire()  # ... frees its slot once its lease runs out
    assert 0.1 < time.monotonic() - started < 1.5
