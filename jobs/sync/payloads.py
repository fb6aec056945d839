"""A child's body item for one sync task: what its strategy carries, in the child's references.

Per strategy (jobs/processing/strategies.py): skip → nothing; prices_only → sale, buy and
minimum prices; attributes_only → custom attributes; base_only → the plain fields; mixed_simple →
all three; full_sync (and every create) → those plus what points elsewhere: folder, unit,
country, packs, a variant's product and characteristics, a bundle's components. The body has no
`meta` or `syncId` (the executor adds them) and never a field the child owns (`owned_fields`,
`owned_price_types`, `owned_attributes` of its sync settings); everything else main syncs wins.

A product's `supplier` is the child's counterparty of the same INN (read expanded from main); a
child without exactly one such counterparty keeps its own supplier — the sync never creates
counterparties in a franchisee's books. Left out on purpose: `images` and file attributes (their
content would have to be downloaded and uploaded again), `files`, and the main account's
bookkeeping (owner, group, shared — the child's own employees and access).
"""

from collections.abc import Mapping
from typing import Any

from jobs.processing.fields import BASE_FIELDS, PRICE_FIELDS, REFERENCE_FIELDS
from jobs.processing.strategies import Strategy, as_strategy
from jobs.sync.attributes import attribute_values, characteristics
from jobs.sync.prices import money, prices
from jobs.sync.references import MissingReference, References, object_id

# Base fields copied as they are; read-only ones (effectiveVat...) and the account's access
# setting (`shared`) are not the child's to take.
BASE = BASE_FIELDS - {"effectiveVat", "effectiveVatEnabled", "shared"}
FOLDER_BASE = ("name", "description", "code", "externalCode", "vat", "vatEnabled")
FOLDER_BASE += ("useParentVat", "taxSystem")
# Fields the main account can empty: a reported one missing from the entity is cleared in the
# child (МойСклад omits empty fields; `null` clears a reference, md/_general.md — Поддержка null).
CLEARABLE_TEXT = ("description", "article")
CLEARABLE_LISTS = ("barcodes",)
CLEARABLE_REFERENCES = ("uom", "country")
CREATES = ("create", "recreate", "folder_create")
# `Необходимо при создании` on each type's page: sent on a create even when the child owns them.
REQUIRED_ON_CREATE = {
    "product": ("name",),
    "service": ("name",),
    "bundle": ("name", "components"),
    "variant": ("product", "characteristics"),
    "productfolder": ("name",),
}
STANDARD = BASE_FIELDS | PRICE_FIELDS | REFERENCE_FIELDS | {"attributes"}
STRATEGY_PARTS = {
    Strategy.SKIP: (),
    Strategy.PRICES_ONLY: ("prices",),
    Strategy.ATTRIBUTES_ONLY: ("attributes",),
    Strategy.BASE_ONLY: ("base",),
    Strategy.MIXED_SIMPLE: ("base", "prices", "attributes"),
    Strategy.FULL_SYNC: ("base", "prices", "attributes", "references"),
}
EXPANDS = {
    "product": "productFolder,supplier",
    "service": "productFolder",
    "bundle": "productFolder,components",
    "variant": "product",
    "productfolder": "productFolder",
}


def expand_for(entity_type: str, strategy: str | None = None) -> str | None:
    """The `expand` of the main GET: what a full payload needs read (components) or names
    (folder, product — for the reasons of MissingReference). None: nothing to expand."""
    if entity_type != "productfolder" and "references" not in _parts(strategy):
        return None
    return EXPANDS.get(entity_type)


def build_payload(
    task: Any, main_entity: Mapping, references: References, *, create: bool | None = None
) -> dict:
    """The child's item for the task (no meta, no syncId); {} when there is nothing to write.

    `task`: anything with `entity_type`, `operation` and `payload` (a row or a mapping).
    `create`: whether the child has no copy yet (None: as the operation says). A create,
    recreate or folder_create operation always carries the whole entity.
    Raises MissingReference.
    """
    entity_type = _get(task, "entity_type")
    payload = _get(task, "payload") or {}
    whole = _get(task, "operation") in CREATES
    create = whole if create is None else create
    if entity_type == "productfolder":
        return _folder(main_entity, references, create)
    parts = _parts(None if create or whole else payload.get("strategy"))
    updated = [n for n in payload.get("updated_fields") or () if isinstance(n, str)]
    body: dict = {}
    if "base" in parts:
        body |= _base(main_entity, updated if not create else ())
    if "prices" in parts:
        body |= prices(main_entity, references)
    if "attributes" in parts:
        cleared = () if create else [n for n in updated if n not in STANDARD]
        values = attribute_values(entity_type, main_entity, references, cleared)
        if values:
            body["attributes"] = values
    if "references" in parts:
        body |= _references(entity_type, main_entity, references, create)
        if not create:
            body |= {n: None for n in CLEARABLE_REFERENCES if n in updated and n not in main_entity}
    return _unowned(entity_type, body, references, create)


