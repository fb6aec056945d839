"""Protocol rules: gzip, Bearer auth, error bodies, rate and parallel limits, latency, faults."""

import gzip
import socket
import threading
import time

import requests

from tests.simulator.conftest import TOKEN

RATE_HEADERS = (
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-Lognex-Retry-TimeInterval",
    "X-Lognex-Reset",
    "X-Lognex-Retry-After",
)


def test_request_without_gzip_in_accept_encoding_gets_415_with_empty_body(api, sim):
    answer = requests.get(
        api.url("/entity/product"),
        headers={"Authorization": f"Bearer {TOKEN}", "Accept-Encoding": "identity"},
    )
    assert answer.status_code == 415
    assert answer.content == b""
    assert sim.requests[-1].status == 415


def test_answer_is_gzip_compressed_when_asked(api):
    answer = api.get(api.url("/entity/product"), stream=True)
    raw = answer.raw.read()
    assert answer.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(raw).startswith(b"{")


def test_missing_or_unknown_token_gets_401_with_error_body(api):
    for headers in (
        {"Accept-Encoding": "gzip"},
        {"Accept-Encoding": "gzip", "Authorization": "Bearer nope"},
    ):
        answer = requests.get(api.url("/entity/product"), headers=headers)
        assert answer.status_code == 401
        assert answer.json()["errors"][0]["code"] == 1056


def test_unknown_entity_answers_404_code_1021_with_more_info(api):
    answer = api.get(api.url("/entity/product/00000000-0000-4000-8000-000000000000"))
    assert answer.status_code == 404
    error = answer.json()["errors"][0]
    assert error["code"] == 1021
    assert error["moreInfo"].endswith("#error_1021")
    assert error["error"]


def test_46th_request_within_3_seconds_is_refused_with_1049_and_rate_headers(api):
    answers = [api.get(api.url("/entity/product")) for _ in range(46)]
    assert [a.status_code for a in answers[:45]] == [200] * 45
    refused = answers[45]
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["code"] == 1049
    for name in RATE_HEADERS:
        assert name in refused.headers
    assert refused.headers["X-RateLimit-Limit"] == "45"
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert refused.headers["X-Lognex-Retry-TimeInterval"] == "3000"
    assert 0 < int(refused.headers["X-Lognex-Retry-After"]) <= 3000


def test_window_slides_and_other_tokens_are_counted_apart(api, sim):
    sim.set_rate_limit(limit=3, window=1.0, parallel=5)
    assert [api.get(api.url("/entity/product")).status_code for _ in range(4)][-1] == 429
    other = requests.get(
        api.url("/entity/product"),
        headers={"Authorization": "Bearer token-other", "Accept-Encoding": "gzip"},
    )
    assert other.status_code == 200
    time.sleep(1.05)
    assert api.get(api.url("/entity/product")).status_code == 200


def test_sixth_parallel_request_is_refused_with_1073_without_retry_after(api, sim):
    sim.set_latency(0.4)
    answers = []

    def call():
        answers.append(requests.get(api.url("/entity/product"), headers=dict(api.headers)))

    threads = [threading.Thread(target=call) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refused = [a for a in answers if a.status_code == 429]
    assert len(refused) == 1
    assert refused[0].json()["errors"][0]["code"] == 1073
    assert "X-Lognex-Retry-After" not in refused[0].headers


def test_latency_delays_every_api_request(api, sim):
    sim.set_latency(0.2)
    started = time.monotonic()
    api.get(api.url("/entity/product"))
    assert time.monotonic() - started >= 0.2


def test_injected_faults_answer_the_next_requests_then_stop(api, sim):
    sim.fail_next(2, status=503)
    statuses = [api.get(api.url("/entity/product")).status_code for _ in range(3)]
    assert statuses == [503, 503, 200]


def test_a_broken_entity_fails_every_read_naming_it_and_nothing_else(api, sim):
    broken = api.post(api.url("/entity/product"), json={"name": "Сломанный"}).json()["id"]
    fine = api.post(api.url("/entity/product"), json={"name": "Целый"}).json()["id"]
    sim.faults.break_entity(broken, 500)
    reads = [f"/entity/product/{broken}", f"/entity/product?filter=id={fine};id={broken}"]
    assert [api.get(api.url(path)).status_code for path in reads] == [500, 500]
    assert api.get(api.url(f"/entity/product/{fine}")).status_code == 200
    assert api.get(api.url(f"/entity/product?filter=id={fine}")).status_code == 200
    sim.reset_instruments()
    assert api.get(api.url(f"/entity/product/{broken}")).status_code == 200


def test_injected_drop_closes_the_connection_without_an_answer(api, sim):
    sim.fail_next(1, drop=True)
    try:
        api.get(api.url("/entity/product"))
        raise AssertionError("expected a connection error")
    except requests.ConnectionError:
        pass
    assert sim.requests[-1].extra == {"dropped": True}
    assert api.get(api.url("/entity/product")).status_code == 200


def test_every_request_is_recorded_with_headers_query_body_and_status(api, sim):
    api.post(
        api.url("/entity/product"),
        json={"name": "Чай"},
        headers={"X-Lognex-WebHook-DisableByPrefix": "https://a.example/"},
    )
    api.get(api.url("/entity/product"), params={"limit": 5})
    post, get = sim.requests[-2:]
    assert (post.method, post.path, post.status, post.json) == (
        "POST",
        "/entity/product",
        200,
        {"name": "Чай"},
    )
    assert post.headers["x-lognex-webhook-disablebyprefix"] == "https://a.example/"
    assert post.headers["authorization"] == f"Bearer {TOKEN}"
    assert get.query == {"limit": "5"}


def test_bad_disable_prefix_is_refused_with_400(api):
    answer = api.post(
        api.url("/entity/product"),
        json={"name": "x"},
        headers={"X-Lognex-WebHook-DisableByPrefix": "https://"},
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["code"]


def test_server_keeps_serving_after_a_client_vanishes(base_url):
    host, port = base_url.split("//")[1].split("/")[0].split(":")
    with socket.create_connection((host, int(port))) as connection:
        connection.sendall(b"GET /api/remap/1.2/entity/product HTTP/1.1\r\n")
    assert requests.get(base_url.replace("/api/remap/1.2", "/_sim/health")).status_code == 200
