"""The real console (`streamlit run console/app.py`) as a process, for the tests that drive it in
Chromium: the browser test against seeded data, the demo test against a minute of the demo."""

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import requests

from tests.support.tcp_proxy import free_port

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30


class ConsoleDidNotStart(RuntimeError):
    """Streamlit did not answer its health check in time."""


def start_console(settings, users: str) -> tuple[subprocess.Popen, str]:
    """Start the console on a free port (returns at once: wait_for_console waits)."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "APP_SECRET": settings.app_secret,
        "PUBLIC_BASE_URL": settings.public_base_url,
        "MOYSKLAD_API_URL": settings.moysklad_api_url,
        "CONSOLE_USERS": users,
        "RQ_DASHBOARD_URL": "http://127.0.0.1:9181/",
    }
    command = [sys.executable, "-m", "streamlit", "run", "console/app.py",
               "--server.headless", "true", "--server.port", str(port),
               "--browser.gatherUsageStats", "false"]  # fmt: skip
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    return server, f"http://127.0.0.1:{port}"


def wait_for_console(server: subprocess.Popen, base: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/_stcore/health", timeout=1).text == "ok":
                return
        except requests.ConnectionError:
            time.sleep(0.3)
    server.terminate()
    raise ConsoleDidNotStart(f"streamlit did not start: {server.stderr.read1().decode()}")


def stop_console(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=10)


@contextlib.contextmanager
def running_console(settings, users: str) -> Iterator[str]:
    """The console's base URL, once it answers; stopped on exit."""
    server, base = start_console(settings, users)
    try:
        wait_for_console(server, base)
        yield base
    finally:
        if server.poll() is None:
            stop_console(server)
