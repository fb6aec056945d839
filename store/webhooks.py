"""The `webhooks` table: our mirror of what МойСклад has installed for each account."""

from datetime import UTC, datetime

from peewee import fn

from store.models import Account, Webhook

CHECK_OK = "ok"


def webhooks_of(account_id: str) -> list[Webhook]:
    return list(
        Webhook.select()
        .where(Webhook.account == account_id)
        .order_by(Webhook.entity_type, Webhook.action)
    )


def save_webhook(
    account_id: str,
    entity_type: str,
    action: str,
    moysklad_webhook_id: str | None,
    url: str,
    diff_type: str | None,
    enabled: bool,
    check_result: str,
) -> None:
    """Insert or update the row of (account, entity type, action) with МойСклад's state."""
    now = datetime.now(UTC)
    values = {
        Webhook.moysklad_webhook_id: moysklad_webhook_id,
        Webhook.url: url,
        Webhook.diff_type: diff_type,
        Webhook.enabled: enabled,
        Webhook.last_check_at: now,
        Webhook.last_check_result: check_result,
        Webhook.updated_at: now,
    }
    Webhook.insert(
        {
            Webhook.account: account_id,
            Webhook.entity_type: entity_type,
            Webhook.action: action,
            Webhook.created_at: now,
            **values,
        }
    ).on_conflict(
        conflict_target=[Webhook.account, Webhook.entity_type, Webhook.action], update=values
    ).execute()


def mark_check_result(account_id: str, entity_type: str, action: str, result: str) -> None:
    """Record a check's verdict on an existing row (check mode changes nothing else)."""
    now = datetime.now(UTC)
    Webhook.update(last_check_at=now, last_check_result=result, updated_at=now).where(
        (Webhook.account == account_id)
        & (Webhook.entity_type == entity_type)
        & (Webhook.action == action)
    ).execute()


def delete_webhook_rows(account_id: str, pairs: list[tuple[str, str]]) -> int:
    """Forget rows of (entity type, action) pairs that are no longer installed."""
    deleted = 0
    for entity_type, action in pairs:
        deleted += (
            Webhook.delete()
            .where(
                (Webhook.account == account_id)
                & (Webhook.entity_type == entity_type)
                & (Webhook.action == action)
            )
            .execute()
        )
    return deleted


def webhooks_with_problems() -> list[dict]:
    """Rows whose last check found them not ok, of active accounts with webhooks on."""
    query = (
        Webhook.select(
            Webhook.account.alias("account_id"),
            Webhook.entity_type,
            Webhook.action,
            Webhook.last_check_result,
            Webhook.last_check_at,
        )
        .join(Account)
        .where(
            (Webhook.last_check_result != CHECK_OK)
            & (Account.status == "active")
            & (Account.webhooks_enabled == True)  # noqa: E712 (peewee builds SQL from ==)
        )
        .order_by(Webhook.account, Webhook.entity_type, Webhook.action)
        .dicts()
    )
    return list(query)


def webhook_counts_by_account() -> dict[str, int]:
    query = Webhook.select(Webhook.account, fn.count(Webhook.id).alias("n")).group_by(
        Webhook.account
    )
    return {str(row.account_id): row.n for row in query}
