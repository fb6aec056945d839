"""The simulator on a free port, the real Redis (db 2 unless TEST_REDIS_URL), client factories."""

import os

import pytest
from redis import Redis

from jobs.moysklad import MoySkladClient
from scripts.simulator import Simulator, running_simulator

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/2"
ACCOUNT = "33333333-3333-4333-8333-333333333333"
TOKEN = "client-test-token"
PREFIX = "http://127.0.0.1:8000/api/webhooks/"


@pytest.fixture
def limiter_redis():
    """The test Redis database, flushed before and after."""
    client = Redis.from_url(os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL))
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def sim():
    simulator = Simulator()
    simulator.add_account(ACCOUNT, TOKEN)
    yield simulator
    simulator.close()


@pytest.fixture
def base_url(sim):
    with running_simulator(sim) as url:
        yield url


@pytest.fixture
def make_client(base_url, limiter_redis):
    """A client factory; `sleeps` records every wait when the fake sleep is used."""

    def make(fake_sleep: bool = False, **options) -> MoySkladClient:
        if fake_sleep:
            options["sleep"] = make.sleeps.append
        return MoySkladClient(
            TOKEN, api_url=base_url, loop_guard_prefix=PREFIX, redis=limiter_redis, **options
        )

    make.sleeps = []
    return make
