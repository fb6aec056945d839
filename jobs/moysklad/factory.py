"""Building a client for an account from the job's context (settings, Redis, stored token)."""

from jobs.context import JobContext
from jobs.moysklad.client import MoySkladClient
from jobs.moysklad.errors import MoySkladAuthError
from store.accounts import api_token, get_account


def client_for_account(context: JobContext, account_id: str) -> MoySkladClient:
    """A client with the account's token, the configured API URL and our loop-guard prefix."""
    account = get_account(account_id)
    if account is None:
        raise MoySkladAuthError(401, None, f"no stored token for account {account_id}")
    settings = context.settings
    return MoySkladClient(
        api_token(account, settings.encryption_secrets),
        api_url=settings.moysklad_api_url,
        loop_guard_prefix=settings.loop_guard_prefix,
        redis=context.redis,
        token_kind=account.token_kind,
    )
