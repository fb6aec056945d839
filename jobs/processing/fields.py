"""Classes of the `updatedFields` of an UPDATE webhook: what kind of change reached the main entity.

МойСклад reports standard fields by API name and custom attributes and custom price types by their
display name. A name we know nothing about is taken for a custom attribute: an attribute created
after the names were loaded is far likelier than a new standard field, and both need a sync.
A display name that is both a price type and an attribute counts as both, so neither is missed.
"""

from collections.abc import Iterable
from dataclasses import dataclass

BASE_FIELDS = frozenset(
    {"name", "description", "code", "article", "externalCode", "weight", "volume"}
    | {"vat", "vatEnabled", "useParentVat", "effectiveVat", "effectiveVatEnabled", "archived"}
    | {"barcodes", "minimumBalance", "minimumStock", "paymentItemType", "trackingType", "tnved"}
    | {"ppeType", "partialDisposal", "weighed", "isSerialTrackable", "discountProhibited"}
    | {"shared", "taxSystem"}
)
PRICE_FIELDS = frozenset({"salePrices", "buyPrice", "minPrice"})
ATTRIBUTES_FIELD = "attributes"
# Links to entities whose ids differ per account (folder, unit, country...) or nested documents:
# only a full sync can translate them into the child's own references.
REFERENCE_FIELDS = frozenset(
    {"productFolder", "pathName", "uom", "country", "supplier", "images", "files", "packs"}
    | {"characteristics", "components", "alcoholic", "product", "things"}
)
# The main account's own bookkeeping (its employee, department, timestamps, counters): never synced.
IGNORED_FIELDS = frozenset(
    {"owner", "group", "updated", "created", "version", "accountId", "meta", "id"}
    | {"syncId", "variantsCount"}
)


@dataclass(frozen=True)
class FieldClasses:
    """`updatedFields` sorted into classes; `reported` is False when МойСклад sent none."""

    reported: bool = True
    base: frozenset[str] = frozenset()
    prices: frozenset[str] = frozenset()
    price_types: frozenset[str] = frozenset()
    attributes: frozenset[str] = frozenset()
    unknown: frozenset[str] = frozenset()  # names also in `attributes`, not matched to one
    references: frozenset[str] = frozenset()
    ignored: frozenset[str] = frozenset()


def normalize_name(name: str) -> str:
    """How display names are compared: case-insensitive, outer spaces ignored."""
    return name.strip().casefold()


def classify_fields(
    updated_fields: Iterable[str] | None,
    price_type_names: Iterable[str] = frozenset(),
    attribute_names: Iterable[str] = frozenset(),
) -> FieldClasses:
    """Sort reported field names using the main account's price type and attribute names."""
    names = [name for name in updated_fields or () if isinstance(name, str) and name.strip()]
    if not names:
        return FieldClasses(reported=False)
    price_types = {normalize_name(name) for name in price_type_names}
    attributes = {normalize_name(name) for name in attribute_names}
    classes: dict[str, set[str]] = {key: set() for key in FieldClasses.__dataclass_fields__}
    del classes["reported"]
    for name in names:
        standard = _standard_class(name)
        if standard:
            classes[standard].add(name)
            continue
        key = normalize_name(name)
        if key in price_types:
            classes["price_types"].add(name)
        if key in attributes or key not in price_types:
            classes["attributes"].add(name)
        if key not in attributes and key not in price_types:
            classes["unknown"].add(name)
    return FieldClasses(reported=True, **{key: frozenset(value) for key, value in classes.items()})


def _standard_class(name: str) -> str | None:
    if name in BASE_FIELDS:
        return "base"
    if name in PRICE_FIELDS:
        return "prices"
    if name == ATTRIBUTES_FIELD:
        return "attributes"
    if name in REFERENCE_FIELDS:
        return "references"
    if name in IGNORED_FIELDS:
        return "ignored"
    return None
