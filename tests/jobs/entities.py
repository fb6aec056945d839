"""Entity JSON shaped like МойСклад's (MOYSKLAD.md §6), for the pure filter tests."""

from typing import Any

API = "https://api.moysklad.ru/api/remap/1.2"
PRODUCT_ID = "75c896d0-db16-11eb-c0a8-800d00000002"
ENTITY_ID = "0b5e6b1a-2c4d-11ec-0a80-07a600000042"


def link(entity_type: str, entity_id: str, **fields: Any) -> dict:
    """A link to an entity (only `meta`), optionally expanded with more fields."""
    meta = {"href": f"{API}/entity/{entity_type}/{entity_id}", "type": entity_type}
    return {"meta": meta} | fields


def attribute(kind: str, value: Any, name: str = "Бренд", attribute_id: str = "attr-1") -> dict:
    """A custom attribute as МойСклад sends it inside `attributes`."""
    meta = {"href": f"{API}/entity/product/metadata/attributes/{attribute_id}"}
    return {"meta": meta, "id": attribute_id, "name": name, "type": kind, "value": value}


def product(*attributes: dict, entity_type: str = "product", **fields: Any) -> dict:
    """A product (or service, bundle...) with the given attributes and fields."""
    entity = link(entity_type, PRODUCT_ID, **({"id": PRODUCT_ID, "name": "Футболка"} | fields))
    if attributes:
        entity["attributes"] = list(attributes)
    return entity


def in_folder(folder_id: str | None, **fields: Any) -> dict:
    """A product whose `productFolder` links to `folder_id` (None: at the root)."""
    extra = {"productFolder": link("productfolder", folder_id)} if folder_id else {}
    return product(**extra, **fields)


def custom_entity(name: str, entity_id: str = ENTITY_ID) -> dict:
    """A custom entity value (справочник) of an attribute: `meta` and `name`."""
    return link("customentity/5f2d0d1c-0000-0000-0000-000000000001", entity_id, name=name)


def only(condition: dict, mode: str = "whitelist") -> dict:
    """A filter with one condition."""
    return {"mode": mode, "match": "all", "conditions": [condition]}


def on_attribute(op: str, operand: Any = None, key: str = "Бренд") -> dict:
    """An attribute condition; `operand` goes to `values` for in/not_in, else to `value`."""
    condition = {"field": "attribute", "attribute": key, "op": op}
    if op in ("in", "not_in"):
        condition["values"] = operand
    elif op not in ("is_null", "is_not_null"):
        condition["value"] = operand
    return condition
