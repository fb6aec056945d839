"""Field-by-field comparisons for the Sync page: a recorded request against the child's entity
now (would it change anything?), and one entity across the main account and its children."""

import json

# What МойСклад answers about an entity that no sync writes: not worth a row of the comparison.
HOUSEKEEPING = {"meta", "id", "accountId", "updated", "owner", "group", "shared", "files",
                "images", "syncId", "variantsCount", "pathName"}  # fmt: skip
REFERENCE_KEYS = {"meta", "id", "name", "externalCode", "code"}


def identity(value) -> str | None:
    """What a reference points at: its href without the query, or None for a plain value."""
    if isinstance(value, dict) and isinstance(value.get("meta"), dict):
        return str(value["meta"].get("href", "")).split("?")[0] or None
    return None


def _item_key(item) -> str | None:
    """How items of a list are paired: an attribute by its metadata, a price by its type."""
    if not isinstance(item, dict):
        return None
    return identity(item) or identity(item.get("priceType"))


def contained(sent, current) -> bool:
    """Whether writing `sent` would leave `current` as it is (what МойСклад keeps of a partial
    write: fields and list items not sent stay)."""
    if identity(sent) is not None:
        if identity(sent) != identity(current):
            return False
        sent = {k: v for k, v in sent.items() if k not in REFERENCE_KEYS}
    if isinstance(sent, dict):
        if not isinstance(current, dict):
            return not sent
        return all(contained(value, current.get(key)) for key, value in sent.items())
    if isinstance(sent, list):
        if not isinstance(current, list):
            return not sent
        if sent and all(_item_key(item) for item in sent):
            by_key = {_item_key(item): item for item in current}
            return all(contained(item, by_key.get(_item_key(item))) for item in sent)
        return len(sent) == len(current) and all(map(contained, sent, current))
    if isinstance(sent, int | float) and isinstance(current, int | float):
        return abs(sent - current) < 1e-9
    return sent == current


def request_diff(request: dict, current: dict | None) -> list[dict]:
    """One row per field the request sends: the child's value now, the value it would send, and
    whether it would change. `current` None: the entity would be created."""
    rows = []
    for field in sorted(request):
        if field in ("meta", "syncId"):
            continue
        now = None if current is None else current.get(field)
        rows.append(
            {
                "field": field,
                "child now": "—" if current is None or field not in current else shown(now),
                "would send": shown(request[field]),
                "changes": current is None or not contained(request[field], now),
            }
        )
    return rows


def simplified(value, by_name: bool = False):
    """A value with references reduced to what tells them apart: their name when `by_name` (an
    id means nothing across accounts), else type and id."""
    if identity(value) is not None and set(value) <= REFERENCE_KEYS:
        if by_name:
            return value.get("name") or value["meta"].get("type", "reference")
        return f"{value['meta'].get('type', '')}/{identity(value).rsplit('/', 1)[-1]}"
    if identity(value) is not None:  # a reference with a value of its own: an attribute
        kept = {k: simplified(v, by_name) for k, v in value.items() if k not in ("meta", "id")}
        if "name" not in kept and not by_name:
            kept["ref"] = simplified({"meta": value["meta"]})
        return kept
    if isinstance(value, dict):
        return {key: simplified(item, by_name) for key, item in value.items()}
    if isinstance(value, list):
        return [simplified(item, by_name) for item in value]
    return value


def shown(value, by_name: bool = False) -> str:
    value = simplified(value, by_name)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def side_by_side(entities: dict[str, dict | None]) -> list[dict]:
    """Rows of fields, a column per account (the first is the main one), and which accounts
    differ from the first; references compared by name."""
    names = list(entities)
    fields = sorted({f for e in entities.values() if e for f in e} - HOUSEKEEPING)
    rows = []
    for field in fields:
        values = {
            name: ("—" if entity is None or field not in entity else shown(entity[field], True))
            for name, entity in entities.items()
        }
        differ = [name for name in names[1:] if values[name] != values[names[0]]]
        rows.append({"field": field, **values, "differs in": ", ".join(differ)})
    return rows
