"""A franchise whose child holds copies of main's goods (mapped) and makes orders."""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from store.mappings import add_mapping
from store.models import Account, SyncTask

ORG_INN = "7701234567"


def ref(entity_type: str, entity_id: str) -> dict:
    return {"meta": {"href": f"/entity/{entity_type}/{entity_id}", "type": entity_type}}


@dataclass
class Goods:
    """Main's goods and their child copies: {(type, main id): child id}."""

    copies: dict = field(default_factory=dict)
    prices: dict = field(default_factory=dict)  # child (type, id) → price in kopecks

    def child_ids(self, entity_type: str) -> list[str]:
        return [c for (t, _), c in self.copies.items() if t == entity_type]

    def main_of(self, entity_type: str, child_id: str) -> str:
        return next(m for (t, m), c in self.copies.items() if t == entity_type and c == child_id)


def seed_parties(sim, main: str, child: str) -> dict:
    """Main's organization; the child's organization (the franchisee) and a customer."""
    return {
        "main_org": sim.add_entity(main, "organization", {"name": "Франчайзер"})["id"],
        "child_org": sim.add_entity(
            child, "organization", {"name": "ИП Москва", "inn": ORG_INN, "legalTitle": "ИП Иванов"}
        )["id"],
        "customer": sim.add_entity(child, "counterparty", {"name": "Покупатель"})["id"],
    }


def seed_goods(sim, main: str, child: str, products: int = 5, mapped: bool = True) -> Goods:
    """Products, services and variants in main, copied to the child and mapped."""
    goods = Goods()
    for number in range(products):
        for kind in ("product", "service"):
            name = f"{kind} {number}"
            main_id = sim.add_entity(main, kind, {"name": name})["id"]
            child_id = sim.add_entity(child, kind, {"name": name})["id"]
            _keep(goods, kind, main_id, child_id, child, mapped, 1000 + 137 * number)
        main_parent = sim.add_entity(main, "product", {"name": f"shirt {number}"})["id"]
        child_parent = sim.add_entity(child, "product", {"name": f"shirt {number}"})["id"]
        _keep(goods, "product", main_parent, child_parent, child, mapped, 990 + number)
        chars = {"Размер": f"S{number}"}
        main_variant = sim.add_entity(
            main, "variant", {"product": main_parent, "characteristics": chars}
        )["id"]
        child_variant = sim.add_entity(
            child, "variant", {"product": child_parent, "characteristics": chars}
        )["id"]
        _keep(goods, "variant", main_variant, child_variant, child, mapped, 2500 + 11 * number)
    return goods


def _keep(goods: Goods, kind, main_id, child_id, child, mapped: bool, price: int) -> None:
    goods.copies[(kind, main_id)] = child_id
    goods.prices[(kind, child_id)] = price
    if mapped:
        add_mapping(child, kind, main_id, child_id)


def order_positions(goods: Goods, picks: list[tuple[str, str]], quantity: float = 2) -> list:
    return [
        {
            "assortment": ref(kind, child_id),
            "quantity": quantity + number,
            "price": goods.prices[(kind, child_id)],
            "discount": number % 3 * 5,
            "vat": 20,
        }
        for number, (kind, child_id) in enumerate(picks)
    ]


def child_order(
    sim, child: str, parties: dict, positions: list, order_type: str = "customerorder", **extra
) -> dict:
    data = {
        "organization": parties["child_org"],
        "agent": parties["customer"],
        "positions": positions,
    } | extra
    data["organization"] = ref("organization", data["organization"])
    data["agent"] = ref("counterparty", data["agent"])
    if order_type == "retaildemand":
        till = sim.add_entity(child, "store", {"name": "Касса"})["id"]
        data.setdefault("store", ref("store", till))
    return sim.add_entity(child, order_type, data)


def claimed_task(
    main: str, child: str, entity_type: str, entity_id: str, operation: str = "order"
) -> SyncTask:
    """A task as the executor hands it over: claimed (status running)."""
    now = datetime.now(UTC)
    return SyncTask.create(
        target_account_id=main,
        source_account_id=child,
        entity_type=entity_type,
        entity_id=entity_id,
        operation=operation,
        priority=7,
        status="running",
        payload={"actions": ["CREATE"]},
        scheduled_at=now,
        created_at=now,
        updated_at=now,
        claimed_at=now,
    )


def go_live(*account_ids: str) -> None:
    Account.update(sync_mode="live").where(Account.id.in_(account_ids)).execute()


def new_id() -> str:
    return str(uuid.uuid4())
