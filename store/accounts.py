"""Accounts, their main/child links and sync settings."""

from datetime import UTC, datetime

from peewee import JOIN

from store.crypto import (
    Secrets,
    TokenError,
    decrypt_api_token,
    encrypt_api_token,
    normalize_account_id,
    reencrypt_api_token,
)
from store.db import database
from store.models import Account, ChildAccount, SyncSettings

ACCOUNT_TYPES = ("main", "child")
TOKEN_KINDS = ("app", "draft", "user")  # how a token was obtained: its rate-limit weight


class AccountError(ValueError):
    """An account operation that cannot be done as asked (the message says why)."""


def add_account(
    account_id: str,
    name: str,
    api_token: str,
    account_type: str | None,
    secret: Secrets,
    token_kind: str = "user",
) -> Account:
    """Create or update an account (token encrypted). An existing account keeps its type unless
    one is given, and a new type goes through set_account_type's rules (links inactive)."""
    account_id = normalize_account_id(account_id)
    if account_type not in (None, *ACCOUNT_TYPES):
        raise AccountError(f"type must be one of {ACCOUNT_TYPES}, got {account_type!r}")
    if token_kind not in TOKEN_KINDS:
        raise AccountError(f"token kind must be one of {TOKEN_KINDS}, got {token_kind!r}")
    now = datetime.now(UTC)
    encrypted = encrypt_api_token(api_token, secret)
    with database.atomic():
        existing = get_account(account_id)
        Account.insert(
            id=account_id,
            name=name,
            api_token_encrypted=encrypted,
            account_type=account_type,
            token_kind=token_kind,
            status="active",
            created_at=now,
            updated_at=now,
        ).on_conflict(
            conflict_target=[Account.id],
            update={
                Account.name: name,
                Account.api_token_encrypted: encrypted,
                Account.token_kind: token_kind,
                Account.status: "active",
                Account.updated_at: now,
            },
        ).execute()
        if existing is not None and account_type and existing.account_type != account_type:
            set_account_type(account_id, account_type)
        elif account_type == "child":
            ensure_sync_settings(account_id)
    return Account.get_by_id(account_id)


def ensure_sync_settings(child_id: str) -> None:
    SyncSettings.insert(child_account=child_id, updated_at=datetime.now(UTC)).on_conflict(
        conflict_target=[SyncSettings.child_account], action="NOTHING"
    ).execute()


def get_account(account_id: str) -> Account | None:
    try:
        return Account.get_or_none(Account.id == normalize_account_id(account_id))
    except ValueError:
        return None


def api_token(account: Account, secret: Secrets) -> str:
    return decrypt_api_token(account.api_token_encrypted, secret)


def link_child(parent_id: str, child_id: str) -> ChildAccount:
    """Make child_id a child of parent_id (active); a child has at most one parent."""
    parent, child = get_account(parent_id), get_account(child_id)
    if parent is None or child is None:
        raise AccountError(f"unknown account: {parent_id if parent is None else child_id}")
    if parent.account_type != "main":
        raise AccountError(f"{parent.id} is not a main account (type: {parent.account_type})")
    if child.account_type != "child":
        raise AccountError(f"{child.id} is not a child account (type: {child.account_type})")
    with database.atomic():
        ChildAccount.insert(
            parent=parent.id, child=child.id, created_at=datetime.now(UTC)
        ).on_conflict(
            conflict_target=[ChildAccount.child],
            update={
                ChildAccount.parent: parent.id,
                ChildAccount.status: "active",
                ChildAccount.inactive_reason: None,
                ChildAccount.inactive_since: None,
            },
        ).execute()
        ensure_sync_settings(child.id)
    return ChildAccount.get(ChildAccount.child == child.id)


def set_account_type(account_id: str, account_type: str) -> int:
    """Change the type; every link the account is part of goes inactive. Returns links changed."""
    account = get_account(account_id)
    if account is None:
        raise AccountError(f"unknown account: {account_id}")
    if account_type not in ACCOUNT_TYPES:
        raise AccountError(f"type must be one of {ACCOUNT_TYPES}, got {account_type!r}")
    now = datetime.now(UTC)
    reason = f"account {account.id} changed type from {account.account_type} to {account_type}"
    with database.atomic():
        Account.update(account_type=account_type, updated_at=now).where(
            Account.id == account.id
        ).execute()
        if account_type == "child":
            ensure_sync_settings(account.id)
        if account.account_type == account_type:
            return 0
        return (
            ChildAccount.update(status="inactive", inactive_reason=reason, inactive_since=now)
            .where(
                ((ChildAccount.parent == account.id) | (ChildAccount.child == account.id))
                & (ChildAccount.status == "active")
            )
            .execute()
        )


def active_links(account_id: str) -> int:
    """How many active child links the account is part of (what a type change would end)."""
    account_id = normalize_account_id(account_id)
    return (
        ChildAccount.select()
        .where(
            ((ChildAccount.parent == account_id) | (ChildAccount.child == account_id))
            & (ChildAccount.status == "active")
        )
        .count()
    )


def list_accounts() -> list[dict]:
    """Every account with its parent (for children) and link status, ordered by name."""
    parent = Account.alias()
    query = (
        Account.select(
            Account, ChildAccount.status.alias("link_status"), parent.name.alias("parent_name")
        )
        .join(ChildAccount, JOIN.LEFT_OUTER, on=(ChildAccount.child == Account.id))
        .join(parent, JOIN.LEFT_OUTER, on=(ChildAccount.parent == parent.id))
        .order_by(Account.name)
        .dicts()
    )
    return list(query)


def reencrypt_api_tokens(secrets: Secrets, dry_run: bool = False) -> tuple[int, list[str]]:
    """Re-encrypt every stored API token with the current secret (any listed one decrypts).

    Returns (tokens re-encrypted, ids of accounts whose token no secret decrypts — left as is).
    """
    done, unreadable = 0, []
    with database.atomic():
        for account in Account.select(Account.id, Account.api_token_encrypted).for_update():
            try:
                rotated = reencrypt_api_token(account.api_token_encrypted, secrets)
            except TokenError:
                unreadable.append(str(account.id))
                continue
            if not dry_run:
                Account.update(api_token_encrypted=rotated).where(
                    Account.id == account.id
                ).execute()
            done += 1
    return done, unreadable
