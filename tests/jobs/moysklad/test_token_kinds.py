"""The limiter takes the token kind's weight and follows the server's rate headers."""

import requests

from jobs.moysklad import MoySkladClient
from jobs.moysklad.limiter import requests_per_window
from tests.jobs.moysklad.conftest import ACCOUNT, PREFIX

USER_TOKEN = "client-user-token"


def test_a_user_token_sends_11_per_window_and_is_never_refused(sim, base_url, limiter_redis):
    """md/_restrictions.md — Лимит запросов за 3-секундный период (a user token weighs 4)."""
    assert requests_per_window("user") == 11 and requests_per_window("app") == 45
    sim.add_account(ACCOUNT, USER_TOKEN, token_kind="user")
    client = MoySkladClient(
        USER_TOKEN, api_url=base_url, loop_guard_prefix=PREFIX, redis=limiter_redis,
        token_kind="user",
    )  # fmt: skip
    for _ in range(14):
        client.get("/entity/product")
    statuses = [r.status for r in sim.requests]
    assert statuses == [200] * 14
    first_window = [r for r in sim.requests if r.duration >= 0]
    assert {(r.token_kind, r.weight) for r in first_window} == {("user", 4)}


def test_an_app_configured_client_follows_a_lower_server_limit(sim, base_url, limiter_redis):
    """md/_general.md — Обработка ошибок: X-RateLimit-Limit / -Remaining on every answer."""
    sim.add_account(ACCOUNT, USER_TOKEN, token_kind="user")
    client = MoySkladClient(
        USER_TOKEN, api_url=base_url, loop_guard_prefix=PREFIX, redis=limiter_redis
    )  # told "app", but the server weighs the token as a user's
    for _ in range(16):
        client.get("/entity/product")
    statuses = [r.status for r in sim.requests]
    assert statuses.count(429) <= 1 and statuses.count(200) == 16


def test_another_client_of_the_token_is_counted_from_remaining(sim, base_url, limiter_redis):
    """X-RateLimit-Remaining lower than our own count: someone else spends the same bucket."""
    sim.add_account(ACCOUNT, USER_TOKEN, token_kind="user")
    other = {"Authorization": f"Bearer {USER_TOKEN}", "Accept-Encoding": "gzip"}
    for _ in range(8):  # another integration with the same token, outside our limiter
        requests.get(base_url + "/entity/product", headers=other)
    client = MoySkladClient(
        USER_TOKEN, api_url=base_url, loop_guard_prefix=PREFIX, redis=limiter_redis,
        token_kind="user",
    )  # fmt: skip
    for _ in range(6):
        client.get("/entity/product")
    ours = [r.status for r in sim.requests[8:]]
    assert ours.count(200) == 6 and ours.count(429) <= 1
