"""Every page renders for an empty and a populated database; Overview shows the stats."""

import pytest

from tests.console.conftest import PAGES, assert_no_exception, open_page
from tests.console.seed import seed_console


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_an_empty_database(console, page):
    app = open_page(page)
    assert_no_exception(app)
    assert app.title[0].value == page.capitalize()


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_a_populated_database(console, page):
    seed_console()
    app = open_page(page)
    assert_no_exception(app)
    assert not app.error, [e.value for e in app.error]


def test_overview_tiles_add_up_the_hourly_stats(console):
    seed_console(hours=6)
    app = open_page("overview")
    tiles = {m.label: m.value for m in app.metric}
    assert tiles["Deliveries, 24 h"] == "1,200"
    assert tiles["Failure rate, 24 h"] == "5.0 %"
    assert tiles["Receive p95"] == "5 ms"
    assert tiles["Processing p95"] == "80 ms"
    assert tiles["Queue depth"] == "1"  # the one log still `received`
    assert tiles["Open alerts"] == "1"
    assert len(app.get("plotly_chart")) == 5


def test_overview_without_traffic_says_so(console):
    app = open_page("overview")
    assert [i.value for i in app.info] == ["No deliveries in the last 24 hours yet."]
    assert app.metric[0].value == "0"
