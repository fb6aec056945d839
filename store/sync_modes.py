"""A child's sync mode — off (tasks wait), shadow (everything but the write: the request it would
send is recorded), live (written) — read, and switched with an audit entry naming who did it."""

from dataclasses import dataclass
from datetime import UTC, datetime

from store.accounts import AccountError, get_account
from store.audit import record_action
from store.db import database
from store.models import Account

SYNC_MODES = ("off", "shadow", "live")
ACTION = "set sync mode"


@dataclass(frozen=True)
class ModeChange:
    account_id: str
    name: str
    previous: str
    mode: str

    @property
    def changed(self) -> bool:
        return self.previous != self.mode

    def describe(self) -> str:
        if not self.changed:
            return f"{self.name} was already in {self.mode} mode"
        return f"{self.name}: sync mode {self.previous} → {self.mode}"


def audit_target(account_id) -> str:
    """The audit log's target of a mode switch (the Sync page lists targets starting "sync:")."""
    return f"sync:mode:{account_id}"


def get_sync_mode(account_id: str) -> str:
    return _existing(account_id).sync_mode


def set_sync_mode(
    account_id: str, mode: str, actor: str, role: str, audit: bool = True
) -> ModeChange:
    """Switch the account's sync mode; recorded in the audit log as `actor` unless the caller
    records the action itself (the console's action wrapper does). Raises AccountError for an
    unknown account or mode."""
    if mode not in SYNC_MODES:
        raise AccountError(f"sync mode must be one of {', '.join(SYNC_MODES)}, got {mode!r}")
    with database.atomic():
        account = _existing(account_id, for_update=True)
        change = ModeChange(str(account.id), account.name, account.sync_mode, mode)
        if change.changed:
            Account.update(sync_mode=mode, updated_at=datetime.now(UTC)).where(
                Account.id == account.id
            ).execute()
        if audit:
            details = {"from": change.previous, "to": mode}
            record_action(actor, role, ACTION, audit_target(account.id), details, change.describe())
    return change


def _existing(account_id: str, for_update: bool = False) -> Account:
    account = get_account(account_id)
    if account is None:
        raise AccountError(f"unknown account: {account_id}")
    if for_update:
        return Account.select().where(Account.id == account.id).for_update().get()
    return account
