"""One realistic entity of every simulated type in an account, filled like a real catalogue
(what the documented response examples show): for shape tests and the demo."""

import uuid

from scripts.simulator.hrefs import ref
from scripts.simulator.simulator import Simulator


def seed_samples(sim: Simulator, account_id: str) -> dict[str, dict]:
    """{type: entity} — a folder, goods of every kind, parties and the three order types."""
    account = sim.account(account_id)
    made: dict[str, dict] = {}

    def add(entity_type: str, data: dict) -> dict:
        made[entity_type] = sim.add_entity(account_id, entity_type, data)
        return made[entity_type]

    folder = add(
        "productfolder", {"name": "Кофе", "code": "F-01", "description": "Зерно и молотый"}
    )
    supplier = add(
        "counterparty",
        {
            "name": "ООО Обжарка",
            "inn": "7736207543",
            "phone": "+7 495 000-00-00",
            "email": "sales@roast.example",
            "legalTitle": "ООО «Обжарка»",
        },
    )
    organization = add("organization", {"name": "ООО Франшиза", "inn": "7701234567"})
    store = add("store", {"name": "Основной склад", "address": "Москва, ул. Складская, 1"})
    goods = {
        "description": "Арабика, 250 г",
        "productFolder": folder["id"],
        "uom": {"meta": account.uoms[0]["meta"]},
        "salePrices": [
            {"value": 45000, "priceType": "Цена продажи"},
            {"value": 39000, "priceType": "Оптовая цена"},
        ],
        "buyPrice": 21000,
        "attributes": {"Бренд": "Демо"},
        "vat": 20,
        "vatEnabled": True,
    }
    product = add(
        "product",
        goods
        | {
            "name": "Кофе Эфиопия",
            "article": "KOF-001",
            "code": "P-0001",
            "country": {"meta": account.countries[0]["meta"]},
            "supplier": {"meta": supplier["meta"]},
            "weight": 0.25,
            "volume": 0.001,
        },
    )
    add("service", {"name": "Помол", "code": "S-0001", "salePrices": goods["salePrices"][:1]})
    add(
        "variant",
        {
            "product": product["id"],
            "characteristics": {"Помол": "эспрессо"},
            "code": "V-0001",
            "salePrices": goods["salePrices"][:1],
        },
    )
    add(
        "bundle",
        goods
        | {
            "name": "Набор бариста",
            "code": "B-0001",
            "article": "SET-01",
            "components": [product["id"]],
            "weight": 0.5,
            "volume": 0.002,
        },
    )
    state = account.states["customerorder"][0]
    position = {
        "assortment": ref("product", product["id"]),
        "quantity": 2,
        "price": 45000,
        "discount": 0,
        "vat": 20,
    }
    document = {
        "organization": {"meta": organization["meta"]},
        "agent": {"meta": supplier["meta"]},
        "organizationAccount": ref("account", str(uuid.uuid4())),
        "agentAccount": ref("account", str(uuid.uuid4())),
        "store": {"meta": store["meta"]},
        "positions": [position],
        "description": "Заказ точки",
    }
    add(
        "customerorder",
        document
        | {
            "state": {"meta": state["meta"]},
            "syncId": str(uuid.uuid4()),
            "deliveryPlannedMoment": "2026-12-03 10:00:00.000",
        },
    )
    add("purchaseorder", document | {"deliveryPlannedMoment": "2026-12-05 10:00:00.000"})
    add(
        "retaildemand",
        document
        | {
            "retailStore": ref("retailstore", str(uuid.uuid4())),
            "retailShift": ref("retailshift", str(uuid.uuid4())),
        },
    )
    return made
