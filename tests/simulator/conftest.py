"""A simulator served on a free port, a session that speaks its protocol, a webhook receiver."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from scripts.simulator import Simulator, running_simulator

ACCOUNT = "11111111-1111-4111-8111-111111111111"
TOKEN = "token-main"
OTHER_ACCOUNT = "22222222-2222-4222-8222-222222222222"
OTHER_TOKEN = "token-other"
PREFIX = "http://127.0.0.1:8000/api/webhooks/"


@pytest.fixture
def sim():
    simulator = Simulator(delivery_timeout=0.4)
    simulator.add_account(ACCOUNT, TOKEN)
    simulator.add_account(OTHER_ACCOUNT, OTHER_TOKEN)
    yield simulator
    simulator.flush_deliveries(5)
    simulator.close()


@pytest.fixture
def base_url(sim):
    with running_simulator(sim) as url:
        yield url


@pytest.fixture
def api(base_url):
    """A session with МойСклад's required headers; `api.url(path)` joins the base URL."""
    session = requests.Session()
    session.headers.update({"Authorization": f"Bearer {TOKEN}", "Accept-Encoding": "gzip"})
    session.url = lambda path: base_url + path
    yield session
    session.close()


class Receiver:
    """A tiny webhook endpoint: records every POST, answers with the planned statuses/delay."""

    def __init__(self):
        self.received: list[dict] = []
        self.statuses: list[int] = []
        self.delay = 0.0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                parts = urlsplit(self.path)
                outer.received.append(
                    {
                        "path": parts.path,
                        "query": parse_qs(parts.query),
                        "headers": dict(self.headers),
                        "body": json.loads(body),
                    }
                )
                time.sleep(outer.delay)
                status = outer.statuses.pop(0) if outer.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def url(self, path: str = "/api/webhooks/receive/abc") -> str:
        return self.base + path


@pytest.fixture
def receiver():
    hook_receiver = Receiver()
    yield hook_receiver
    hook_receiver.server.shutdown()
    hook_receiver.server.server_close()
