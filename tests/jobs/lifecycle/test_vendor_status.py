"""After SettingsRequired, choosing the type reports Activated to МойСклад's vendor API."""

import contextlib
import dataclasses
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from rq import Queue

from jobs import defaults
from jobs.context import configure
from jobs.lifecycle.vendor_status import VendorStatusError, report_activated
from jobs.queues import after_type_change
from store.account_lifecycle import install_account
from store.accounts import add_account, set_account_type

KEY = "vendor-secret-key"
APP_ID = "5f3c5489-6a17-48b7-9fe5-b2000eb807fe"
APP_UID = "sync.vendor"
ACCOUNT = "9171a53c-b719-11eb-c0a8-800d00000007"


class VendorApi(ThreadingHTTPServer):
    """МойСклад's side of `PUT /apps/{appId}/{accountId}/status`: records, answers `status`."""

    def __init__(self, status: int = 200):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer_status, self.calls = status, []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/vendor/1.0"


class _Handler(BaseHTTPRequestHandler):
    def do_PUT(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.calls.append((self.path, dict(self.headers), json.loads(body)))
        self.send_response(self.server.answer_status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def vendor_api(status: int = 200):
    server = VendorApi(status)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def api(settings, db, redis):
    with vendor_api() as server:
        configure(
            dataclasses.replace(
                settings, vendor_secret_key=KEY, vendor_app_uid=APP_UID, vendor_api_url=server.url
            ),
            redis,
        )
        yield server


def queued(redis, func: str) -> list:
    return [
        j for j in Queue(defaults.DEFAULT_QUEUE, connection=redis).get_jobs() if j.func_name == func
    ]


def test_choosing_the_type_of_a_settings_required_account_reports_activated(api, settings, redis):
    install_account(ACCOUNT, APP_ID, "app-token", "shop", settings.app_secret)  # SettingsRequired
    set_account_type(ACCOUNT, "child")
    after_type_change(redis, ACCOUNT, APP_ID, None)
    (job,) = queued(redis, defaults.REPORT_ACTIVATED_FUNC)
    assert job.args == (ACCOUNT,) and job.retries_left == len(
        defaults.REPORT_ACTIVATED_RETRY_INTERVALS
    )
    assert report_activated(ACCOUNT)["status"] == "reported"
    ((path, headers, body),) = api.calls
    assert path == f"/api/vendor/1.0/apps/{APP_ID}/{ACCOUNT}/status"
    assert body == {"status": "Activated"} and "gzip" in headers["Accept-Encoding"]
    token = headers["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, KEY, algorithms=["HS256"], options={"require": ["iat", "jti"]})
    assert claims["sub"] == APP_UID and claims["exp"] - claims["iat"] <= 300
    assert abs(claims["iat"] - time.time()) < 60


def test_an_account_added_by_hand_or_retyped_reports_nothing(api, settings, redis):
    add_account(ACCOUNT, "shop", "token", "main", settings.app_secret)
    after_type_change(redis, ACCOUNT, None, None)
    install_account(ACCOUNT, APP_ID, "app-token", "shop", settings.app_secret)
    after_type_change(redis, ACCOUNT, APP_ID, "main")  # Activated was answered already
    assert queued(redis, defaults.REPORT_ACTIVATED_FUNC) == []
    assert len(queued(redis, defaults.SETUP_WEBHOOKS_FUNC)) == 2


def test_a_refused_report_fails_the_try_so_rq_retries_it(settings, db, redis):
    install_account(ACCOUNT, APP_ID, "app-token", "shop", settings.app_secret)
    set_account_type(ACCOUNT, "main")
    with vendor_api(status=503) as server:
        configure(
            dataclasses.replace(
                settings, vendor_secret_key=KEY, vendor_app_uid=APP_UID, vendor_api_url=server.url
            ),
            redis,
        )
        with pytest.raises(VendorStatusError, match="503"):
            report_activated(ACCOUNT)
        assert len(server.calls) == 1
