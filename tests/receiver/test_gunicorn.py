"""The receiver as it runs: gunicorn with several workers, metrics summed across them."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from store.crypto import webhook_token
from store.models import WebhookLog
from tests.receiver.conftest import ACCOUNT_ID, moysklad_body
from tests.support.tcp_proxy import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def receiver_url(settings, db, redis, tmp_path):
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "APP_SECRET": settings.app_secret,
        "RECEIVER_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "3",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "RECEIVER_ACCESS_LOG": "",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "receiver.app:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/healthz", timeout=5).status_code == 200:
                break
        except requests.RequestException:  # not listening yet, or too busy starting
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("gunicorn did not start: " + process.stderr.read().decode())
    yield url
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0  # graceful shutdown


def test_gunicorn_receiver_accepts_and_counts_across_workers(receiver_url, settings):
    path = f"{receiver_url}/api/webhooks/receive/{webhook_token(ACCOUNT_ID, settings.app_secret)}"
    with requests.Session() as session:
        for number in range(30):
            answer = session.post(f"{path}?requestId=g-{number}", data=moysklad_body(), timeout=5)
            assert answer.status_code == 200 and answer.json()["status"] == "accepted"
        assert session.post(f"{path}?requestId=g-0", data=moysklad_body()).json()["status"] == (
            "duplicate"
        )
        assert session.post(f"{path}x", data=b"{}").status_code == 404
    assert WebhookLog.select().count() == 30
    assert requests.get(receiver_url + "/readyz").json()["status"] == "ready"
    metrics = requests.get(receiver_url + "/metrics").text
    assert 'webhook_deliveries_total{outcome="accepted"} 30.0' in metrics
    assert 'webhook_deliveries_total{outcome="duplicate"} 1.0' in metrics
    assert 'webhook_deliveries_total{outcome="unknown_token"} 1.0' in metrics
    assert "webhook_receive_seconds_count 32.0" in metrics
    assert "webhook_spool_size 0.0" in metrics


def test_a_chunked_body_is_read_like_any_other(receiver_url, settings):
    path = f"{receiver_url}/api/webhooks/receive/{webhook_token(ACCOUNT_ID, settings.app_secret)}"
    body = moysklad_body(events=40)
    pieces = [body[i : i + 700] for i in range(0, len(body), 700)]
    # A generator body makes requests send `Transfer-Encoding: chunked`, no Content-Length.
    answer = requests.post(f"{path}?requestId=chunked", data=iter(pieces), timeout=5)
    assert answer.status_code == 200 and answer.json()["status"] == "accepted", answer.text
    log = WebhookLog.get(WebhookLog.request_id == "chunked")
    assert log.events_count == 40 and len(log.entity_ids) == 40
    too_large = iter([b" " * 600_000, b" " * 600_000, body])
    answer = requests.post(f"{path}?requestId=big", data=too_large, timeout=5)
    assert answer.status_code == 413
