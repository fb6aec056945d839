"""Entity reads and writes of one account; writes return the events they cause."""

from dataclasses import dataclass
from urllib.parse import urlencode

from scripts.simulator import usage
from scripts.simulator.account import Account
from scripts.simulator.entities import ENTITY_TYPES, apply_update, build
from scripts.simulator.errors import UNKNOWN_TYPE, ApiError, bad_request, not_found
from scripts.simulator.hrefs import split_href

MAX_LIMIT = 1000
EXPAND_MAX_LIMIT = 100  # МойСклад silently ignores expand above this limit


@dataclass(frozen=True)
class Change:
    """One event a write causes: what the webhook body's event will say."""

    entity_type: str
    entity_id: str
    action: str
    updated_fields: tuple[str, ...] = ()


def check_type(entity_type: str) -> None:
    if entity_type not in ENTITY_TYPES:
        raise ApiError(404, UNKNOWN_TYPE, f"Неизвестный тип: '{entity_type}'")


def get(account: Account, entity_type: str, entity_id: str) -> dict:
    check_type(entity_type)
    entity = account.find(entity_type, entity_id)
    if entity is None:
        raise not_found(entity_type, entity_id)
    return entity


def _parse_filter(text: str) -> dict[str, set[str]]:
    conditions: dict[str, set[str]] = {}
    for part in filter(None, text.split(";")):
        key, sep, value = part.partition("=")
        if not sep:
            raise bad_request(1002, f"Неверный фильтр: '{part}'")
        conditions.setdefault(key, set()).add(value)
    return conditions


def _matches(entity: dict, conditions: dict[str, set[str]]) -> bool:
    # Archived entities are hidden unless the filter names `archived` (md/_general.md —
    # Фильтрация сущностей).
    if entity.get("archived") is True and "archived" not in conditions:
        return False
    for key, values in conditions.items():
        value = entity.get(key)
        text = str(value).lower() if isinstance(value, bool) else str(value)
        if text not in values:
            return False
    return True


def _expand(account: Account, value, path: list[str]):
    if not path or not isinstance(value, dict):
        return value
    target = value.get(path[0])
    if isinstance(target, dict) and "meta" in target:
        found = account.find(*split_href(target["meta"]["href"]))
        value = dict(value)
        value[path[0]] = _expand(account, found, path[1:]) if found else target
    return value


def expand(account: Account, entity: dict, expand_param: str | None) -> dict:
    paths = [p.strip() for p in (expand_param or "").split(",") if p.strip()]
    entity = _collections(entity, paths)
    for path in paths:
        entity = _expand(account, entity, path.split("."))
    return entity


# Nested collections read as a MetaArray, their rows only when expanded
# (md/dictionaries/_bundle.md — components: MetaArray, `+Expand`).
COLLECTIONS = {"bundle": {"components": "bundlecomponent"}}


def _collections(entity: dict, paths: list[str]) -> dict:
    kinds = COLLECTIONS.get(entity.get("meta", {}).get("type"), {})
    if not any(isinstance(entity.get(name), list) for name in kinds):
        return entity
    entity = dict(entity)
    for name, row_type in kinds.items():
        rows = entity.get(name)
        if not isinstance(rows, list):
            continue
        href = f"{entity['meta']['href']}/{name}"
        collection_meta = {"href": href, "type": row_type, "mediaType": "application/json"}
        collection: dict = {"meta": collection_meta | {"size": len(rows), "limit": 1000}}
        collection["meta"]["offset"] = 0
        if name in paths:
            collection["rows"] = rows
        entity[name] = collection
    return entity


def _int_param(params: dict, name: str, default: int) -> int:
    try:
        return int(params.get(name, default))
    except ValueError:
        raise bad_request(1002, f"Параметр '{name}' должен быть числом") from None


def list_page(account: Account, entity_type: str, params: dict, path: str) -> dict:
    """A list answer of entities, filtered and expanded like МойСклад's."""
    conditions = _parse_filter(params.get("filter", ""))
    rows = [e for e in account.of_type(entity_type).values() if _matches(e, conditions)]
    page = paginate(rows, params, path, entity_type)
    expanded = params.get("expand") if page["meta"]["limit"] <= EXPAND_MAX_LIMIT else None
    page["rows"] = [expand(account, row, expanded) for row in page["rows"]]
    return page


def paginate(rows: list, params: dict, path: str, row_type: str) -> dict:
    """A list answer: context, meta (size, limit, offset, nextHref), rows."""
    limit = _int_param(params, "limit", MAX_LIMIT)
    offset = _int_param(params, "offset", 0)
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise bad_request(1002, f"Параметр 'limit' должен быть от 1 до {MAX_LIMIT}")
    page = rows[offset : offset + limit]
    page_meta = {"href": path, "type": row_type, "mediaType": "application/json"}
    page_meta |= {"size": len(rows), "limit": limit, "offset": offset}
    kept = {k: v for k, v in params.items() if k not in ("limit", "offset")}
    if offset + limit < len(rows):
        page_meta["nextHref"] = (
            f"{path}?{urlencode(kept | {'limit': limit, 'offset': offset + limit})}"
        )
    if offset > 0:
        back = max(offset - limit, 0)
        page_meta["previousHref"] = f"{path}?{urlencode(kept | {'limit': limit, 'offset': back})}"
    context = {"employee": {"meta": {"href": "/context/employee", "type": "employee"}}}
    return {"context": context, "meta": page_meta, "rows": page}


def by_sync_id(account: Account, entity_type: str, sync_id: str) -> dict | None:
    return next(
        (e for e in account.of_type(entity_type).values() if e.get("syncId") == sync_id), None
    )


def get_by_sync_id(account: Account, entity_type: str, sync_id: str) -> dict:
    check_type(entity_type)
    entity = by_sync_id(account, entity_type, sync_id)
    if entity is None:
        raise not_found(entity_type, sync_id)
    return entity


def create(account: Account, entity_type: str, data: dict) -> tuple[dict, Change | None]:
    """A new entity and its CREATE; the same `syncId` again returns the one made before, no event
    (md/_general.md — Назначение поля syncId)."""
    check_type(entity_type)
    if entity_type == "variant" and "product" not in data:
        raise bad_request(3000, "Поле 'product' не может быть пустым")
    if data.get("syncId"):
        existing = by_sync_id(account, entity_type, data["syncId"])
        if existing is not None:
            return existing, None
    entity = build(account, entity_type, data)
    account.of_type(entity_type)[entity["id"]] = entity
    return entity, Change(entity_type, entity["id"], "CREATE")


def update(account: Account, entity_type: str, entity_id: str, data: dict):
    """(entity, Change or None when nothing changed)."""
    entity = get(account, entity_type, entity_id)
    changed = apply_update(account, entity_type, entity, data)
    change = Change(entity_type, entity_id, "UPDATE", tuple(changed)) if changed else None
    return entity, change


def delete(account: Account, entity_type: str, entity_id: str, check_use: bool = True) -> Change:
    get(account, entity_type, entity_id)
    if check_use:
        usage.check_free(account, entity_type, entity_id)
    del account.entities[entity_type][entity_id]
    return Change(entity_type, entity_id, "DELETE")
