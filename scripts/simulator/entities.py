"""Entity JSON like МойСклад's: defaults, seeding shorthand, updates naming changed fields."""

import uuid

from scripts.simulator import fields, forms, merge, shapes
from scripts.simulator.account import Account
from scripts.simulator.hrefs import meta, split_href, stamp

CATALOG_TYPES = ("product", "variant", "service", "bundle", "productfolder")
ORDER_TYPES = ("customerorder", "retaildemand", "purchaseorder")
PARTY_TYPES = ("counterparty", "organization", "store")
ENTITY_TYPES = CATALOG_TYPES + ORDER_TYPES + PARTY_TYPES
FOLDERED = ("product", "service", "bundle", "productfolder")  # store: its parent's path
KEPT = {"pathName", "tags", "files"}  # answered even when empty (files: as on create)
VAT_FIELDS = ("vat", "vatEnabled", "useParentVat")


def _path_name(account: Account, folder: dict | None) -> str:
    """Names of the folders above, "/"-joined, "" at the root (_productFolder.md)."""
    names = []
    while folder:
        found = account.find("productfolder", split_href(folder["meta"]["href"])[1])
        if not found:
            break
        names.insert(0, found["name"])
        folder = found.get("productFolder")
    return "/".join(names)


def _defaults(account: Account, entity_type: str, entity: dict) -> None:
    number = account.next_number()
    if entity_type in ORDER_TYPES:
        entity.setdefault("name", f"{number:05d}")
        entity.setdefault("moment", stamp())
        entity.setdefault("applicable", True)
        entity["positions"] = [_position(account, p) for p in entity.get("positions", [])]
        for key, value in shapes.document(account, entity_type, entity).items():
            entity.setdefault(key, value)
        return
    entity.setdefault("name", _variant_name(account, entity) or f"{entity_type} {number}")
    if entity_type in fields.ASSORTMENT and account.fill_unique_code:
        entity.setdefault("code", f"{number:05d}")
    for key, value in shapes.defaults(account, entity_type, entity).items():
        entity.setdefault(key, value)


def _position(account: Account, position: dict) -> dict:
    position_id = position.get("id") or str(uuid.uuid4())
    stored = {"meta": meta("customerorderposition", position_id), "id": position_id}
    stored |= {"accountId": account.id, "quantity": 1, "price": 0.0, "discount": 0, "vat": 0}
    stored |= {k: v for k, v in position.items() if k not in ("meta", "id", "accountId")}
    return stored


def _variant_name(account: Account, entity: dict) -> str | None:
    """МойСклад names a variant after its product and characteristics: "Футболка (L, красный)"."""
    if "product" not in entity:
        return None
    parent = account.find("product", split_href(entity["product"]["meta"]["href"])[1])
    chars = ", ".join(str(c["value"]) for c in entity.get("characteristics", []))
    return f"{parent['name']} ({chars})" if parent else None


def _prune(entity: dict) -> dict:
    """МойСклад omits empty fields rather than sending nulls (a root folder's pathName is "")."""
    return {k: v for k, v in entity.items() if k in KEPT or (v is not None and v != [] and v != "")}


def build(account: Account, entity_type: str, data: dict) -> dict:
    """A new stored entity (relative hrefs) from seed or API data."""
    entity_id = data.get("id") or str(uuid.uuid4())
    entity = {"meta": meta(entity_type, entity_id), "id": entity_id, "accountId": account.id}
    read_only = fields.read_only(entity_type)
    normalized = forms.normalize(account, entity_type, data)
    entity |= {k: v for k, v in normalized.items() if k not in read_only and v is not None}
    entity = _prune(entity)
    entity.setdefault("externalCode", uuid.uuid4().hex[:20])
    entity["updated"] = stamp()
    _defaults(account, entity_type, entity)
    if entity_type in FOLDERED:
        entity["pathName"] = _path_name(account, entity.get("productFolder"))
    if entity_type == "store":
        entity.setdefault("pathName", "")
    return entity


def apply_update(account: Account, entity_type: str, entity: dict, data: dict) -> list[str]:
    """Change `entity` in place; returns the changed fields as updatedFields would name them."""
    changes = forms.normalize(account, entity_type, data)
    if entity_type in ORDER_TYPES and isinstance(changes.get("positions"), list):
        changes["positions"] = [_position(account, p) for p in changes["positions"]]
    changed = merge.apply(entity, changes, fields.read_only(entity_type))
    if "productFolder" in changed and entity_type in FOLDERED:
        entity["pathName"] = _path_name(account, entity.get("productFolder"))
        changed.append("pathName")
    if set(VAT_FIELDS) & set(changed) and "effectiveVat" in entity:
        # effectiveVat(Enabled) are read-only and follow the entity's own VAT
        # (md/dictionaries/_product.md — effectiveVat, effectiveVatEnabled).
        entity["effectiveVat"] = entity.get("vat", 0)
        entity["effectiveVatEnabled"] = entity.get("vatEnabled", False)
    if entity_type in ORDER_TYPES and "positions" in changed:
        entity["sum"] = shapes.document(account, entity_type, entity)["sum"]
    if changed:
        entity["updated"] = stamp()
    for key in [k for k, v in entity.items() if k not in KEPT and v in (None, [], "")]:
        del entity[key]
    return changed
