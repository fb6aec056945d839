"""UPDATE strategy per child settings (the table, also through stored settings and processing),
and widening when two pending tasks coalesce."""

import itertools
from types import SimpleNamespace

import pytest

from jobs.processing.fields import classify_fields
from jobs.processing.strategies import Strategy, as_strategy, choose_strategy, widen
from jobs.processing.webhook import process_webhook
from store.mappings import add_mapping
from store.models import SyncSettings
from store.tasks import list_tasks
from tests.jobs.processing_helpers import (
    assert_loop_guard,
    deliver,
    event,
    new_id,
    set_child_settings,
    simulated_franchise,
)

PRICE_TYPES = frozenset({"Франшиза Москва", "Опт"})
ATTRIBUTES = frozenset({"Бренд", "Сезон", "Опт"})
AN_ID = "3f0c2a8e-5b1d-11ee-0a80-0d2f00000001"
OFF = {"sync_prices": False}
PRICE_MAPPED_OPT = {"price_mappings": [{"main_price_type": "Опт", "child_price_type": "Опт"}]}
SEASON = {"main_attribute": "Сезон", "child_attribute": "Сезон"}
ATTRIBUTE_MAPPED_SEASON = {"attribute_mappings": [SEASON]}
S, P, A, B, M, F = (
    Strategy.SKIP,
    Strategy.PRICES_ONLY,
    Strategy.ATTRIBUTES_ONLY,
    Strategy.BASE_ONLY,
    Strategy.MIXED_SIMPLE,
    Strategy.FULL_SYNC,
)

CHOICES = [
    (None, {}, F),
    ([], {}, F),
    (["productFolder"], {}, F),
    (["name", "uom"], {}, F),
    (["salePrices", "images"], OFF, F),
    (["owner", "characteristics"], OFF | ATTRIBUTE_MAPPED_SEASON, F),
    (["name"], {}, B),
    (["name", "code", "barcodes", "archived"], OFF, B),
    (["salePrices"], {}, P),
    (["salePrices"], OFF, S),
    (["buyPrice", "minPrice"], PRICE_MAPPED_OPT, P),
    (["Франшиза Москва"], {}, P),
    (["Франшиза Москва"], OFF, S),
    (["Франшиза Москва"], {"price_mappings": [{"main_price_type": "франшиза москва"}]}, P),
    (["Франшиза Москва"], PRICE_MAPPED_OPT, S),
    (["Франшиза Москва"], {"price_mappings": [{"main_price_type": AN_ID}]}, P),
    (["Франшиза Москва"], {"price_mappings": [{"x": 1}, "junk", {"main_price_type": ""}]}, P),
    (["Франшиза Москва", "salePrices"], PRICE_MAPPED_OPT, P),
    (["Франшиза Москва"], OFF | {"price_mappings": [{"main_price_type": "Франшиза Москва"}]}, S),
    (["Бренд"], {}, A),
    (["attributes"], OFF, A),
    (["Бренд"], {"attribute_mappings": [{"main_attribute": " бренд"}]}, A),
    (["Бренд"], ATTRIBUTE_MAPPED_SEASON, S),
    (["Бренд", "Сезон"], ATTRIBUTE_MAPPED_SEASON, A),
    (["attributes"], ATTRIBUTE_MAPPED_SEASON, A),
    (["Новое поле"], ATTRIBUTE_MAPPED_SEASON, A),
    (["Бренд"], {"attribute_mappings": [{"main_attribute": AN_ID}]}, A),
    (["Опт"], OFF, A),
    (["Опт"], ATTRIBUTE_MAPPED_SEASON, P),
    (["Опт"], {}, M),
    (["Опт"], OFF | ATTRIBUTE_MAPPED_SEASON, S),
    (["owner", "group", "updated"], {}, S),
    (["name", "owner"], {}, B),
    (["name", "salePrices"], {}, M),
    (["name", "salePrices"], OFF, B),
    (["name", "Бренд"], ATTRIBUTE_MAPPED_SEASON, B),
    (["name", "Бренд"], {}, M),
    (["salePrices", "Бренд"], {}, M),
    (["salePrices", "Бренд"], OFF, A),
    (["name", "salePrices", "Бренд"], {}, M),
    (["name", "salePrices", "Бренд"], OFF | ATTRIBUTE_MAPPED_SEASON, B),
    (["salePrices"], {"sync_prices": None, "price_mappings": None}, P),
]


@pytest.mark.parametrize(("fields", "settings", "expected"), CHOICES)
def test_choose_strategy(fields, settings, expected):
    classes = classify_fields(fields, PRICE_TYPES, ATTRIBUTES)
    assert choose_strategy(classes, settings) is expected


def test_the_table_reaches_every_strategy():
    assert {expected for *_, expected in CHOICES} == set(Strategy)


@pytest.mark.parametrize(
    "settings",
    [
        SimpleNamespace(sync_prices=False, price_mappings=[], attribute_mappings=[]),
        SyncSettings(sync_prices=False, price_mappings=[], attribute_mappings=[]),
    ],
    ids=["object", "sync_settings-row"],
)
def test_settings_may_be_a_row(settings):
    classes = classify_fields(["salePrices", "Бренд"], PRICE_TYPES, ATTRIBUTES)
    assert choose_strategy(classes, settings) is A


