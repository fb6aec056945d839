"""Each account's own dictionaries: what МойСклад creates at registration, with per-account ids."""

import uuid

from scripts.simulator.hrefs import meta

# (name, code, isoCode) — the standard rouble, and (name, code) for units and countries.
CURRENCIES = (("руб", "643", "RUB"), ("доллар США", "840", "USD"))
UOMS = (("шт", "796"), ("кг", "166"), ("л", "112"))
COUNTRIES = (("Россия", "643"), ("Китай", "156"), ("Италия", "380"))
PRICE_TYPES = ("Цена продажи", "Оптовая цена")
ORDER_STATES = (("Новый", "Regular"), ("Подтвержден", "Regular"), ("Отменен", "Unsuccessful"))
STATE_OWNERS = ("customerorder", "retaildemand", "purchaseorder")


def _own(entity_type: str, href: str | None = None) -> tuple[str, dict]:
    object_id = str(uuid.uuid4())
    own_meta = meta(entity_type, object_id)
    if href:
        own_meta = own_meta | {"href": href.format(id=object_id)}
    return object_id, own_meta


def currency(account_id: str, name: str, code: str, iso: str, default: bool) -> dict:
    object_id, own_meta = _own("currency")
    return {
        "meta": own_meta,
        "id": object_id,
        "system": default,
        "name": name,
        "fullName": name,
        "rate": 1.0,
        "multiplicity": 1,
        "indirect": False,
        "rateUpdateType": "manual",
        "code": code,
        "isoCode": iso,
        "majorUnit": {"gender": "masculine", "s1": name, "s2": name, "s5": name},
        "minorUnit": {"gender": "feminine", "s1": "коп.", "s2": "коп.", "s5": "коп."},
        "default": default,
        "archived": False,
    }


def uom(account_id: str, name: str, code: str) -> dict:
    return _coded("uom", account_id, name, code)


def country(account_id: str, name: str, code: str) -> dict:
    return _coded("country", account_id, name, code)


def _coded(kind: str, account_id: str, name: str, code: str) -> dict:
    """A shared dictionary entry matched across accounts by its code (uom, country)."""
    object_id, own_meta = _own(kind)
    return {
        "meta": own_meta,
        "id": object_id,
        "accountId": account_id,
        "shared": True,
        "updated": "2020-01-01 00:00:00.000",
        "name": name,
        "description": name,
        "code": code,
        "externalCode": code,
    }


def price_type(name: str) -> dict:
    object_id, own_meta = _own("pricetype", "/context/companysettings/pricetype/{id}")
    return {
        "meta": own_meta,
        "id": object_id,
        "name": name,
        "externalCode": uuid.uuid4().hex[:20],
    }


def attribute(owner_type: str, name: str, kind: str, required: bool = False) -> dict:
    object_id, own_meta = _own(
        "attributemetadata", f"/entity/{owner_type}/metadata/attributes/{{id}}"
    )
    return {
        "meta": own_meta,
        "id": object_id,
        "name": name,
        "type": kind,
        "required": required,
        "description": "",
    }


def characteristic(name: str) -> dict:
    object_id, own_meta = _own("attributemetadata", "/entity/variant/metadata/characteristics/{id}")
    return {"meta": own_meta, "id": object_id, "name": name, "type": "string", "required": False}


def state(account_id: str, owner_type: str, name: str, state_type: str) -> dict:
    object_id, own_meta = _own("state", f"/entity/{owner_type}/metadata/states/{{id}}")
    return {
        "meta": own_meta,
        "id": object_id,
        "accountId": account_id,
        "name": name,
        "color": 15106620,
        "stateType": state_type,
        "entityType": owner_type,
    }
