"""The real console in headless Chromium, as viewer and operator: every page without an error,
a raw value or a Deploy menu, with the verdict; every confirmation asked, cancelled and confirmed;
fixed colours; a screenshot of each (artifacts/screenshots)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from scripts.console_screenshots import (
    PAGE_TIMEOUT,
    SIGNED_IN_NAV,
    check_page,
    chromium_missing,
    clickable,
    open_browser,
    open_page,
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


def button(browser, label: str):
    return clickable(browser, f'//button[.//p[text()="{label}"]]')


def confirm_and_cancel(browser, page: str, label: str, shots: Path) -> None:
    """Click, see the question, Cancel (nothing asked any more); click again and Confirm."""
    from selenium.webdriver.common.by import By

    confirm = f'//button[.//p[text()="Confirm: {label}"]]'
    button(browser, label).click()
    clickable(browser, confirm)
    wait_for_title(browser, page)
    browser.save_screenshot(str(shots / f"confirm-{page.lower()}-{label.split()[0].lower()}.png"))
    button(browser, "Cancel").click()
    # The rerun may start a moment after the click: wait for the question to go.
    WebDriverWait(browser, PAGE_TIMEOUT).until_not(
        ec.presence_of_element_located((By.XPATH, confirm))
    )
    wait_for_title(browser, page)
    button(browser, label).click()
    clickable(browser, confirm).click()
    WebDriverWait(browser, PAGE_TIMEOUT).until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, "body"), "— ok:")
    )
    wait_for_title(browser, page)
    check_page(browser, page)


def failed_colour(browser) -> str:
    """The fill of `failed` in the Deliveries chart's legend (plotly draws SVG)."""
    from selenium.webdriver.common.by import By

    chart = next(
        c for c in browser.find_elements(By.CSS_SELECTOR, ".js-plotly-plot")
        if "Deliveries per" in c.text
    )  # fmt: skip
    entry = next(t for t in chart.find_elements(By.CSS_SELECTOR, "g.traces") if t.text == "failed")
    return entry.find_element(By.CSS_SELECTOR, ".legendpoints path").value_of_css_property("fill")


def test_viewer_and_operator_every_page_and_every_confirmation(console_server, browser):
    from selenium.webdriver.common.by import By

    browser.get(f"{console_server}/logs")  # a deep link without a session: only the login form
    wait_for_title(browser, "sign in")
    assert not browser.find_elements(By.CSS_SELECTOR, SIGNED_IN_NAV)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "login.png"))

    sign_in(browser, console_server, "victor", PASSWORD)
    viewed = visit_every_page(browser, SCREENSHOTS, prefix="viewer-")  # raises on any problem
    assert [path.stem for path in viewed] == [f"viewer-{page}" for page in PAGES]
    button(browser, "Sign out").click()
    wait_for_title(browser, "sign in")

    sign_in(browser, console_server, "olga", PASSWORD)
    saved = visit_every_page(browser, SCREENSHOTS)
    assert [path.stem for path in saved] == list(PAGES)
    assert all(path.stat().st_size > 10_000 for path in saved)

    open_page(browser, "Overview")
    before = failed_colour(browser)
    clickable(browser, '//label[.//p[text()="Moscow (UTC+3)"]]').click()  # a rerun
    # The rerun has drawn the page when its caption names the new zone (the title stays).
    WebDriverWait(browser, PAGE_TIMEOUT).until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, "body"), "Times in Moscow (UTC+3)")
    )
    wait_for_title(browser, "Overview")
    assert failed_colour(browser) == before == "rgb(198, 40, 40)"

    open_page(browser, "Webhooks")
    for label in ("Set up", "Reinstall"):
        confirm_and_cancel(browser, "Webhooks", label, SCREENSHOTS)
    open_page(browser, "Accounts")
    for label in ("Switch webhooks off", "Make it main and reinstall its webhooks"):
        confirm_and_cancel(browser, "Accounts", label, SCREENSHOTS)
    open_page(browser, "Logs")
    clickable(browser, '//summary[.//p[starts-with(text(), "Retry all failed logs")]]').click()
    confirm_and_cancel(browser, "Logs", "Retry all failed", SCREENSHOTS)
