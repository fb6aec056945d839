"""The simulator as МойСклад's app catalogue: signed lifecycle calls to the app's endpoint.

api-vendor-1.0-doc includes/_6.1 (JWT), _6.2 (processes), _6.3 (the app's endpoint), _6.4 (status).
"""

import dataclasses
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from wsgiref.simple_server import WSGIRequestHandler, make_server

import jwt
import pytest
import requests

from receiver.app import create_app
from store.accounts import api_token, get_account
from tests.simulator.conftest import ACCOUNT

APP_ID = "5f3c5489-6a17-48b7-9fe5-b2000eb807fe"
KEY = "vendor-secret-key-of-the-app"
ACCOUNT_ID = "f088b0a7-9490-4a57-b804-393163e7680f"


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def our_endpoint(settings, db, redis):
    """Our receiver (with its vendor endpoint) on a free port."""
    ours = dataclasses.replace(settings, vendor_secret_key=KEY, vendor_app_id=APP_ID)
    server = make_server("127.0.0.1", 0, create_app(ours, redis), handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class Recorder:
    """An app endpoint that records PUT/DELETE calls and answers a planned status."""

    def __init__(self):
        self.calls, self.answer = [], (200, {"status": "Activated"})
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                call = {"method": self.command, "path": self.path, "headers": dict(self.headers)}
                outer.calls.append(call | {"body": json.loads(body)})
                status, answer = outer.answer
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_PUT = do_DELETE = _record

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def recorder():
    app = Recorder()
    yield app
    app.server.shutdown()


def test_install_and_uninstall_reach_our_vendor_endpoint_signed(
    sim, base_url, our_endpoint, settings
):
    """_6.3 — Активация / Деактивация решения на аккаунте; _6.1 — Исходящие запросы (JWT)."""
    sim.register_app(APP_ID, KEY, our_endpoint)
    installation = sim.install_app(APP_ID, ACCOUNT_ID, "shop")
    assert installation.status == "SettingsRequired", installation.calls
    stored = get_account(ACCOUNT_ID)
    assert api_token(stored, settings.encryption_secrets) == installation.token
    assert stored.token_kind == "app"
    headers = {"Authorization": f"Bearer {installation.token}", "Accept-Encoding": "gzip"}
    hook = {"url": "https://sync.example.com/api/webhooks/receive/x", "action": "CREATE",
            "entityType": "product"}  # fmt: skip
    assert (
        requests.post(base_url + "/entity/webhook", json=hook, headers=headers).status_code == 200
    )
    sim.add_webhook(ACCOUNT_ID, "https://other.example.com/hook", "product", "CREATE")
    token = installation.token
    assert sim.uninstall_app(APP_ID, ACCOUNT_ID).status == "Uninstalled"
    assert get_account(ACCOUNT_ID).status == "uninstalled"
    assert [w["url"] for w in sim.webhooks(ACCOUNT_ID)] == ["https://other.example.com/hook"]
    revoked = {"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"}
    assert requests.get(base_url + "/entity/product", headers=revoked).status_code == 401


def test_each_call_carries_a_fresh_hs256_jwt_and_a_request_id(sim, recorder):
    """_6.1 — Исходящие запросы МойСклад → Разработчик (alg HS256, iat, exp, one-time jti)."""
    sim.register_app(APP_ID, KEY, recorder.base)
    sim.install_app(APP_ID, ACCOUNT_ID)
    sim.change_tariff(APP_ID, ACCOUNT_ID)
    tokens = [c["headers"]["Authorization"].removeprefix("Bearer ") for c in recorder.calls]
    claims = [jwt.decode(t, KEY, algorithms=["HS256"]) for t in tokens]
    assert all(jwt.get_unverified_header(t)["alg"] == "HS256" for t in tokens)
    assert all(c["iat"] <= time.time() < c["exp"] <= c["iat"] + 300 for c in claims)
    assert len({c["jti"] for c in claims}) == 2
    assert all(c["headers"].get("X_Lognex_RequestId") for c in recorder.calls)
    assert recorder.calls[0]["path"] == f"/api/moysklad/vendor/1.0/apps/{APP_ID}/{ACCOUNT_ID}"


def test_only_install_and_resume_carry_a_token(sim, recorder):
    """_6.3 — Активация решения на аккаунте (access is absent for TariffChanged)."""
    sim.register_app(APP_ID, KEY, recorder.base)
    first = sim.install_app(APP_ID, ACCOUNT_ID).token
    sim.change_tariff(APP_ID, ACCOUNT_ID)
    sim.suspend_app(APP_ID, ACCOUNT_ID)
    second = sim.resume_app(APP_ID, ACCOUNT_ID).token
    causes = [(c["method"], c["body"]["cause"], "access" in c["body"]) for c in recorder.calls]
    assert causes == [("PUT", "Install", True), ("PUT", "TariffChanged", False),
                      ("DELETE", "Suspend", False), ("PUT", "Resume", True)]  # fmt: skip
    assert first != second and first not in sim.tokens and second in sim.tokens


def test_suspend_disables_the_apps_webhooks_and_keeps_others(sim, recorder):
    """_6.2 — Процесс приостановки (MOYSKLAD.md §3: a suspended app's webhooks are disabled)."""
    sim.register_app(APP_ID, KEY, recorder.base)
    sim.install_app(APP_ID, ACCOUNT_ID)
    sim.add_webhook(ACCOUNT_ID, "https://sync.example.com/hook", "product", "CREATE", app_id=APP_ID)
    sim.add_webhook(ACCOUNT_ID, "https://other.example.com/hook", "product", "CREATE")
    assert sim.suspend_app(APP_ID, ACCOUNT_ID).status == "Suspended"
    enabled = {w["url"]: w["enabled"] for w in sim.webhooks(ACCOUNT_ID)}
    assert enabled == {
        "https://sync.example.com/hook": False,
        "https://other.example.com/hook": True,
    }


def test_a_4xx_answer_fails_the_activation(sim, recorder):
    """_6.2 — Процесс активации (4xx or 551 → ActivationFailed)."""
    sim.register_app(APP_ID, KEY, recorder.base)
    recorder.answer = (400, {"error": "no"})
    assert sim.install_app(APP_ID, ACCOUNT_ID).status == "ActivationFailed"


def test_the_apps_status_report_is_checked_and_moves_the_lifecycle(sim, base_url, recorder):
    """_6.4 — Изменение статуса решения на аккаунте (JWT sub = appUid, one-time jti, 409)."""
    app = sim.register_app(APP_ID, KEY, recorder.base)
    recorder.answer = (200, {"status": "SettingsRequired"})
    sim.install_app(APP_ID, ACCOUNT_ID)
    url = base_url.replace("/api/remap/1.2", f"/api/vendor/1.0/apps/{APP_ID}/{ACCOUNT_ID}/status")

    def report(status, token=None):
        now = int(time.time())
        claims = {"sub": app.app_uid, "iat": now, "exp": now + 60, "jti": str(time.monotonic_ns())}
        token = token or jwt.encode(claims, KEY, algorithm="HS256")
        headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"}
        return requests.put(url, json={"status": status}, headers=headers), token

    answer, used = report("Activated")
    assert answer.status_code == 200
    assert sim.installation(APP_ID, ACCOUNT_ID).status == "Activated"
    assert report("Activated", used)[0].status_code == 401  # the jti was used
    assert report("SettingsRequired")[0].status_code == 409
    gzip = {"Accept-Encoding": "gzip"}
    assert requests.get(url, headers=gzip).json()["status"] == "Activated"
    assert ACCOUNT  # the fixture's accounts stay untouched
