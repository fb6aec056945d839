"""Entity JSON like МойСклад's: defaults, seeding shorthand, updates naming changed fields."""

import uuid

from scripts.simulator.account import Account
from scripts.simulator.hrefs import meta, ref, relativize, split_href, stamp

CATALOG_TYPES = ("product", "variant", "service", "bundle", "productfolder")
ORDER_TYPES = ("customerorder", "retaildemand", "purchaseorder")
ENTITY_TYPES = CATALOG_TYPES + ORDER_TYPES
REFERENCE_FIELDS = {"productFolder": "productfolder", "product": "product"}
READ_ONLY = {"meta", "id", "accountId", "updated", "pathName"}


def _kind(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def _prices(account: Account, prices: list) -> list:
    result = []
    for price in prices:
        price_type = price.get("priceType")
        if isinstance(price_type, str):
            found = account.price_type(price_type)
            price_type = {k: found[k] for k in ("meta", "id", "name", "externalCode")}
        result.append(
            {"value": price["value"], "currency": account.currency()} | {"priceType": price_type}
        )
    return result


def _shorthand(account: Account, entity_type: str, data: dict) -> dict:
    """Seed-friendly forms (ids as strings, attributes as a dict, prices by name) → real JSON."""
    data = relativize(data)
    for name, target in REFERENCE_FIELDS.items():
        if isinstance(data.get(name), str):
            data[name] = ref(target, data[name])
    if isinstance(data.get("attributes"), dict):
        data["attributes"] = [
            account.attribute(entity_type, name, _kind(value)) | {"value": value}
            for name, value in data["attributes"].items()
        ]
    if isinstance(data.get("characteristics"), dict):
        data["characteristics"] = [
            {"id": account.attribute("variant", n, "string")["id"], "name": n, "value": v}
            for n, v in data["characteristics"].items()
        ]
    if isinstance(data.get("salePrices"), list):
        data["salePrices"] = _prices(account, data["salePrices"])
    if isinstance(data.get("buyPrice"), int):
        data["buyPrice"] = {"value": data["buyPrice"], "currency": account.currency()}
    if isinstance(data.get("components"), list):
        data["components"] = [
            {"assortment": ref("product", c), "quantity": 1} if isinstance(c, str) else c
            for c in data["components"]
        ]
    return data


def _path_name(account: Account, folder: dict | None) -> str | None:
    names = []
    while folder:
        found = account.find("productfolder", split_href(folder["meta"]["href"])[1])
        if not found:
            break
        names.insert(0, found["name"])
        folder = found.get("productFolder")
    return "/".join(names) or None


def _defaults(account: Account, entity_type: str, entity: dict) -> None:
    number = account.next_number()
    if entity_type in ORDER_TYPES:
        entity.setdefault("name", f"{number:05d}")
        entity.setdefault("moment", stamp())
        entity.setdefault("applicable", True)
        entity.setdefault("sum", 0)
    else:
        entity.setdefault("name", _variant_name(account, entity) or f"{entity_type} {number}")
        entity.setdefault("archived", False)
        entity.setdefault("shared", False)
        if entity_type in ("product", "service", "bundle"):
            entity.setdefault("code", f"{number:05d}")


def _variant_name(account: Account, entity: dict) -> str | None:
    """МойСклад names a variant after its product and characteristics: "Футболка (L, красный)"."""
    if "product" not in entity:
        return None
    parent = account.find("product", split_href(entity["product"]["meta"]["href"])[1])
    chars = ", ".join(str(c["value"]) for c in entity.get("characteristics", []))
    return f"{parent['name']} ({chars})" if parent else None


def _prune(entity: dict) -> dict:
    """МойСклад omits empty fields rather than sending nulls."""
    return {k: v for k, v in entity.items() if v is not None and v != [] and v != ""}


def build(account: Account, entity_type: str, data: dict) -> dict:
    """A new stored entity (relative hrefs) from seed or API data."""
    entity_id = data.get("id") or str(uuid.uuid4())
    entity = {"meta": meta(entity_type, entity_id), "id": entity_id, "accountId": account.id}
    entity |= {
        k: v for k, v in _shorthand(account, entity_type, data).items() if k not in READ_ONLY
    }
    entity.setdefault("externalCode", uuid.uuid4().hex[:20])
    entity["updated"] = stamp()
    _defaults(account, entity_type, entity)
    if entity_type in ("product", "service", "bundle", "productfolder"):
        entity["pathName"] = _path_name(account, entity.get("productFolder"))
    return _prune(entity)


def _merge_attributes(old: list, new: list) -> tuple[list, list[str]]:
    by_id = {a["id"]: a for a in old}
    changed = []
    for attribute in new:
        previous = by_id.get(attribute["id"])
        if previous is None or previous.get("value") != attribute.get("value"):
            changed.append(attribute.get("name") or (previous or {}).get("name", attribute["id"]))
        by_id[attribute["id"]] = (previous or {}) | attribute
    return [a for a in by_id.values() if a.get("value") is not None], changed


def apply_update(account: Account, entity_type: str, entity: dict, data: dict) -> list[str]:
    """Change `entity` in place; returns the changed fields as updatedFields would name them."""
    changes = _shorthand(account, entity_type, data)
    changed = []
    for key, value in changes.items():
        if key in READ_ONLY:
            continue
        if key == "attributes":
            entity["attributes"], names = _merge_attributes(entity.get("attributes", []), value)
            changed += names
        elif entity.get(key) != value:
            entity[key] = value
            changed.append(key)
    if "productFolder" in changed and entity_type != "variant":
        entity["pathName"] = _path_name(account, entity.get("productFolder"))
        changed.append("pathName")
    if changed:
        entity["updated"] = stamp()
    for key in [k for k, v in entity.items() if v is None or v == [] or v == ""]:
        del entity[key]
    return changed
