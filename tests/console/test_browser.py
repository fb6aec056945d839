"""The real console in headless Chromium: sign in, visit every page, no error, a screenshot each."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from scripts.console_screenshots import (
    SIGNED_IN_NAV,
    chromium_missing,
    open_browser,
    sign_in,
    visit_every_page,
    wait_for_title,
)
from tests.console.conftest import PAGES, PASSWORD, USERS
from tests.console.seed import seed_console
from tests.support.tcp_proxy import free_port

if missing := chromium_missing():
    # scripts/test.sh installs Chromium and sets REQUIRE_BROWSER, so there the test cannot skip.
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise RuntimeError(missing)
    pytestmark = pytest.mark.skip(reason=missing)

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
START_TIMEOUT = 30


@pytest.fixture
def console_server(settings, db, redis):
    seed_console()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "APP_SECRET": settings.app_secret,
        "CONSOLE_USERS": USERS,
        "RQ_DASHBOARD_URL": "http://127.0.0.1:9181/",
    }
    command = [sys.executable, "-m", "streamlit", "run", "console/app.py",
               "--server.headless", "true", "--server.port", str(port),
               "--browser.gatherUsageStats", "false"]  # fmt: skip
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/_stcore/health", timeout=1).text == "ok":
                break
        except requests.ConnectionError:
            time.sleep(0.3)
    else:
        server.terminate()
        pytest.fail(f"streamlit did not start: {server.stderr.read1().decode()}")
    yield base
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def browser():
    driver = open_browser()
    yield driver
    driver.quit()


def test_browser_signs_in_and_every_page_renders_without_error(console_server, browser):
    from selenium.webdriver.common.by import By

    browser.get(f"{console_server}/logs")  # a deep link without a session: only the login form
    wait_for_title(browser, "sign in")
    assert not browser.find_elements(By.CSS_SELECTOR, SIGNED_IN_NAV)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "login.png"))

    sign_in(browser, console_server, "olga", PASSWORD)
    saved = visit_every_page(browser, SCREENSHOTS)  # raises on any error element

    assert [path.stem for path in saved] == list(PAGES)
    assert all(path.stat().st_size > 10_000 for path in saved)
