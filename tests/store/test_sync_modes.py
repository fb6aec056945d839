"""A child's sync mode: validated, switched, audited with the actor."""

import pytest

from store.accounts import AccountError
from store.audit import recent_actions
from store.sync_modes import get_sync_mode, set_sync_mode
from tests.store.sync_rows import KAZAN, MOSCOW, add_franchise


def test_switching_a_mode_changes_it_and_records_who_did_it(db):
    add_franchise()
    change = set_sync_mode(KAZAN, "live", "olga", "operator")
    assert (change.previous, change.mode, change.changed) == ("shadow", "live", True)
    assert get_sync_mode(KAZAN) == "live"
    (entry,) = recent_actions(target=f"sync:mode:{KAZAN}")
    assert (entry["actor"], entry["role"], entry["action"]) == ("olga", "operator", "set sync mode")
    assert entry["details"] == {"from": "shadow", "to": "live"}
    assert entry["result"] == "Казань: sync mode shadow → live"


def test_the_same_mode_again_changes_nothing_and_says_so(db):
    add_franchise()
    change = set_sync_mode(MOSCOW, "live", "cli", "cli")
    assert not change.changed and change.describe() == "Москва was already in live mode"


def test_an_unknown_mode_or_account_is_refused_with_what_is_valid(db):
    add_franchise()
    with pytest.raises(AccountError, match="sync mode must be one of off, shadow, live, got 'on'"):
        set_sync_mode(MOSCOW, "on", "olga", "operator")
    with pytest.raises(AccountError, match="unknown account"):
        set_sync_mode("9171a53c-b719-11eb-c0a8-800d00000999", "live", "olga", "operator")
    assert get_sync_mode(MOSCOW) == "live" and recent_actions() == []


def test_the_console_records_the_action_itself(db):
    add_franchise()
    set_sync_mode(MOSCOW, "off", "olga", "operator", audit=False)
    assert get_sync_mode(MOSCOW) == "off" and recent_actions() == []
