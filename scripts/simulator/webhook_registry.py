"""Webhook objects of one account and МойСклад's rules for creating and changing them."""

import uuid

from scripts.simulator import errors
from scripts.simulator.account import Account
from scripts.simulator.entities import ENTITY_TYPES
from scripts.simulator.errors import ApiError, bad_request
from scripts.simulator.hrefs import meta

ACTIONS = ("CREATE", "UPDATE", "DELETE", "PROCESSED")
DIFF_TYPES = ("NONE", "FIELDS")
MAX_URL_LENGTH = 255
EDITABLE = ("url", "action", "entityType", "diffType", "enabled", "method")
# Types a webhook may watch here: the simulated entities and a few more documents
# (md/dictionaries/_webhook.md); a nested one (a position) is code 30000.
WATCHABLE = set(ENTITY_TYPES) | {"demand", "supply", "move", "invoiceout", "paymentin"}
NESTED = {"customerorderposition", "demandposition", "purchaseorderposition", "attributemetadata"}


def _validate(account: Account, app_id: str, hook: dict, own_id: str | None) -> None:
    for name in ("url", "action", "entityType"):
        if not hook.get(name):
            raise bad_request(errors.MISSING_FIELD, f"Поле '{name}' не может быть пустым")
    if hook["entityType"] in NESTED or hook["entityType"] not in WATCHABLE:
        raise bad_request(errors.WEBHOOK_NESTED_TYPE, f"Тип '{hook['entityType']}' недоступен")
    if hook.get("method", "POST") != "POST":
        raise bad_request(errors.BAD_VALUE, "Поле 'method' допускает только POST")
    if "enabled" in hook and not isinstance(hook["enabled"], bool):
        raise bad_request(errors.BAD_VALUE, "Поле 'enabled' должно быть true или false")
    url = hook["url"]
    if len(url) > MAX_URL_LENGTH:
        raise bad_request(errors.WEBHOOK_URL_TOO_LONG, "Длина url превышает 255 символов")
    if not url.startswith(("http://", "https://")) or len(url.split("://", 1)[1]) < 1:
        raise bad_request(errors.WEBHOOK_BAD_URL, f"Некорректный url: '{url}'")
    if hook["action"] not in ACTIONS:
        raise bad_request(errors.WEBHOOK_UNKNOWN_ACTION, f"Неизвестное действие '{hook['action']}'")
    if hook["action"] == "PROCESSED":
        raise bad_request(errors.WEBHOOK_ACTION_NOT_SUPPORTED, "Действие не поддерживается")
    diff = hook.get("diffType")
    if diff is not None and (diff not in DIFF_TYPES or hook["action"] != "UPDATE"):
        raise bad_request(errors.WEBHOOK_DIFF_TYPE, "diffType допустим только для UPDATE")
    for other in account.webhooks.values():
        if other["id"] == own_id or other["_app"] != app_id:
            continue
        if (other["entityType"], other["action"]) == (hook["entityType"], hook["action"]):
            if other["url"] == url:
                raise bad_request(errors.WEBHOOK_DUPLICATE, "Такой вебхук уже существует")
            raise bad_request(errors.WEBHOOK_TOO_MANY, "Вебхук для этого типа и действия уже есть")


def create(account: Account, app_id: str, data: dict) -> dict:
    hook = {k: data[k] for k in EDITABLE if k in data}
    _validate(account, app_id, hook, None)
    hook_id = str(uuid.uuid4())
    webhook = {"meta": meta("webhook", hook_id), "id": hook_id, "accountId": account.id}
    webhook |= {"entityType": hook["entityType"], "url": hook["url"], "method": "POST"}
    webhook |= {"enabled": hook.get("enabled", True), "action": hook["action"]}
    if hook["action"] == "UPDATE":
        webhook["diffType"] = hook.get("diffType", "NONE")
    webhook["authorApplication"] = {"meta": meta("application", app_id)}
    webhook["_app"] = app_id
    account.webhooks[hook_id] = webhook
    return webhook


def find(account: Account, hook_id: str) -> dict:
    if hook_id not in account.webhooks:
        raise errors.not_found("webhook", hook_id)
    return account.webhooks[hook_id]


def update(account: Account, hook_id: str, data: dict) -> dict:
    webhook = find(account, hook_id)
    merged = {k: webhook[k] for k in EDITABLE if k in webhook}
    merged |= {k: data[k] for k in EDITABLE if k in data}
    if merged["action"] != "UPDATE" and "diffType" not in data:
        merged.pop("diffType", None)
    _validate(account, webhook["_app"], merged, hook_id)
    webhook.update(merged)
    if webhook["action"] == "UPDATE":
        webhook.setdefault("diffType", "NONE")
    return webhook


def delete(account: Account, hook_id: str) -> None:
    find(account, hook_id)
    del account.webhooks[hook_id]


def public(webhook: dict) -> dict:
    """The webhook as the API shows it (without the simulator's own bookkeeping)."""
    return {k: v for k, v in webhook.items() if not k.startswith("_")}


def item_error(error: ApiError) -> dict:
    return {"errors": [error.as_item()]}
