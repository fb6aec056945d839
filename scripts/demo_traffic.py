"""What the demo's users do in МойСклад: edits through the simulator's /_sim controls."""

import random
import uuid
from dataclasses import dataclass, field

import requests

HTTP_TIMEOUT = 10
BULK_SIZES = (5, 20)  # products in one bulk price edit (one body, many events)
PRICE_TYPE = "Цена продажи"


class SimulatorControl:
    """The simulator's control endpoints (another process, over HTTP)."""

    def __init__(self, base_url: str, session: requests.Session | None = None):
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()

    def call(self, method: str, path: str, body=None):
        response = self.session.request(
            method, f"{self.base_url}/_sim{path}", json=body, timeout=HTTP_TIMEOUT
        )
        response.raise_for_status()
        return response.json()

    def change(self, account_id: str, action: str, entity_type: str, **rest) -> dict:
        body = {"action": action, "entityType": entity_type, **rest}
        return self.call("POST", f"/accounts/{account_id}/changes", body)

    def webhook_url(self, account_id: str, entity_type: str, action: str) -> str | None:
        hooks = self.call("GET", f"/accounts/{account_id}/webhooks")
        matching = (h for h in hooks if (h["entityType"], h["action"]) == (entity_type, action))
        return next((h["url"] for h in matching), None)


