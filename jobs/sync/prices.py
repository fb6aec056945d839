"""A main entity's prices in the child's terms: sale prices by the child's price types (its
`price_mappings`, never a type it owns), buy and minimum prices with the child's currency.

A PUT merges `salePrices` by price type (MOYSKLAD.md §8), so prices the child does not get keep
their values; with `sync_prices` off no price is sent at all.
"""

from collections.abc import Mapping

from jobs.sync.references import References

MONEY_FIELDS = ("buyPrice", "minPrice")


def prices(entity: Mapping, references: References) -> dict:
    """{salePrices, buyPrice, minPrice} of the entity as the child should have them."""
    if not references.setting("sync_prices", True):
        return {}
    body: dict = {}
    sale = [
        translated
        for price in entity.get("salePrices") or ()
        if isinstance(price, Mapping)
        for translated in [_sale_price(price, references)]
        if translated is not None
    ]
    if sale and not references.owns("salePrices"):
        body["salePrices"] = sale
    for name in MONEY_FIELDS:
        if isinstance(entity.get(name), Mapping) and not references.owns(name):
            body[name] = money(entity[name], references)
    return body


def money(value: Mapping, references: References) -> dict:
    """`{value, currency}` with the child's currency (the default one when none is named)."""
    result = {"value": value.get("value", 0)}
    if isinstance(value.get("currency"), Mapping):
        result["currency"] = references.currency(value["currency"])
    return result


def _sale_price(price: Mapping, references: References) -> dict | None:
    price_type = price.get("priceType")
    if not isinstance(price_type, Mapping):
        return None
    child_type = references.price_type(price_type)
    if child_type is None:
        return None
    return money(price, references) | {"priceType": child_type}