def _parts(strategy: str | None) -> tuple[str, ...]:
    return STRATEGY_PARTS[as_strategy(strategy)]


def _get(task: Any, name: str) -> Any:
    return task.get(name) if isinstance(task, Mapping) else getattr(task, name, None)


def _base(entity: Mapping, updated: list[str]) -> dict:
    body = {name: entity[name] for name in BASE if name in entity}
    for name in CLEARABLE_TEXT + CLEARABLE_LISTS:
        if name in updated and name not in entity:
            body[name] = "" if name in CLEARABLE_TEXT else []
    return body


def _references(entity_type: str, entity: Mapping, references: References, create: bool) -> dict:
    body: dict = {}
    if entity_type in ("product", "service", "bundle") and references.setting("sync_folders", True):
        folder = references.folder(entity.get("productFolder"))
        if folder is not None or not create:
            body["productFolder"] = folder
    for name, translate in (("uom", references.uom), ("country", references.country)):
        if isinstance(entity.get(name), Mapping):
            body[name] = translate(entity[name])
    if isinstance(entity.get("supplier"), Mapping):
        supplier = references.supplier(entity["supplier"])
        if supplier is not None:
            body["supplier"] = supplier
    if isinstance(entity.get("packs"), list):
        body["packs"] = [_pack(pack, references) for pack in entity["packs"]]
    if entity_type == "variant":
        if create:
            body["product"] = references.mapped("product", entity["product"], "product")
        body["characteristics"] = characteristics(entity, references)
    if entity_type == "bundle":
        body |= _components(entity, references)
        if isinstance(entity.get("overhead"), Mapping):
            body["overhead"] = money(entity["overhead"], references)
    if isinstance(entity.get("alcoholic"), Mapping):
        body["alcoholic"] = dict(entity["alcoholic"])
    return body


def _pack(pack: Mapping, references: References) -> dict:
    item = {k: v for k, v in pack.items() if k not in ("id", "meta", "uom")}
    if isinstance(pack.get("uom"), Mapping):
        item["uom"] = references.uom(pack["uom"])
    return item


def _components(entity: Mapping, references: References) -> dict:
    """A bundle's components through the mappings of their products, services and variants."""
    components = entity.get("components")
    if isinstance(components, Mapping):
        if "rows" not in components and (components.get("meta") or {}).get("size"):
            raise MissingReference(
                f"bundle '{entity.get('name')}': components were not read (expand=components)"
            )
        components = components.get("rows") or []
    rows = [c for c in components or () if isinstance(c, Mapping)]
    by_type: dict[str, list[str]] = {}
    for row in rows:
        kind = ((row.get("assortment") or {}).get("meta") or {}).get("type", "product")
        by_type.setdefault(kind, []).append(object_id(row.get("assortment")))
    for kind, ids in by_type.items():
        references.prefetch(kind, ids)
    items = []
    for row in rows:
        assortment = row.get("assortment") or {}
        kind = (assortment.get("meta") or {}).get("type", "product")
        child = references.mapped(kind, assortment, "bundle component")
        items.append({"assortment": child, "quantity": row.get("quantity", 1)})
    return {"components": items} if items else {}


def _folder(entity: Mapping, references: References, create: bool) -> dict:
    """A folder: its plain fields and its parent (the executor creates parents first)."""
    body = {name: entity[name] for name in FOLDER_BASE if name in entity}
    parent = references.folder(entity.get("productFolder"))
    if parent is not None or not create:
        body["productFolder"] = parent
    return _unowned("productfolder", body, references, create)


def _unowned(entity_type: str, body: dict, references: References, create: bool) -> dict:
    """The body without the child's own fields — but a create keeps what МойСклад requires."""
    kept = REQUIRED_ON_CREATE.get(entity_type, ()) if create else ()
    return {k: v for k, v in body.items() if k in kept or not references.owns(k)}
