"""PUT merge rules (md/_general.md — Обновление значений дополнительных полей; Поддержка null;
md/dictionaries/_product.md — Изменить Товар): attributes merge by their definition and
salePrices by their price type, item by item; barcodes, packs, images and positions are replaced
whole; `null` clears a field; a value equal to the stored one changes nothing."""

from scripts.simulator.forms import object_id


def _attributes(old: list, new: list) -> tuple[list, list[str]]:
    by_id = {a["id"]: a for a in old}
    changed = []
    for attribute in new:
        attribute_id = attribute.get("id") or object_id(attribute)
        previous = by_id.get(attribute_id)
        if previous is None or previous.get("value") != attribute.get("value"):
            changed.append(attribute.get("name") or (previous or {}).get("name", attribute_id))
        by_id[attribute_id] = (previous or {}) | attribute
    return [a for a in by_id.values() if a.get("value") is not None], changed


def _price_key(price: dict) -> str | None:
    return object_id(price.get("priceType"))


def _prices(old: list, new: list) -> tuple[list, list[str]]:
    """Prices by price type; `updatedFields` names a custom price type by its name."""
    by_type = {_price_key(p): p for p in old}
    changed = []
    for price in new:
        key = _price_key(price)
        if by_type.get(key) != price:
            name = (price.get("priceType") or {}).get("name")
            changed.append(name or "salePrices")
        by_type[key] = price
    fields = ["salePrices"] + [n for n in changed if n != "salePrices"] if changed else []
    return list(by_type.values()), fields


def apply(entity: dict, changes: dict, read_only: set[str]) -> list[str]:
    """Change `entity` in place; returns the changed fields as `updatedFields` names them."""
    changed: list[str] = []
    for key, value in changes.items():
        if key in read_only:
            continue
        if key == "attributes" and isinstance(value, list):
            entity["attributes"], names = _attributes(entity.get("attributes", []), value)
            changed += names
        elif key == "salePrices" and isinstance(value, list):
            entity["salePrices"], names = _prices(entity.get("salePrices", []), value)
            changed += names
        elif value is None:
            if key in entity:
                del entity[key]
                changed.append(key)
        elif entity.get(key) != value:
            entity[key] = value
            changed.append(key)
    return changed
