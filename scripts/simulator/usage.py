"""Whether an object is in use, so that deleting it answers 409 (md/_general.md — Возвращаемые
HTTP статусы: 409; md/_errors.md — 1028: the object is used and cannot be deleted)."""

from scripts.simulator.account import Account
from scripts.simulator.errors import ApiError
from scripts.simulator.forms import object_id
from scripts.simulator.hrefs import split_href

IN_USE = 1028
PARTY_FIELDS = ("agent", "organization", "store", "supplier")


def _points_to(value, entity_id: str) -> bool:
    return isinstance(value, dict) and object_id(value) == entity_id


def dependents(account: Account, entity_type: str, entity_id: str) -> list[dict]:
    """References to the entity from other entities: positions, components, variants, parties."""
    found = []
    for other_type, rows in account.entities.items():
        for row in rows.values():
            uses = [p.get("assortment") for p in row.get("positions", []) if isinstance(p, dict)]
            uses += [c.get("assortment") for c in row.get("components", []) if isinstance(c, dict)]
            uses += [row.get(name) for name in PARTY_FIELDS]
            if other_type == "variant":
                uses.append(row.get("product"))
            if any(_points_to(u, entity_id) for u in uses):
                found.append({"meta": row["meta"]})
    return found


def check_free(account: Account, entity_type: str, entity_id: str) -> None:
    users = dependents(account, entity_type, entity_id)
    if users:
        kinds = sorted({split_href(u["meta"]["href"])[0] for u in users})
        error = ApiError(409, IN_USE, f"Объект используется ({', '.join(kinds)}): удалить нельзя")
        error.extra = {"dependencies": users}
        raise error
