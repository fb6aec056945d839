"""Translating the main account's references into one child's own objects (MOYSKLAD.md §8).

Ids of price types, currencies, units, countries, attribute metadata, characteristics and of
every entity are per account, so each reference a payload carries is looked up in the child:
price types by name (or the child's `price_mappings`), currencies by `isoCode`, units and
countries by `code`, attributes by name and type (or `attribute_mappings`), characteristics by
name (a missing one is created, as MOYSKLAD.md §8 says, unless the run writes nothing), folders,
a variant's product and bundle components through `entity_mappings`. Names compare as
processing compares them (case-insensitive, outer spaces ignored).
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
UNMAPPED_RETRY_SECONDS = 30.0  # a folder / product being created by an earlier task
DUPLICATE_CHARACTERISTIC = 10002


class MissingReference(Exception):
    """The child lacks what a payload must point to; `reason` says what an operator should do.

    `retry_in` None: final until someone acts (the task fails); seconds: it is being made (a
    folder or product whose own task has not run yet), try again then.
    """

    def __init__(self, reason: str, retry_in: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_in = retry_in


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

    refresh = forget

    # --- dictionaries -----------------------------------------------------------------------
    def price_type(self, main_price_type: Mapping) -> dict | None:
        """The child's price type for a main one; None when this child does not get it (not in
        a non-empty `price_mappings`, or a type the child owns)."""
        main = self._main_row(PRICE_TYPES, main_price_type)
        wanted = self._mapped_name(main, "price_mappings", "main_price_type", "child_price_type")
        if wanted is None:
            return None
        found = _find(self.child.rows(PRICE_TYPES), wanted)
        if found is None and main.get("externalCode"):
            found = next(
                (
                    p
                    for p in self.child.rows(PRICE_TYPES)
                    if p.get("externalCode") == main["externalCode"]
                ),
                None,
            )
        if found is None:
            raise MissingReference(f"child {self.child_name} has no price type '{wanted}'")
        if normalize_name(found.get("name", "")) in self.owned_price_types:
            return None
        return {"meta": found["meta"]}

    def currency(self, main_currency: Mapping) -> dict:
        main = self._main_row(CURRENCIES, main_currency)
        iso = main.get("isoCode")
        found = next((c for c in self.child.rows(CURRENCIES) if c.get("isoCode") == iso), None)
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
            main |= self._main_row(kind, main_attribute)
        wanted = self._mapped_name(main, "attribute_mappings", "main_attribute", "child_attribute")
        if wanted is None:
            return None
        candidates = [
            a
            for a in self.child.rows(kind)
            if a.get("id") == wanted or normalize_name(a.get("name", "")) == wanted_key(wanted)
        ]
        found = next((a for a in candidates if a.get("type") == main.get("type")), None)
        if found is None and candidates:
            raise MissingReference(
                f"child {self.child_name} has attribute '{candidates[0].get('name')}' of type "
                f"{candidates[0].get('type')}, not {main.get('type')}"
            )
        if found is None:
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
        found = _find(self.child.rows(CHARACTERISTICS), name)
        if found is None and self.create_missing:
            found = self._create_characteristic(name)
        return {"meta": found["meta"]} if found else {"name": name}

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
            raise MissingReference(
                f"child {self.child_name} has no copy of the {what} '{label}' yet",
                retry_in=UNMAPPED_RETRY_SECONDS,
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
    def _main_row(self, kind: str, reference: Mapping) -> dict:
        """The main account's entry a reference points to (inline fields when it has them)."""
        if reference.get("name") or reference.get("isoCode") or reference.get("code"):
            return dict(reference)
        wanted = object_id(reference)
        found = next((r for r in self.main.rows(kind) if r.get("id") == wanted), None)
        if found is None:
            raise MissingReference(
                f"the main account's {kind} {wanted} is gone (re-read the entity)",
                retry_in=UNMAPPED_RETRY_SECONDS,
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
                return child_side if isinstance(child_side, str) and child_side else side
        return None

    def _coded(self, kind: str, label: str, main_reference: Mapping) -> dict:
        main = self._main_row(kind, main_reference)
        code = main.get("code")
        found = next((r for r in self.child.rows(kind) if r.get("code") == code), None)
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
        return _find(self.child.rows(CHARACTERISTICS), name)


def wanted_key(name: Any) -> str:
    return normalize_name(name) if isinstance(name, str) else ""


def _find(rows: list[dict], wanted: Any) -> dict | None:
    """The row whose id is `wanted`, else the one of that name."""
    by_id = next((r for r in rows if r.get("id") == wanted), None)
    return by_id or next((r for r in rows if wanted_key(r.get("name")) == wanted_key(wanted)), None)


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
