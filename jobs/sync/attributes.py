"""Custom attribute values and variant characteristics in the child's terms.

An attribute value is sent against the child's own metadata of the same name and type (or the
mapped one, `attribute_mappings`), never for an attribute the child owns. Values of plain kinds
are copied (md/_general.md — Работа с дополнительными полями: string, text, link, time, long,
double, boolean). A file value needs its content uploaded and a reference value (a dictionary:
counterparty, product, custom entity...) an object of the child's own that nothing maps yet, so
those two kinds are left to the child. A PUT merges `attributes` by metadata, so an attribute not
sent keeps its value; one the main account cleared (named in `updatedFields`, absent from the
entity) is reset with `value: null`.
"""

from collections.abc import Iterable, Mapping

from jobs.processing.fields import normalize_name
from jobs.sync.references import References
from jobs.sync.references_cache import attributes_kind

PLAIN_KINDS = frozenset({"string", "text", "link", "time", "long", "double", "boolean"})


def attribute_values(
    entity_type: str,
    entity: Mapping,
    references: References,
    cleared: Iterable[str] = (),
) -> list[dict]:
    """The entity's attribute values for the child, plus resets of the `cleared` names."""
    values = []
    present = set()
    for attribute in entity.get("attributes") or ():
        if not isinstance(attribute, Mapping):
            continue
        present.add(normalize_name(attribute.get("name") or ""))
        if attribute.get("type") not in PLAIN_KINDS:
            continue
        child = references.attribute(entity_type, attribute)
        if child is not None:
            values.append(child | {"value": attribute.get("value")})
    wanted = {normalize_name(n) for n in cleared if isinstance(n, str)} - present
    if wanted:
        kind = attributes_kind(entity_type)
        for definition in references.main.rows(kind):
            name = normalize_name(definition.get("name") or "")
            if name in wanted and definition.get("type") in PLAIN_KINDS:
                child = references.attribute(entity_type, definition)
                if child is not None:
                    values.append(child | {"value": None})
    return values


def characteristics(entity: Mapping, references: References) -> list[dict]:
    """A variant's characteristics (the whole set: МойСклад replaces it on update)."""
    return [
        references.characteristic(item) | {"value": item.get("value")}
        for item in entity.get("characteristics") or ()
        if isinstance(item, Mapping)
    ]
