"""No secret in any log: what a delivery, a failed МойСклад call and a crash write is grepped."""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import falcon
import requests
from falcon import testing
from rq import Queue

from jobs import defaults
from jobs.queues import enqueue_setup
from receiver.app import create_app
from receiver.vendor_auth import sign_vendor_jwt
from store.accounts import add_account
from store.crypto import webhook_token
from store.settings import RECEIVE_PATH
from tests.jobs import lifecycle_fixtures
from tests.jobs.lifecycle_fixtures import CHILD, MAIN, TOKENS
from tests.receiver.conftest import ACCOUNT_ID, moysklad_body
from tests.support.tcp_proxy import free_port

ROOT = Path(__file__).resolve().parents[2]
franchise = lifecycle_fixtures.franchise
LEAKY = "9171a53c-b719-11eb-c0a8-800d000000aa"  # МойСклад refuses its token
CRASHY = "9171a53c-b719-11eb-c0a8-800d000000bb"  # its token was encrypted with another key
API_TOKENS = {LEAKY: "leaky-api-token-5d1e", CRASHY: "crashy-api-token-77f0"}


def macs(*account_ids: str, secret: str) -> list[str]:
    return [webhook_token(a, secret)[32:] for a in account_ids]


def test_gunicorn_access_and_error_logs_show_deliveries_without_the_token(
    settings, db, redis, tmp_path
):
    port, log = free_port(), tmp_path / "gunicorn.log"
    env = os.environ | {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "APP_SECRET": settings.app_secret,
        "RECEIVER_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "RECEIVER_ACCESS_LOG": "-",
        "VENDOR_SECRET_KEY": "k",
        "VENDOR_APP_ID": "app",
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "gunicorn.conf.py",
                "receiver.app:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url, process)
        token = webhook_token(ACCOUNT_ID, settings.app_secret)
        jwt = sign_vendor_jwt({"iat": int(time.time()), "exp": int(time.time()) + 60}, "k")
        with requests.Session() as session:
            delivery = f"{url}{RECEIVE_PATH}{token}?requestId=r-1"
            assert session.post(delivery, data=moysklad_body(), timeout=5).status_code == 200
            assert session.post(f"{url}{RECEIVE_PATH}{token}/x", data=b"{}").status_code == 404
            vendor = f"{url}/api/moysklad/vendor/1.0/apps/app/{ACCOUNT_ID}"
            assert (
                session.put(vendor, headers={"Authorization": f"Bearer {jwt}"}).status_code == 401
            )
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    written = log.read_text()
    assert f"{RECEIVE_PATH}{token[:32]}***?requestId=r-1" in written  # the line is there...
    assert token[32:] not in written and jwt not in written  # ...without the secret
    assert jwt.split(".")[2] not in written


def test_a_crash_under_the_receive_path_is_logged_masked_and_answered_500(settings, db, redis):
    app = create_app(settings, redis)

    class Crash:
        def on_post(self, req, resp, token):
            raise RuntimeError(f"boom while handling {req.path}")

    app.add_route(RECEIVE_PATH + "{token}/crash", Crash())
    token = webhook_token(ACCOUNT_ID, settings.app_secret)
    errors = io.StringIO()
    result = testing.TestClient(app).simulate_post(
        f"{RECEIVE_PATH}{token}/crash", body=b"{}", wsgierrors=errors
    )
    assert result.status == falcon.HTTP_500
    assert "RuntimeError: boom" in errors.getvalue() and token[:32] in errors.getvalue()
    assert token[32:] not in errors.getvalue()


def test_a_worker_logs_failed_moysklad_calls_and_crashes_without_any_token(franchise, redis):
    settings = franchise.settings
    franchise.sim.add_account(LEAKY, "the-token-moysklad-knows")
    add_account(LEAKY, "refused", API_TOKENS[LEAKY], "main", settings.app_secret)
    add_account(CRASHY, "crashes", API_TOKENS[CRASHY], "main", "a key this system lost")
    for account_id in (MAIN, CHILD, LEAKY, CRASHY):
        enqueue_setup(redis, account_id)
    done = subprocess.run(
        [sys.executable, "-m", "scripts.worker", "--burst"],
        cwd=ROOT,
        env=os.environ
        | {
            "DATABASE_URL": settings.database_url,
            "REDIS_URL": settings.redis_url,
            "APP_SECRET": settings.app_secret,
            "MOYSKLAD_API_URL": franchise.api_url,
            "PUBLIC_BASE_URL": settings.public_base_url,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    written = done.stdout + done.stderr
    failed = Queue(defaults.DEFAULT_QUEUE, connection=redis).failed_job_registry
    (crashed,) = [Queue(connection=redis).fetch_job(i) for i in failed.get_job_ids()]
    finished = Queue(defaults.DEFAULT_QUEUE, connection=redis).finished_job_registry
    results = [
        str(Queue(connection=redis).fetch_job(i).return_value()) for i in finished.get_job_ids()
    ]
    assert "TokenError" in written and "TokenError" in crashed.latest_result().exc_string
    assert any("401" in r for r in results)  # МойСклад refused LEAKY's token: in its report
    everything = written + crashed.latest_result().exc_string + "".join(results)
    for secret in [*API_TOKENS.values(), *TOKENS.values()]:
        assert secret not in everything
    for mac in macs(MAIN, CHILD, LEAKY, CRASHY, secret=settings.app_secret):
        assert mac not in written and mac not in crashed.latest_result().exc_string
    assert CRASHY in written  # the account is named (its id); only secrets are withheld
    # The worker logs quietly (jobs.monitoring.job_logging): the crash is one line naming the
    # job's call, its traceback stays with the failed job in RQ.
    assert "Traceback" not in written
    assert f"setup_account('{CRASHY}'" in written


def _wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("gunicorn did not start")
