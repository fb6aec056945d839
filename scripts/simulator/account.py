"""One simulated account: its entities, webhooks, dictionaries and catalogue settings."""

from dataclasses import dataclass, field

from scripts.simulator import dictionaries

# Product, service and bundle share one set of custom attributes (МойСклад's product metadata).
ATTRIBUTE_OWNER = {"service": "product", "bundle": "product"}


@dataclass
class Account:
    id: str
    entities: dict[str, dict[str, dict]] = field(default_factory=dict)
    webhooks: dict[str, dict] = field(default_factory=dict)
    price_types: list[dict] = field(default_factory=list)
    attributes: dict[tuple[str, str], dict] = field(default_factory=dict)
    characteristics: dict[str, dict] = field(default_factory=dict)
    currencies: list[dict] = field(default_factory=list)
    uoms: list[dict] = field(default_factory=list)
    countries: list[dict] = field(default_factory=list)
    states: dict[str, list[dict]] = field(default_factory=dict)
    # /entity/assortment/settings → uniqueCodeRules
    check_unique_code: bool = True
    fill_unique_code: bool = True
    fill_ean13: bool = True  # barcodeRules.fillEAN13Barcode
    counter: int = 0

    def __post_init__(self) -> None:
        for name in dictionaries.PRICE_TYPES:
            self.add_price_type(name)
        for number, (name, code, iso) in enumerate(dictionaries.CURRENCIES):
            self.currencies.append(dictionaries.currency(self.id, name, code, iso, number == 0))
        self.uoms += [dictionaries.uom(self.id, *unit) for unit in dictionaries.UOMS]
        self.countries += [dictionaries.country(self.id, *c) for c in dictionaries.COUNTRIES]
        for owner in dictionaries.STATE_OWNERS:
            self.states[owner] = [
                dictionaries.state(self.id, owner, *s) for s in dictionaries.ORDER_STATES
            ]

    def add_price_type(self, name: str) -> dict:
        price_type = dictionaries.price_type(name)
        self.price_types.append(price_type)
        return price_type

    def price_type(self, name: str) -> dict:
        found = next((p for p in self.price_types if p["name"] == name), None)
        return found or self.add_price_type(name)

    def attribute(self, entity_type: str, name: str, kind: str) -> dict:
        """The account's definition of a custom attribute (created on first use)."""
        owner = ATTRIBUTE_OWNER.get(entity_type, entity_type)
        key = (owner, name)
        if key not in self.attributes:
            self.attributes[key] = dictionaries.attribute(owner, name, kind)
        return self.attributes[key]

    def attributes_of(self, entity_type: str) -> list[dict]:
        owner = ATTRIBUTE_OWNER.get(entity_type, entity_type)
        return [a for (o, _), a in self.attributes.items() if o == owner]

    def characteristic(self, name: str) -> dict:
        if name not in self.characteristics:
            self.characteristics[name] = dictionaries.characteristic(name)
        return self.characteristics[name]

    def currency(self) -> dict:
        return {"meta": self.currencies[0]["meta"]}

    def dictionary(self, kind: str) -> list[dict]:
        """Objects of a dictionary type this account holds (for references and lists)."""
        if kind == "pricetype":
            return self.price_types
        if kind == "attributemetadata":
            return list(self.attributes.values()) + list(self.characteristics.values())
        if kind == "state":
            return [s for states in self.states.values() for s in states]
        return {"currency": self.currencies, "uom": self.uoms, "country": self.countries}.get(
            kind, []
        )

    def default_uom(self) -> dict:
        return {"meta": self.uoms[0]["meta"]}

    def of_type(self, entity_type: str) -> dict[str, dict]:
        return self.entities.setdefault(entity_type, {})

    def find(self, entity_type: str, entity_id: str) -> dict | None:
        return self.entities.get(entity_type, {}).get(entity_id)

    def holds(self, kind: str, object_id: str) -> bool:
        """Whether a referenced object (entity or dictionary item) is this account's."""
        if self.find(kind, object_id):
            return True
        return any(item["id"] == object_id for item in self.dictionary(kind))

    def next_number(self) -> int:
        self.counter += 1
        return self.counter
