"""Translating the main account's references into one child's own objects (MOYSKLAD.md §8).

Ids of price types, currencies, units, countries, attribute metadata, characteristics and of
every entity are per account, so each reference a payload carries is looked up in the child:
price types by name (or the child's `price_mappings`), currencies by `isoCode`, units and
countries by `code`, attributes by name and type (or `attribute_mappings`), characteristics by
name (a missing one is created, as MOYSKLAD.md §8 says, unless the run writes nothing), folders,
a variant's product and bundle components through `entity_mappings`, a product's supplier by
the INN of the counterparty (md/dictionaries/_counterparty.md: `inn` is filterable). Names
compare as processing compares them (case-insensitive, outer spaces ignored).
"""

from collections.abc import Mapping
from typing import Any

from redis import Redis

from jobs.context import JobContext
from jobs.moysklad import MoySkladClient, MoySkladRequestError
from jobs.processing.fields import normalize_name
from jobs.sync.references_cache import (
    CHARACTERISTICS,
    COUNTRIES,
    CURRENCIES,
    PRICE_TYPES,
    UOMS,
    Dictionaries,
    attributes_kind,
)
from store.accounts import get_account
from store.child_settings import child_sync_settings
from store.mappings import child_entity_ids

# Write errors meaning a reference we sent is not the child's (any more): forget and retry.
REFERENCE_ERROR_CODES = frozenset({1008, 14003, 10001})
UNMAPPED_RETRY_SECONDS = 5.0  # a folder / product the executor creates first (same or next run)
DUPLICATE_CHARACTERISTIC = 10002
SUPPLIER_KEY = "sync:suppliers:{child}"  # a hash: "<inn>:<kpp>" → the child's counterparty id
SUPPLIER_CANDIDATES = 10  # counterparties of one INN looked at (one is a match, more: none)