@dataclass
class Traffic:
    """One main account's catalogue, two children's orders and their hand edits, at random."""

    sim: SimulatorControl
    main: str
    children: list[str]
    rng: random.Random = field(default_factory=random.Random)
    created: list[str] = field(default_factory=list)  # demo-made products, the ones we delete
    broken: set[str] = field(default_factory=set)  # products whose reads fail: never edited again
    done: dict[str, int] = field(default_factory=dict)

    def step(self) -> str:
        """Do one thing a user (or МойСклад) would; its name."""
        actions = [
            (self.price_edit, 40),
            (self.child_order, 20),
            (self.hand_edit, 4),
            (self.bulk_price_edit, 8),
            (self.create_product, 10),
            (self.delete_product, 6),
            (self.rename_service, 6),
            (self.bad_delivery, 4),
            (self.missing_entity, 3),
            (self.failing_product, 2),
            (self.api_outage, 3),
        ]
        action = self.rng.choices([a for a, _ in actions], [w for _, w in actions])[0]
        action()
        self.done[action.__name__] = self.done.get(action.__name__, 0) + 1
        return action.__name__

    def editable_products(self) -> list[dict]:
        products = self.sim.call("GET", f"/accounts/{self.main}/entities/product")
        return [p for p in products if p["id"] not in self.broken]

    def price_edit(self) -> None:
        product = self.rng.choice(self.editable_products())
        price = {"value": self.rng.randrange(100, 100_000) * 100, "priceType": PRICE_TYPE}
        self.sim.change(
            self.main, "UPDATE", "product", id=product["id"], data={"salePrices": [price]}
        )

    def bulk_price_edit(self) -> None:
        """A bulk edit in the UI: many products, one webhook body with an event each."""
        products = self.editable_products()
        picked = self.rng.sample(products, min(len(products), self.rng.randint(*BULK_SIZES)))
        items = {
            p["id"]: {"salePrices": [{"value": self.rng.randrange(100, 100_000) * 100,
                                      "priceType": PRICE_TYPE}]}
            for p in picked
        }  # fmt: skip
        if items:
            self.sim.change(self.main, "UPDATE", "product", items=items)

    def create_product(self) -> None:
        number = self.rng.randrange(1000, 9999)
        product = self.sim.change(
            self.main, "CREATE", "product",
            data={"name": f"Новинка {number}", "article": f"NEW-{number}",
                  "salePrices": [{"value": number * 100, "priceType": PRICE_TYPE}]},
        )  # fmt: skip
        self.created.append(product["id"])

    def delete_product(self) -> None:
        if self.created:
            self.sim.change(self.main, "DELETE", "product", id=self.created.pop(0))

    def rename_service(self) -> None:
        services = self.sim.call("GET", f"/accounts/{self.main}/entities/service")
        if services:
            name = f"Доставка {self.rng.randrange(1, 99)} км"
            self.sim.change(
                self.main, "UPDATE", "service", id=services[0]["id"], data={"name": name}
            )

    def child_order(self) -> None:
        """A franchisee posts an order of the goods it got from main (1–3 positions at its own
        prices): the child's webhook brings it to us, the executor copies it into main. Now and
        then the franchisee edits it afterwards (the copy follows)."""
        child = self.rng.choice(self.children)
        goods = self.child_goods(child)
        organizations = self.sim.call("GET", f"/accounts/{child}/entities/organization")
        customers = self.sim.call("GET", f"/accounts/{child}/entities/counterparty")
        if not goods or not organizations or not customers:
            return  # nothing synced to this child yet: nothing to sell
        picked = self.rng.sample(goods, min(len(goods), self.rng.randint(1, 3)))
        positions = [
            {"assortment": {"meta": entity["meta"]}, "quantity": self.rng.randint(1, 5),
             "price": _sale_price(entity), "discount": self.rng.choice([0, 0, 5, 10]), "vat": 20}
            for entity in picked
        ]  # fmt: skip
        data = {
            "organization": {"meta": organizations[0]["meta"]},
            "agent": {"meta": customers[0]["meta"]},
            "positions": positions,
            "description": "demo order",
        }
        order = self.sim.change(child, "CREATE", "customerorder", data=data)
        if self.rng.random() < 0.3:
            self.sim.change(
                child, "UPDATE", "customerorder", id=order["id"], data={"description": "paid"}
            )

    def hand_edit(self) -> dict | None:
        """A franchisee renames or reprices a synced copy by hand: no webhook of ours fires (a
        child's webhooks are its orders' and its deletions), so only verify finds it. What was
        edited: {"child", "id", "field"}."""
        child = self.rng.choice(self.children)
        goods = [g for g in self.child_goods(child) if g["meta"]["type"] == "product"]
        if not goods:
            return None
        product = self.rng.choice(goods)
        if self.rng.random() < 0.5:
            field, data = "name", {"name": f"{product['name']} (своё)"}
        else:
            value = _sale_price(product) + self.rng.randrange(1, 100) * 100
            field, data = "salePrices", {"salePrices": [{"value": value, "priceType": PRICE_TYPE}]}
        self.sim.change(child, "UPDATE", "product", id=product["id"], data=data)
        return {"child": child, "id": product["id"], "field": field}

    def child_goods(self, child: str) -> list[dict]:
        """The child's products and services, not archived (copies of main's)."""
        return [
            entity
            for entity_type in ("product", "service")
            for entity in self.sim.call("GET", f"/accounts/{child}/entities/{entity_type}")
            if not entity.get("archived")
        ]

    def bad_delivery(self) -> None:
        """A body МойСклад would never send: the receiver rejects and records it."""
        url = self.sim.webhook_url(self.main, "product", "UPDATE")
        if url:
            self.sim.call("POST", "/deliveries", {"url": url, "body": {"events": "not a list"}})

    def missing_entity(self) -> None:
        """An UPDATE of a product МойСклад no longer has (deleted in between)."""
        url = self.sim.webhook_url(self.main, "product", "UPDATE")
        href = f"{self.sim.base_url}/api/remap/1.2/entity/product/{uuid.uuid4()}"
        event = {"meta": {"type": "product", "href": href}, "action": "UPDATE",
                 "accountId": self.main, "updatedFields": ["salePrices"]}  # fmt: skip
        if url:
            self.sim.call(
                "POST", "/deliveries", {"account_id": self.main, "events": [event], "url": url}
            )

    def failing_product(self) -> None:
        """A new product МойСклад cannot read back (its reads answer 500): the delivery retries,
        then fails, and waits on the Logs page for an operator's Retry."""
        product_id = str(uuid.uuid4())
        self.broken.add(product_id)
        self.sim.call("POST", "/faults", {"entity_id": product_id, "status": 500})
        name = f"Битый товар {self.rng.randrange(100, 999)}"
        self.sim.change(self.main, "CREATE", "product", data={"id": product_id, "name": name})

    def api_outage(self) -> None:
        """МойСклад answers 503 for a moment: the next processing attempts fail and retry."""
        self.sim.call("POST", "/faults", {"count": 6, "status": 503})
        self.price_edit()


def _sale_price(entity: dict) -> int:
    """The entity's first sale price in kopecks (0 when it has none)."""
    prices = entity.get("salePrices") or []
    return int(prices[0].get("value") or 0) if prices else 0
