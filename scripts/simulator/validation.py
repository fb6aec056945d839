"""What an API write must satisfy before it is applied (the seeds and a user's edits skip this).

md/_general.md — Создание и обновление объекта (required fields on create; read-only fields
ignored), Поддержка null, Назначение поля syncId; md/_errors.md — 1007 unknown field, 1047 syncId
cannot change, 3000 a required field, 3006 uniqueness, 3003 a value that must be above zero;
md/dictionaries/_assortment.md — Настройки справочника (uniqueCodeRules.checkUniqueCode);
md/dictionaries/_bundle.md — 1..50 components (29000); md/documents/_customerOrder.md — positions.
"""

from scripts.simulator import errors, fields, references
from scripts.simulator.account import Account
from scripts.simulator.errors import ApiError, bad_request
from scripts.simulator.forms import object_id

MAX_COMPONENTS = 50
MAX_POSITIONS = 1000


def _known(entity_type: str, data: dict) -> None:
    for key in data:
        if key not in fields.KNOWN[entity_type]:
            raise bad_request(errors.UNKNOWN_FIELD, f"Неизвестное поле: '{key}'")


def _not_empty(name: str, value) -> None:
    if value is None or value == "" or value == []:
        raise ApiError(412, errors.MISSING_FIELD, f"Поле '{name}' не может быть пустым")


def _unique_code(account: Account, entity_type: str, data: dict, own_id: str | None) -> None:
    code = data.get("code")
    if entity_type not in fields.ASSORTMENT or not code or not account.check_unique_code:
        return
    for kind in fields.ASSORTMENT:
        for row in account.of_type(kind).values():
            if row.get("code") == code and row["id"] != own_id:
                raise bad_request(
                    errors.NOT_UNIQUE, f"Код '{code}' уже занят: нарушена уникальность"
                )


def _unique_name(account: Account, entity_type: str, data: dict, own_id: str | None) -> None:
    name = data.get("name")
    if entity_type in fields.ORDER_NAMES_UNIQUE and name:
        for row in account.of_type(entity_type).values():
            if row.get("name") == name and row["id"] != own_id:
                raise bad_request(
                    errors.NOT_UNIQUE, f"Номер '{name}' уже занят: нарушена уникальность"
                )


def _collections(entity_type: str, data: dict) -> None:
    components = data.get("components")
    if (
        entity_type == "bundle"
        and components is not None
        and not (isinstance(components, list) and 1 <= len(components) <= MAX_COMPONENTS)
    ):
        raise bad_request(29000, "В комплекте должно быть от 1 до 50 компонентов")
    positions = data.get("positions")
    if isinstance(positions, list):
        if len(positions) > MAX_POSITIONS:
            raise ApiError(413, errors.TOO_MANY_ITEMS, "Больше 1000 позиций в одном документе")
        for position in positions:
            quantity = position.get("quantity", 1) if isinstance(position, dict) else None
            if not isinstance(quantity, (int, float)) or quantity <= 0:
                raise bad_request(3003, "Поле 'quantity' позиции должно быть больше нуля")


def _state(account: Account, entity_type: str, data: dict) -> None:
    if isinstance(data.get("state"), dict):
        own = {s["id"] for s in account.states.get(entity_type, [])}
        if object_id(data["state"]) not in own:
            raise bad_request(11002, "Статус не принадлежит этому типу документа")


def _common(account: Account, entity_type: str, data: dict, own_id: str | None) -> None:
    _known(entity_type, data)
    if "syncId" in data and entity_type not in fields.SYNC_ID_TYPES:
        raise bad_request(errors.UNKNOWN_FIELD, f"Неизвестное поле: 'syncId' у '{entity_type}'")
    if "name" in data:
        _not_empty("name", data["name"])
    _collections(entity_type, data)
    references.check(account, entity_type, data)
    _state(account, entity_type, data)
    _unique_code(account, entity_type, data, own_id)
    _unique_name(account, entity_type, data, own_id)


def check_create(account: Account, entity_type: str, data: dict) -> None:
    _common(account, entity_type, data, None)
    for name in fields.REQUIRED[entity_type]:
        _not_empty(name, data.get(name))


def check_update(account: Account, entity_type: str, entity: dict, data: dict) -> None:
    _common(account, entity_type, data, entity["id"])
    for name in fields.REQUIRED[entity_type]:
        if name in data:
            _not_empty(name, data[name])
    if "syncId" in data and data["syncId"] != entity.get("syncId"):
        raise bad_request(errors.SYNC_ID_CHANGED, "Поле syncId нельзя изменить")
