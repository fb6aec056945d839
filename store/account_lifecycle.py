"""An account's app lifecycle through МойСклад's vendor API: install, refresh, deactivate."""

from datetime import UTC, datetime

from store.crypto import Secrets, encrypt_api_token, normalize_account_id
from store.models import Account

DEACTIVATED_STATUSES = ("suspended", "uninstalled")  # the hourly check leaves these alone


def install_account(
    account_id: str, app_id: str, api_token: str, name: str | None, secret: Secrets
) -> Account:
    """Store (or refresh) an installed account: token encrypted, status active; type untouched."""
    account_id = normalize_account_id(account_id)
    now = datetime.now(UTC)
    encrypted = encrypt_api_token(api_token, secret)
    update = {
        Account.api_token_encrypted: encrypted,
        Account.app_id: app_id,
        Account.token_kind: "app",  # the vendor API hands out the app's own token
        Account.status: "active",
        Account.updated_at: now,
    }
    if name:
        update[Account.name] = name
    Account.insert(
        id=account_id,
        name=name or account_id,
        api_token_encrypted=encrypted,
        app_id=app_id,
        token_kind="app",
        status="active",
        created_at=now,
        updated_at=now,
    ).on_conflict(conflict_target=[Account.id], update=update).execute()
    return Account.get_by_id(account_id)


def refresh_account(account_id: str, name: str | None) -> Account | None:
    """A tokenless activation (TariffChanged, Autoprolongation): the token and status are kept."""
    account_id = normalize_account_id(account_id)
    if name:
        Account.update(name=name, updated_at=datetime.now(UTC)).where(
            Account.id == account_id
        ).execute()
    return Account.get_or_none(Account.id == account_id)


def deactivate_account(account_id: str, status: str) -> bool:
    """Mark the account suspended or uninstalled (nothing is deleted); False when never known."""
    if status not in DEACTIVATED_STATUSES:
        raise ValueError(f"status must be one of {DEACTIVATED_STATUSES}, got {status!r}")
    account_id = normalize_account_id(account_id)
    return bool(
        Account.update(status=status, updated_at=datetime.now(UTC))
        .where(Account.id == account_id)
        .execute()
    )