class MissingReference(Exception):
    """The child lacks what a payload must point to; `reason` says what an operator should do
    (the task fails). `retry_in` is None here; a ReferencePending carries seconds."""

    def __init__(self, reason: str, retry_in: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_in = retry_in


class ReferencePending(MissingReference):
    """What the payload points to is the executor's own work not done yet — a parent folder, a
    variant's product, a bundle component whose task has not run — not an operator's problem:
    retry in `retry_in` seconds (after the attempts limit it fails with the reason)."""

    def __init__(self, reason: str, retry_in: float = 0.0):
        super().__init__(reason, retry_in or UNMAPPED_RETRY_SECONDS)


def object_id(reference: Any) -> str | None:
    """The id a `{meta}` reference (or an object with `id`) points to."""
    if not isinstance(reference, Mapping):
        return None
    href = (reference.get("meta") or {}).get("href")
    if isinstance(href, str) and href:
        return href.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    value = reference.get("id")
    return value if isinstance(value, str) else None


def names(values: Any) -> frozenset[str]:
    """Normalized names of a settings list (junk entries ignored)."""
    items = values if isinstance(values, list) else []
    return frozenset(normalize_name(v) for v in items if isinstance(v, str) and v.strip())


class References:
    """One (main → child) pair's look-ups, cached for the run (and between runs in Redis)."""

    def __init__(
        self,
        *,
        redis: Redis,
        main_client: MoySkladClient,
        child_client: MoySkladClient,
        main_account_id: str,
        child_account_id: str,
        child_name: str | None = None,
        settings: Mapping[str, Any] | None = None,
        create_missing: bool = True,
    ):
        self.redis = redis
        self.main = Dictionaries(main_client, main_account_id, redis)
        self.child = Dictionaries(child_client, child_account_id, redis)
        self.child_client = child_client
        self.child_account_id = child_account_id
        self.child_name = child_name or child_account_id
        self.settings = dict(settings if settings is not None else {})
        self.create_missing = create_missing
        self.owned_price_types = names(self.settings.get("owned_price_types"))
        self.owned_attributes = names(self.settings.get("owned_attributes"))
        self.owned_fields = frozenset(self.settings.get("owned_fields") or ())
        self._mapped: dict[tuple[str, str], str | None] = {}

    # --- settings ---------------------------------------------------------------------------
    def setting(self, name: str, default: Any = None) -> Any:
        value = self.settings.get(name)
        return default if value is None else value

    def owns(self, field: str) -> bool:
        """Whether the child sets this standard field itself (never sent)."""
        return field in self.owned_fields

    def forget(self, kind: str | None = None) -> None:
        """Drop cached dictionaries of both accounts (every kind when None) and entity look-ups;
        the executor calls it when МойСклад refuses a reference (REFERENCE_ERROR_CODES)."""
        self.main.forget(kind)
        self.child.forget(kind)
        if kind is None:
            self._mapped.clear()
            self.redis.delete(SUPPLIER_KEY.format(child=self.child_account_id))

    refresh = forget

    # --- dictionaries -----------------------------------------------------------------------
    def price_type(self, main_price_type: Mapping) -> dict | None:
        """The child's price type for a main one; None when this child does not get it (not in
        a non-empty `price_mappings`, or a type the child owns)."""
        main = self._main_row(PRICE_TYPES, main_price_type)
        wanted = self._mapped_name(main, "price_mappings", "main_price_type", "child_price_type")
        if wanted is None:
            return None
        found = self.child.find(PRICE_TYPES, lambda p: _named(p, wanted))
        external = main.get("externalCode")
        if found is None and external:
            found = next((p for p in self.child.rows(PRICE_TYPES) if
                          p.get("externalCode") == external), None)  # fmt: skip
        if found is None:
            raise MissingReference(f"child {self.child_name} has no price type '{wanted}'")
        if normalize_name(found.get("name", "")) in self.owned_price_types:
            return None
        return {"meta": found["meta"]}

    def currency(self, main_currency: Mapping) -> dict:
        main = self._main_row(CURRENCIES, main_currency, "isoCode")
        iso = main.get("isoCode")
        found = self.child.find(CURRENCIES, lambda c: c.get("isoCode") == iso)
        if found is None:
            raise MissingReference(f"child {self.child_name} has no currency {iso}")
        return {"meta": found["meta"]}

    def uom(self, main_uom: Mapping) -> dict:
        return self._coded(UOMS, "unit of measure", main_uom)

    def country(self, main_country: Mapping) -> dict:
        return self._coded(COUNTRIES, "country", main_country)

    def attribute(self, entity_type: str, main_attribute: Mapping) -> dict | None:
        """The child's attribute metadata for a main attribute value (same name and type, or
        the mapped one); None when this child does not get it (unmapped, or owned)."""
        kind = attributes_kind(entity_type)
        main = dict(main_attribute)
        if not main.get("name") or not main.get("type"):
            main |= self._main_row(kind, main_attribute, "type")
        wanted = self._mapped_name(main, "attribute_mappings", "main_attribute", "child_attribute")
        if wanted is None:
            return None
        found = self.child.find(
            kind, lambda a: _named(a, wanted) and a.get("type") == main.get("type")
        )
        if found is None:
            other = next((a for a in self.child.rows(kind) if _named(a, wanted)), None)
            if other is not None:
                raise MissingReference(
                    f"child {self.child_name} has attribute '{other.get('name')}' of type "
                    f"{other.get('type')}, not {main.get('type')}"
                )
            raise MissingReference(
                f"child {self.child_name} has no attribute '{wanted}' ({main.get('type')})"
            )
        if normalize_name(found.get("name", "")) in self.owned_attributes:
            return None
        return {"meta": found["meta"]}

    def characteristic(self, main_characteristic: Mapping) -> dict:
        """The child's characteristic of the same name, created when missing (by name alone
        when this run writes nothing — МойСклад looks a characteristic up by its name)."""
        name = main_characteristic.get("name")
        if not name:
            name = self._main_row(CHARACTERISTICS, main_characteristic).get("name")
        found = self.child.find(CHARACTERISTICS, lambda c: _named(c, name))
        if found is None and self.create_missing:
            found = self._create_characteristic(name)
        return {"meta": found["meta"]} if found else {"name": name}

    def supplier(self, main_supplier: Mapping) -> dict | None:
        """The child's counterparty with the main supplier's INN (and KPP, when it has one):
        the same legal entity in the child's books. None when the child has none or several of
        them — it keeps its own supplier then; counterparties are not the sync's to create."""
        inn, kpp = main_supplier.get("inn"), main_supplier.get("kpp") or ""
        if not isinstance(inn, str) or not inn.strip():
            return None
        key, field = SUPPLIER_KEY.format(child=self.child_account_id), f"{inn}:{kpp}"
        cached = self.redis.hget(key, field)
        if cached is None:
            params = {"filter": f"inn={inn}", "limit": SUPPLIER_CANDIDATES}
            rows = self.child_client.get("/entity/counterparty", params).get("rows", [])
            rows = [r for r in rows if not kpp or r.get("kpp") == kpp]
            cached = (rows[0]["id"] if len(rows) == 1 else "").encode()
            self.redis.hset(key, field, cached)
            self.redis.expire(key, self.main.ttl, nx=True)
        child_id = cached.decode()
        return {"meta": self.entity_meta("counterparty", child_id)} if child_id else None

    # --- entities through entity_mappings ---------------------------------------------------
    def folder(self, main_folder: Mapping | None) -> dict | None:
        """The child's copy of a main folder (None: the root)."""
        if not main_folder:
            return None
        return self.mapped("productfolder", main_folder, "folder")

    def mapped(self, entity_type: str, main_reference: Mapping, what: str) -> dict:
        """The child's copy of a main entity; not copied yet → MissingReference to retry."""
        main_id = object_id(main_reference)
        key = (entity_type, main_id or "")
        if key not in self._mapped:
            found = child_entity_ids(self.child_account_id, entity_type, [main_id])
            self._mapped[key] = found.get(main_id)
        child_id = self._mapped[key]
        if child_id is None:
            label = main_reference.get("name") or main_id
            raise ReferencePending(
                f"child {self.child_name} has no copy of the {what} '{label}' yet"
            )
        return {"meta": self.entity_meta(entity_type, child_id)}

    def prefetch(self, entity_type: str, main_ids: list[str]) -> None:
        """Look many mappings up in one query (a batch's folders, products, components)."""
        wanted = [i for i in dict.fromkeys(main_ids) if i and (entity_type, i) not in self._mapped]
        if wanted:
            found = child_entity_ids(self.child_account_id, entity_type, wanted)
            self._mapped |= {(entity_type, i): found.get(i) for i in wanted}

    def entity_meta(self, entity_type: str, child_id: str) -> dict:
        return {
            "href": f"{self.child_client.api_url}/entity/{entity_type}/{child_id}",
            "type": entity_type,
            "mediaType": "application/json",
        }

    # --- helpers ----------------------------------------------------------------------------
    def _main_row(self, kind: str, reference: Mapping, key: str = "name") -> dict:
        """The main account's entry a reference points to; the reference itself when it carries
        the `key` the look-up goes by (a price type's name comes inline, a unit's code not)."""
        if reference.get(key) and (key != "type" or reference.get("name")):
            return dict(reference)
        wanted = object_id(reference)
        found = self.main.find(kind, lambda r: r.get("id") == wanted)
        if found is None:
            raise ReferencePending(
                f"the main account's {kind} {wanted} is gone (re-read the entity)"
            )
        return found

    def _mapped_name(self, main: Mapping, setting: str, main_key: str, child_key: str):
        """The child's name (or id) for a main dictionary entry; None: not for this child."""
        mappings = [m for m in self.setting(setting, []) if isinstance(m, Mapping)]
        mappings = [m for m in mappings if isinstance(m.get(main_key), str) and m[main_key]]
        if not mappings:
            return main.get("name")
        for entry in mappings:
            side = entry[main_key]
            if side == main.get("id") or normalize_name(side) == wanted_key(main.get("name")):
                child_side = entry.get(child_key)
                return (
                    child_side if isinstance(child_side, str) and child_side else main.get("name")
                )
        return None

    def _coded(self, kind: str, label: str, main_reference: Mapping) -> dict:
        main = self._main_row(kind, main_reference, "code")
        code = main.get("code")
        found = self.child.find(kind, lambda r: r.get("code") == code)
        if found is None:
            raise MissingReference(
                f"child {self.child_name} has no {label} '{main.get('name')}' (code {code})"
            )
        return {"meta": found["meta"]}

    def _create_characteristic(self, name: str) -> dict | None:
        path = "/entity/variant/metadata/characteristics"
        try:
            return self.child.added(CHARACTERISTICS, self.child_client.post(path, {"name": name}))
        except MoySkladRequestError as error:
            if error.code != DUPLICATE_CHARACTERISTIC:
                raise
        # Made meanwhile by another worker: read the list again.
        self.child.forget(CHARACTERISTICS)
        return next((c for c in self.child.rows(CHARACTERISTICS) if _named(c, name)), None)


def wanted_key(name: Any) -> str:
    return normalize_name(name) if isinstance(name, str) else ""


def _named(row: Mapping, wanted: Any) -> bool:
    """Whether a dictionary entry is the one wanted: by its id, or by its name."""
    return row.get("id") == wanted or wanted_key(row.get("name")) == wanted_key(wanted)


def open_references(
    context: JobContext,
    main_client: MoySkladClient,
    child_client: MoySkladClient,
    main_account_id: str,
    child_account_id: str,
    *,
    create_missing: bool = True,
) -> References:
    """References for a child with its name and sync settings (ownership included) from the
    database; `create_missing` False in shadow mode (nothing may be written to the child)."""
    account = get_account(child_account_id)
    return References(
        redis=context.redis,
        main_client=main_client,
        child_client=child_client,
        main_account_id=main_account_id,
        child_account_id=child_account_id,
        child_name=account.name if account else None,
        settings=child_sync_settings(child_account_id),
        create_missing=create_missing,
    )
