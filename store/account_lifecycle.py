"""Install and uninstall of an account through МойСклад's vendor API (the app's lifecycle)."""

from datetime import UTC, datetime

from store.crypto import encrypt_api_token, normalize_account_id
from store.models import Account


def install_account(
    account_id: str, app_id: str, api_token: str, name: str | None, secret: str
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


def uninstall_account(account_id: str) -> bool:
    """Mark the account uninstalled (nothing is deleted); False when we never knew it."""
    account_id = normalize_account_id(account_id)
    return bool(
        Account.update(status="uninstalled", updated_at=datetime.now(UTC))
        .where(Account.id == account_id)
        .execute()
    )
