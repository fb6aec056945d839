"""One simulated account: its entities, webhooks, price types and attribute definitions."""

import uuid
from dataclasses import dataclass, field

from scripts.simulator.hrefs import meta, ref

DEFAULT_PRICE_TYPES = ("Цена продажи", "Оптовая цена")
CURRENCY_ID = "a0000000-0000-4000-8000-000000000643"  # rouble; one per account is enough here


@dataclass
class Account:
    id: str
    entities: dict[str, dict[str, dict]] = field(default_factory=dict)
    webhooks: dict[str, dict] = field(default_factory=dict)
    price_types: list[dict] = field(default_factory=list)
    attributes: dict[tuple[str, str], dict] = field(default_factory=dict)
    counter: int = 0

    def __post_init__(self) -> None:
        for name in DEFAULT_PRICE_TYPES:
            self.add_price_type(name)

    def add_price_type(self, name: str) -> dict:
        type_id = str(uuid.uuid4())
        price_type = {
            "meta": meta("pricetype", type_id)
            | {"href": f"/context/companysettings/pricetype/{type_id}"},
            "id": type_id,
            "name": name,
            "externalCode": uuid.uuid4().hex[:20],
        }
        self.price_types.append(price_type)
        return price_type

    def price_type(self, name: str) -> dict:
        found = next((p for p in self.price_types if p["name"] == name), None)
        return found or self.add_price_type(name)

    def attribute(self, entity_type: str, name: str, kind: str) -> dict:
        """The account's definition of a custom attribute (created on first use)."""
        key = (entity_type, name)
        if key not in self.attributes:
            attr_id = str(uuid.uuid4())
            self.attributes[key] = {
                "meta": meta("attributemetadata", attr_id)
                | {"href": f"/entity/{entity_type}/metadata/attributes/{attr_id}"},
                "id": attr_id,
                "name": name,
                "type": kind,
            }
        return self.attributes[key]

    def currency(self) -> dict:
        return ref("currency", CURRENCY_ID)

    def of_type(self, entity_type: str) -> dict[str, dict]:
        return self.entities.setdefault(entity_type, {})

    def find(self, entity_type: str, entity_id: str) -> dict | None:
        return self.entities.get(entity_type, {}).get(entity_id)

    def next_number(self) -> int:
        self.counter += 1
        return self.counter
