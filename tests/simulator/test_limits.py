"""Limits by token kind, rate headers on every answer, parallel, header and body sizes."""

import threading

import requests

from tests.simulator.conftest import ACCOUNT

USER_TOKEN = "token-user"


def _user_session(sim, base_url):
    sim.add_account(ACCOUNT, USER_TOKEN, token_kind="user")
    session = requests.Session()
    session.headers.update({"Authorization": f"Bearer {USER_TOKEN}", "Accept-Encoding": "gzip"})
    return session


def test_rate_headers_are_on_a_200(api):
    """md/_general.md — Обработка ошибок (X-RateLimit-* headers)."""
    response = api.get(api.url("/entity/product"))
    assert response.status_code == 200
    assert response.headers["X-RateLimit-Limit"] == "45"
    assert int(response.headers["X-RateLimit-Remaining"]) == 44
    assert response.headers["X-Lognex-Retry-TimeInterval"] == "3000"


def test_a_user_token_gets_11_requests_per_3_s_and_the_12th_is_429(sim, base_url):
    """md/_restrictions.md — Лимит запросов за 3-секундный период (a user token weighs 4)."""
    sim.set_rate_limit(limit=45, window=30.0, parallel=5)  # a loaded machine cannot slip a window
    session = _user_session(sim, base_url)
    statuses = [session.get(base_url + "/entity/product").status_code for _ in range(12)]
    assert statuses == [200] * 11 + [429]
    first = sim.requests[0]
    assert (first.token_kind, first.weight) == ("user", 4)
    refused = session.get(base_url + "/entity/product")
    assert refused.json()["errors"][0]["code"] == 1049
    assert refused.headers["X-RateLimit-Limit"] == "11"
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert int(refused.headers["X-Lognex-Retry-After"]) > 0


def test_twenty_in_flight_per_account_across_tokens(sim, base_url):
    """md/_restrictions.md — не более 20 параллельных запросов от аккаунта."""
    sim.set_latency(0.6)
    tokens = [f"t{n}" for n in range(5)]
    for token in tokens:
        sim.add_account(ACCOUNT, token)
    statuses: list[int] = []

    def call(token):
        headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"}
        statuses.append(requests.get(base_url + "/entity/product", headers=headers).status_code)

    threads = [threading.Thread(target=call, args=(t,)) for t in tokens for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses.count(429) >= 5 and statuses.count(200) <= 20


def test_headers_over_8_kb_and_bodies_over_20_mb_are_refused(api):
    """md/_restrictions.md — не более 8 КБ в заголовках, не более 20 МБ данных."""
    long_header = api.get(api.url("/entity/product"), headers={"X-Padding": "x" * 8200})
    assert long_header.status_code == 414
    big = api.post(
        api.url("/entity/product"),
        data=b"[" + b" " * (20 * 1024 * 1024 + 1) + b"]",
        headers={"Content-Type": "application/json"},
    )
    assert big.status_code == 413


def test_several_prefixes_are_the_header_repeated(sim, api, receiver):
    """MOYSKLAD.md §4 (DisableByPrefix: several prefixes = the header repeated)."""
    import http.client
    from urllib.parse import urlsplit

    sim.add_webhook(ACCOUNT, receiver.url("/a/hook"), "product", "CREATE")
    sim.add_webhook(ACCOUNT, receiver.url("/b/hook"), "product", "CREATE", app_id="other")
    parts = urlsplit(api.url("/entity/product"))
    connection = http.client.HTTPConnection(parts.hostname, parts.port)
    connection.putrequest("POST", parts.path)
    for name, value in [("Authorization", "Bearer token-main"), ("Accept-Encoding", "gzip"),
                        ("Content-Type", "application/json"),
                        ("X-Lognex-WebHook-DisableByPrefix", receiver.url("/a/")),
                        ("X-Lognex-WebHook-DisableByPrefix", receiver.url("/b/"))]:  # fmt: skip
        connection.putheader(name, value)
    body = b'{"name": "A"}'
    connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)
    assert connection.getresponse().status == 200
    sim.flush_deliveries(5)
    assert receiver.received == []
    comma = api.post(
        api.url("/entity/product"),
        json={"name": "B"},
        headers={
            "X-Lognex-WebHook-DisableByPrefix": f"{receiver.url('/a/')},{receiver.url('/b/')}"
        },
    )
    assert comma.status_code == 400
