"""What an operator does in the browser test, step by step: buttons, tick boxes, select boxes,
and the two ways the console asks first (a Confirm/Cancel question; a tick box that enables the
button)."""

import re
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from scripts.console_screenshots import (
    PAGE_TIMEOUT,
    RAW_CELL,
    TABLE_CELLS,
    VERDICT,
    check_page,
    clickable,
    wait_for_title,
)

OK = "— ok:"  # what show_outcome prints after an action that worked


def centred(browser, xpath: str):
    """The clickable element, scrolled to the middle: at the top, Streamlit's header covers it."""
    element = clickable(browser, xpath)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    return clickable(browser, xpath)


def button(browser, label: str):
    return centred(browser, f'//button[.//p[text()="{label}"]]')


def buttons_starting(browser, text: str) -> list:
    return browser.find_elements(By.XPATH, f'//button[.//p[starts-with(text(), "{text}")]]')


def click(browser, page: str, xpath: str) -> None:
    centred(browser, xpath).click()
    wait_for_title(browser, page)


def tick(browser, page: str, label_start: str) -> None:
    """Tick (or untick) the checkbox whose label starts with `label_start`."""
    click(browser, page, f'//label[.//p[starts-with(text(), "{label_start}")]]')


def expand(browser, page: str, summary_start: str) -> None:
    click(browser, page, f'//summary[.//p[starts-with(text(), "{summary_start}")]]')


def choose(browser, page: str, label: str, option: str) -> None:
    """Pick `option` (its shown text) in the select box labelled `label`."""
    box = f'//div[@data-testid="stSelectbox"][.//label//p[text()="{label}"]]'
    centred(browser, f"{box}//input").click()  # a combo box: the click opens its list
    click(browser, page, f'//*[@role="option"][normalize-space(.)="{option}"]')


def wait_for_outcome(browser, page: str) -> None:
    WebDriverWait(browser, PAGE_TIMEOUT).until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, "body"), OK)
    )
    wait_for_title(browser, page)


def check_page_showing(browser, page: str, failure: str | None) -> None:
    """check_page; on a page that opens a failed log or task, its own error is the one red box
    allowed (red is for failure): every other check still holds."""
    if failure is None:
        check_page(browser, page)
        return
    assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
    boxes = browser.find_elements(By.CSS_SELECTOR, '[data-testid="stAlertContentError"]')
    assert boxes and all(b.text.startswith(failure) for b in boxes), [b.text for b in boxes]
    cells = browser.find_elements(By.CSS_SELECTOR, TABLE_CELLS)
    assert not [t for c in cells if RAW_CELL.search(t := c.get_attribute("textContent") or "")]
    assert VERDICT in browser.find_element(By.CSS_SELECTOR, "body").text


def shoot(browser, shots: Path, page: str, label: str) -> None:
    """The question on screen: confirm-<page>-<label>.png."""
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    browser.save_screenshot(str(shots / f"confirm-{page.lower()}-{slug}.png"))


def confirm_and_cancel(
    browser, page: str, label: str, shots: Path, failure: str | None = None
) -> None:
    """Click, see the question, Cancel (nothing asked any more); click again and Confirm."""
    confirm = f'//button[.//p[text()="Confirm: {label}"]]'
    button(browser, label).click()
    clickable(browser, confirm)
    wait_for_title(browser, page)
    shoot(browser, shots, page, label)
    button(browser, "Cancel").click()
    # The rerun may start a moment after the click: wait for the question to go.
    WebDriverWait(browser, PAGE_TIMEOUT).until_not(
        ec.presence_of_element_located((By.XPATH, confirm))
    )
    wait_for_title(browser, page)
    button(browser, label).click()
    centred(browser, confirm).click()
    wait_for_outcome(browser, page)
    check_page_showing(browser, page, failure)


def tick_then_do(
    browser, page: str, tick_label: str, label: str, shots: Path, failure: str | None = None
) -> None:
    """A tick-box confirmation: its button is disabled (nothing can happen: the cancel) until the
    box naming what it will do is ticked; ticked, the button does it."""
    [waiting] = buttons_starting(browser, label)
    assert not waiting.is_enabled()
    tick(browser, page, tick_label)
    assert buttons_starting(browser, label)[0].is_enabled()
    shoot(browser, shots, page, label)
    centred(browser, f'//button[.//p[starts-with(text(), "{label}")]]').click()
    wait_for_outcome(browser, page)
    check_page_showing(browser, page, failure)
