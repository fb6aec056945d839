"""Incoming values → stored JSON: the seeds' shorthand and the API's reference forms.

Seeds may name references by id, attributes as a dict and prices by price-type name; the API
sends `{meta}` references (md/_general.md — Метаданные; Работа с дополнительными полями). Both end
as the full objects МойСклад answers with (a price keeps its price type's id, name, externalCode).
"""

from scripts.simulator.account import Account
from scripts.simulator.hrefs import ref, relativize, split_href

REFERENCE_FIELDS = {"productFolder": "productfolder", "product": "product"}
MONEY_FIELDS = ("buyPrice", "minPrice")


def kind(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def object_id(value) -> str | None:
    """The id a `{meta}` reference (or an object with `id`) points to."""
    if not isinstance(value, dict):
        return None
    href = (value.get("meta") or {}).get("href") if isinstance(value.get("meta"), dict) else None
    return split_href(href)[1] if isinstance(href, str) else value.get("id")


def _price_type(account: Account, value) -> dict | None:
    if isinstance(value, str):
        found = account.price_type(value)
    else:
        wanted = object_id(value)
        found = next((p for p in account.price_types if p["id"] == wanted), None)
        if found is None:
            return value
    return {k: found[k] for k in ("meta", "id", "name", "externalCode")}


def prices(account: Account, items: list) -> list:
    result = []
    for price in items:
        if not isinstance(price, dict):
            result.append(price)
            continue
        stored = {"value": price.get("value", 0), "currency": price.get("currency")}
        stored["currency"] = stored["currency"] or account.currency()
        stored["priceType"] = _price_type(account, price.get("priceType"))
        result.append(stored)
    return result


def _definition(account: Account, entity_type: str, attribute: dict) -> dict | None:
    wanted = object_id(attribute)
    return next((a for a in account.attributes_of(entity_type) if a["id"] == wanted), None)


def attributes(account: Account, entity_type: str, value) -> list:
    if isinstance(value, dict):
        value = [
            account.attribute(entity_type, name, kind(v)) | {"value": v}
            for name, v in value.items()
        ]
    result = []
    for attribute in value:
        found = (
            _definition(account, entity_type, attribute) if isinstance(attribute, dict) else None
        )
        if found is None:
            result.append(attribute)
            continue
        result.append(
            {k: found[k] for k in ("meta", "id", "name", "type")}
            | {"value": attribute.get("value")}
        )
    return result


def characteristics(account: Account, value) -> list:
    if isinstance(value, dict):
        value = [{"name": n, "value": v} for n, v in value.items()]
    result = []
    for item in value:
        if not isinstance(item, dict):
            result.append(item)
            continue
        wanted = object_id(item)
        found = next((c for c in account.characteristics.values() if c["id"] == wanted), None)
        if found is None and item.get("name") and not wanted:
            found = account.characteristic(item["name"])
        if found is None:
            result.append(item)
            continue
        result.append(
            {"meta": found["meta"], "id": found["id"], "name": found["name"]}
            | {"value": item.get("value")}
        )
    return result


def normalize(account: Account, entity_type: str, data: dict) -> dict:
    """A copy of `data` with every shorthand and reference form made the stored one."""
    data = relativize(data)
    for name, target in REFERENCE_FIELDS.items():
        if isinstance(data.get(name), str):
            data[name] = ref(target, data[name])
    if isinstance(data.get("attributes"), (dict, list)):
        data["attributes"] = attributes(account, entity_type, data["attributes"])
    if isinstance(data.get("characteristics"), (dict, list)):
        data["characteristics"] = characteristics(account, data["characteristics"])
    if isinstance(data.get("salePrices"), list):
        data["salePrices"] = prices(account, data["salePrices"])
    for name in MONEY_FIELDS:
        if isinstance(data.get(name), int) and not isinstance(data.get(name), bool):
            data[name] = {"value": data[name], "currency": account.currency()}
        elif isinstance(data.get(name), dict) and "currency" not in data[name]:
            data[name] = data[name] | {"currency": account.currency()}
    if isinstance(data.get("components"), list):
        data["components"] = [
            {"assortment": ref("product", c), "quantity": 1} if isinstance(c, str) else c
            for c in data["components"]
        ]
    return data
