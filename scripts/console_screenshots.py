"""python -m scripts.console_screenshots — sign in to a running console in headless Chromium, visit
every page, fail on any error element, and save a screenshot per page.

Needs Debian's chromium and chromium-driver (`scripts/setup.sh --browser` installs them). The
browser test drives the console through the same functions.
"""

import argparse
import re
import shutil
import sys
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

PAGES = ("Overview", "Logs", "Webhooks", "Accounts", "Alerts", "Sync")
PAGE_TIMEOUT = 20
ERROR_ELEMENTS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
SIGNED_IN_NAV = '[data-testid="stSidebarNav"]'
TABLE_CELLS = '[data-testid="stDataFrame"] td'
# What a table cell must never show: Python's None/NaN, a dict, bytes or a UUID object.
RAW_CELL = re.compile(r"^(None|nan|NaT)$|^\{.*\}$|^b'|UUID\(")
VERDICT = "Pipeline:"
DEPLOY_BUTTON = '[data-testid="stAppDeployButton"]'


class PageError(AssertionError):
    """A console page showed an error element (or never finished rendering)."""


def chromium_missing() -> str | None:
    """Why a browser cannot be started here, or None."""
    if shutil.which("chromium") and shutil.which("chromedriver"):
        return None
    return "Debian's chromium is not installed (apt-get install -y chromium chromium-driver)"


def open_browser(width: int = 1400, height: int = 1100) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 f"--window-size={width},{height}"):  # fmt: skip
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


# Whether the page is drawn: the script's run over (the state Streamlit's own end-to-end tests
# wait for), no element stale from the previous run or still a loading skeleton, every plotly
# chart drawn, and every table's cells rendered: the grid draws its accessible table (what
# check_page reads) a moment after its canvas, and some grids never do — those get
# TABLE_GRACE_MS after their canvas, as long as the fixed sleep this replaces gave them. A grid
# out of sight (a collapsed expander) draws nothing until it is opened.
PAGE_DRAWN_JS = """
const app = document.querySelector('[data-testid="stApp"]');
const seen = window.consoleCheckSeen = window.consoleCheckSeen || new WeakMap();
const tableDrawn = grid => {
  if (!grid.checkVisibility() || grid.querySelector('table th')) return true;
  if (!grid.querySelector('canvas')) return false;
  if (!seen.has(grid)) seen.set(grid, Date.now());
  return Date.now() - seen.get(grid) >= arguments[0];
};
return app !== null && app.dataset.testScriptState === 'notRunning'
  && !document.querySelector(
    '[data-testid="stStatusWidget"], [data-testid="stSkeleton"], [data-stale="true"]')
  && [...document.querySelectorAll('[data-testid="stDataFrame"]')].every(tableDrawn)
  && [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'));
"""
TABLE_GRACE_MS = 1000
SETTLED_POLLS = 3  # in a row, POLL seconds apart: a rerun just asked for has time to show
POLL = 0.1


class _PageDrawn:
    def __init__(self):
        self.streak = 0

    def __call__(self, driver: webdriver.Chrome) -> bool:
        self.streak = self.streak + 1 if driver.execute_script(PAGE_DRAWN_JS, TABLE_GRACE_MS) else 0
        return self.streak >= SETTLED_POLLS


def wait_for_title(driver: webdriver.Chrome, title: str) -> None:
    """The page headed `title` has finished its run and is drawn."""
    WebDriverWait(driver, PAGE_TIMEOUT, poll_frequency=POLL).until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, "h1"), title)
    )
    WebDriverWait(driver, PAGE_TIMEOUT, poll_frequency=POLL).until(_PageDrawn())


def clickable(driver: webdriver.Chrome, xpath: str):
    return WebDriverWait(driver, PAGE_TIMEOUT).until(ec.element_to_be_clickable((By.XPATH, xpath)))


def sign_in(driver: webdriver.Chrome, url: str, user: str, password: str) -> None:
    driver.get(url)
    wait_for_title(driver, "sign in")
    clickable(driver, '//input[@aria-label="User"]').send_keys(user)
    driver.find_element(By.CSS_SELECTOR, 'input[type="password"]').send_keys(password)
    clickable(driver, '//button[.//p[text()="Sign in"]]').click()
    wait_for_title(driver, "Overview")


def open_page(driver: webdriver.Chrome, title: str) -> None:
    link = f'//a[@data-testid="stSidebarNavLink"][.//span[@label="{title}"]]'
    clickable(driver, link).click()
    wait_for_title(driver, title)


def check_page(driver: webdriver.Chrome, title: str) -> None:
    """Raise PageError on an error element, a raw value in a table, a missing verdict or a
    Deploy menu."""
    errors = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ERROR_ELEMENTS)]
    if errors:
        raise PageError(f"{title}: {errors}")
    cells = [
        c.get_attribute("textContent") for c in driver.find_elements(By.CSS_SELECTOR, TABLE_CELLS)
    ]
    raw = [c for c in cells if RAW_CELL.search(c or "")]
    if raw:
        raise PageError(f"{title}: raw values in a table: {raw[:5]}")
    if VERDICT not in driver.find_element(By.CSS_SELECTOR, "body").text:
        raise PageError(f"{title}: no pipeline verdict")
    if driver.find_elements(By.CSS_SELECTOR, DEPLOY_BUTTON):
        raise PageError(f"{title}: Streamlit's Deploy menu is shown")


def visit_every_page(driver: webdriver.Chrome, out: Path, prefix: str = "") -> list[Path]:
    """Click through the sidebar; raise PageError on what check_page finds; one PNG per page."""
    out.mkdir(parents=True, exist_ok=True)
    saved = []
    for title in PAGES:
        open_page(driver, title)
        check_page(driver, title)
        path = out / f"{prefix}{title.lower()}.png"
        driver.save_screenshot(str(path))
        saved.append(path)
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.console_screenshots", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--url", default="http://127.0.0.1:8501", help="the running console")
    parser.add_argument("--user", default="admin")
    parser.add_argument(
        "--password-file", type=Path, default=Path("var/console_password"),
        help="file holding the password (default: the one scripts/up.sh made)",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, default=Path("artifacts/screenshots/console"))
    parser.add_argument(
        "--height", type=int, default=1100, help="window height in pixels (taller: whole pages)"
    )
    args = parser.parse_args(argv)
    if missing := chromium_missing():
        print(f"error: {missing}", file=sys.stderr)
        return 1
    password = args.password_file.read_text().strip()
    driver = open_browser(height=args.height)
    try:
        sign_in(driver, args.url, args.user, password)
        for path in visit_every_page(driver, args.out):
            print(path)
    except PageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