def test_strategy_values_are_the_payload_strings():
    assert [strategy.value for strategy in Strategy] == [
        "skip",
        "prices_only",
        "attributes_only",
        "base_only",
        "mixed_simple",
        "full_sync",
    ]


# The complete table, one entry per unordered pair.
WIDEN = {
    (S, S): S, (S, P): P, (S, A): A, (S, B): B, (S, M): M, (S, F): F,
    (P, P): P, (P, A): M, (P, B): M, (P, M): M, (P, F): F,
    (A, A): A, (A, B): M, (A, M): M, (A, F): F,
    (B, B): B, (B, M): M, (B, F): F,
    (M, M): M, (M, F): F,
    (F, F): F,
}  # fmt: skip
PAIRS = list(itertools.product(Strategy, repeat=2))
# What each strategy re-sends; a widened strategy must re-send everything both did.
COVERS = {S: set(), P: {"prices"}, A: {"attributes"}, B: {"base"}}
COVERS |= {M: {"prices", "attributes", "base"}, F: {"prices", "attributes", "base", "references"}}


def test_widen_table_is_complete():
    assert {frozenset(pair) for pair in WIDEN} == {frozenset(pair) for pair in PAIRS}


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_widen(a, b):
    assert widen(a, b) is WIDEN.get((a, b), WIDEN.get((b, a)))


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_widen_is_commutative(a, b):
    assert widen(a, b) is widen(b, a)


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_widen_covers_both(a, b):
    assert COVERS[widen(a, b)] >= COVERS[a] | COVERS[b]


@pytest.mark.parametrize(("a", "b", "c"), list(itertools.product(Strategy, repeat=3)))
def test_widen_is_associative(a, b, c):
    assert widen(widen(a, b), c) is widen(a, widen(b, c))


@pytest.mark.parametrize("strategy", list(Strategy))
def test_skip_is_the_identity_and_full_sync_absorbs(strategy):
    assert widen(strategy, S) is widen(S, strategy) is strategy
    assert widen(strategy, strategy) is strategy
    assert widen(strategy, F) is F


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("prices_only", "attributes_only", M),
        ("skip", "base_only", B),
        (None, "skip", F),
        ("resync_everything", "prices_only", F),
    ],
)
def test_widen_reads_payload_strings_and_treats_unknown_as_full_sync(a, b, expected):
    assert widen(a, b) is expected


@pytest.mark.parametrize(("value", "expected"), [("mixed_simple", M), (M, M), (None, F), (3, F)])
def test_as_strategy(value, expected):
    assert as_strategy(value) is expected


# --- The same table through production: stored sync_settings → process_webhook → the task ---

STORABLE = [row for row in CHOICES if None not in row[1].values()]  # columns are NOT NULL
RESET = {"sync_prices": True, "price_mappings": [], "attribute_mappings": []}


@pytest.fixture
def franchise(settings, db, redis):
    with simulated_franchise(settings, redis, children=1) as franchise:
        main = franchise.sim.account(franchise.main)
        for name in PRICE_TYPES:
            main.add_price_type(name)
        for name in ATTRIBUTES:
            main.attribute("product", name, "string")
        yield franchise
    assert_loop_guard(franchise)


def _strategy_chosen(franchise, fields, values) -> Strategy:
    """Store the child's settings, deliver one UPDATE of a mapped product, read what was written."""
    (child,) = franchise.children
    set_child_settings(child, **(RESET | values))
    product = new_id()
    add_mapping(child, "product", product, new_id())
    process_webhook(
        deliver(franchise.main, [event(franchise.main, "product", product, "UPDATE", fields)])
    )
    tasks = list_tasks(entity_type="product")
    mine = [t for t in tasks if t.entity_id == product]
    return Strategy(mine[0].payload["strategy"]) if mine else Strategy.SKIP


def test_the_table_holds_through_stored_settings_and_processing(franchise):
    chosen = [
        (fields, values, _strategy_chosen(franchise, fields, values))
        for fields, values, _ in STORABLE
    ]
    assert chosen == [(fields, values, expected) for fields, values, expected in STORABLE]
    # Names are read from МойСклад once per account (then cached): one metadata GET in all.
    paths = [r.path for r in franchise.sim.requests]
    assert paths.count("/entity/product/metadata/attributes") == 1


def test_a_mapping_naming_its_main_attribute_by_id_narrows_updates_too(franchise):
    season = franchise.sim.account(franchise.main).attribute("product", "Сезон", "string")["id"]
    by_id = {"attribute_mappings": [{"main_attribute": season, "child_attribute": "Сезон"}]}
    assert _strategy_chosen(franchise, ["Бренд"], by_id) is S
    assert _strategy_chosen(franchise, ["Сезон"], by_id) is A
    assert _strategy_chosen(franchise, ["Новое поле"], by_id) is A  # unknown: always matters
