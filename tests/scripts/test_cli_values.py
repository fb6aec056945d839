"""Command-line values: relative and ISO times, accounts by id or name, refusals that list."""

import argparse
from datetime import UTC, datetime

import pytest

from scripts.cli_values import UnknownValue, account_id_of, moment

NOW = datetime(2026, 12, 3, 8, 30, tzinfo=UTC)
MAIN = "9171a53c-b719-11eb-c0a8-800d00000001"
CHILD = "9171a53c-b719-11eb-c0a8-800d00000002"
ACCOUNTS = {MAIN: "Main shop", CHILD: "Franchisee"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1h", datetime(2026, 12, 3, 7, 30, tzinfo=UTC)),
        ("2d", datetime(2026, 12, 1, 8, 30, tzinfo=UTC)),
        ("30m", datetime(2026, 12, 3, 8, 0, tzinfo=UTC)),
        ("1w", datetime(2026, 11, 26, 8, 30, tzinfo=UTC)),
        ("yesterday", datetime(2026, 12, 2, tzinfo=UTC)),
        ("today", datetime(2026, 12, 3, tzinfo=UTC)),
        ("2026-11-28T10:00", datetime(2026, 11, 28, 10, tzinfo=UTC)),
        ("2026-11-28T10:00+03:00", datetime(2026, 11, 28, 7, tzinfo=UTC)),
    ],
)
def test_times_are_iso_or_relative(text, expected):
    assert moment(text, NOW) == expected


def test_an_unreadable_time_says_what_is_accepted():
    with pytest.raises(argparse.ArgumentTypeError, match="relative: 30m, 1h, 2d"):
        moment("last tuesday", NOW)


def test_accounts_by_id_or_name_and_unknown_ones_listed():
    assert account_id_of(MAIN.upper(), ACCOUNTS) == MAIN
    assert account_id_of("main SHOP", ACCOUNTS) == MAIN
    with pytest.raises(UnknownValue, match=f"known: Franchisee \\({CHILD}\\); Main shop"):
        account_id_of("Mian shop", ACCOUNTS)
    twins = {MAIN: "Shop", CHILD: "shop"}
    with pytest.raises(UnknownValue, match="2 accounts are named 'shop': use the id"):
        account_id_of("shop", twins)
