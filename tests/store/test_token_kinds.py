"""An account's token kind: how its token was obtained decides its rate-limit weight."""

import uuid

import pytest

from store.account_lifecycle import install_account
from store.accounts import AccountError, add_account, get_account


def test_a_token_given_by_hand_is_a_users_unless_told(db):
    """md/_restrictions.md — Лимит запросов за 3-секундный период (user tokens weigh 4)."""
    plain, draft = str(uuid.uuid4()), str(uuid.uuid4())
    add_account(plain, "A", "t1", None, "secret")
    add_account(draft, "B", "t2", None, "secret", token_kind="draft")
    assert get_account(plain).token_kind == "user"
    assert get_account(draft).token_kind == "draft"
    with pytest.raises(AccountError, match="token kind"):
        add_account(plain, "A", "t1", None, "secret", token_kind="admin")


def test_a_vendor_install_stores_an_apps_token(db):
    """MOYSKLAD.md §7: the vendor API hands the app its own token (weight 1)."""
    account_id = str(uuid.uuid4())
    add_account(account_id, "A", "t1", None, "secret")
    install_account(account_id, "app-1", "vendor-token", "A", "secret")
    assert get_account(account_id).token_kind == "app"
