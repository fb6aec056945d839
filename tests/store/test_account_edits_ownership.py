"""Ownership settings (0014_d): edited like the other sync settings, read by the executor."""

import uuid

import pytest

from store.account_edits import get_sync_settings, update_sync_settings
from store.accounts import AccountError, add_account
from store.child_settings import DEFAULTS, child_sync_settings


@pytest.fixture
def child(db):
    child_id = str(uuid.uuid4())
    add_account(child_id, "Москва", "t", "child", "secret")
    return child_id


def test_ownership_lists_are_saved_trimmed_and_without_repeats(child):
    saved = update_sync_settings(
        child,
        {
            "owned_price_types": [" Розница ", "Розница", ""],
            "owned_attributes": ["Заметка"],
            "owned_fields": ["description", "minPrice"],
        },
    )
    assert saved["owned_price_types"] == ["Розница"]
    assert get_sync_settings(child)["owned_fields"] == ["description", "minPrice"]
    read = child_sync_settings(child)
    assert read["owned_attributes"] == ["Заметка"] and read["match_field"] == "code"


def test_ownership_refuses_what_is_not_a_list_of_names_or_not_a_synced_field(child):
    with pytest.raises(AccountError, match="owned_price_types must be a list of names"):
        update_sync_settings(child, {"owned_price_types": "Розница"})
    with pytest.raises(AccountError, match=r"not fields the sync copies: \['owner'\]"):
        update_sync_settings(child, {"owned_fields": ["description", "owner"]})
    assert get_sync_settings(child)["owned_fields"] == []


def test_a_child_without_a_settings_row_reads_the_defaults(db):
    assert child_sync_settings(str(uuid.uuid4())) == DEFAULTS
