"""Every reference a write carries must be this account's (MOYSKLAD ids are per account).

md/_general.md — Метаданные (a reference is `{meta}`); Работа с дополнительными полями (an
attribute names its own account's attributemetadata, else 14003); md/dictionaries/_product.md —
uom, country, supplier, salePrices.priceType, productFolder; md/documents/_customerOrder.md —
organization, agent, store, state, positions[].assortment. A reference this account does not hold
answers 400 with code 1008 (the object could not be loaded).
"""

from scripts.simulator.account import Account
from scripts.simulator.errors import ApiError, bad_request
from scripts.simulator.forms import object_id
from scripts.simulator.hrefs import split_href

UNLOADABLE = 1008
ATTRIBUTE_MISSING = 14003
WRONG_TYPE = 2027
GOODS = ("product", "service", "variant", "bundle")

SINGLE = {
    "productFolder": ("productfolder",),
    "uom": ("uom",),
    "country": ("country",),
    "supplier": ("counterparty",),
    "agent": ("counterparty", "organization"),
    "organization": ("organization",),
    "store": ("store",),
    "product": ("product",),
    "parent": ("store",),
    "state": ("state",),
    "priceType": ("pricetype",),
}
MONEY = ("buyPrice", "minPrice")


def missing(kind: str, value) -> ApiError:
    return bad_request(
        UNLOADABLE, f"Не удалось загрузить объект '{kind}' с id '{object_id(value)}'"
    )


def _check(account: Account, field: str, value, kinds: tuple[str, ...]) -> None:
    if value is None:
        return
    href = ((value.get("meta") or {}) if isinstance(value, dict) else {}).get("href")
    if not isinstance(href, str):
        raise bad_request(2010, f"Поле '{field}': ожидалась ссылка {{meta}} с href")
    kind = (value["meta"].get("type") or split_href(href)[0]).lower()
    if kind not in kinds:
        raise bad_request(WRONG_TYPE, f"Поле '{field}': тип '{kind}' вместо {', '.join(kinds)}")
    if not account.holds(kind, object_id(value)):
        raise missing(kind, value)


def _items(data: dict, name: str) -> list:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(i, dict) for i in value):
        raise bad_request(3012, f"Поле '{name}' должно быть массивом объектов")
    return value


def check(account: Account, entity_type: str, data: dict) -> None:
    """Raise the error МойСклад answers for the first reference that is not this account's."""
    for field, kinds in SINGLE.items():
        if field in data and not (field == "priceType" and entity_type != "counterparty"):
            _check(account, field, data[field], kinds)
    for name in MONEY:
        if isinstance(data.get(name), dict):
            _check(account, f"{name}.currency", data[name].get("currency"), ("currency",))
    for price in _items(data, "salePrices"):
        _check(account, "salePrices.priceType", price.get("priceType"), ("pricetype",))
        _check(account, "salePrices.currency", price.get("currency"), ("currency",))
    owned = {a["id"] for a in account.attributes_of(entity_type)}
    for attribute in _items(data, "attributes"):
        if object_id(attribute) not in owned:
            raise bad_request(
                ATTRIBUTE_MISSING, f"Доп. поле '{object_id(attribute)}' не найдено в этом аккаунте"
            )
    characteristic_ids = {c["id"] for c in account.characteristics.values()}
    for item in _items(data, "characteristics"):
        if object_id(item) not in characteristic_ids:
            raise bad_request(10001, f"Характеристика '{object_id(item)}' не найдена")
    for position in _items(data, "positions") + _items(data, "components"):
        _check(account, "assortment", position.get("assortment"), GOODS)
