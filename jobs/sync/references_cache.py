"""One account's dictionaries as the sync executor reads them, once per job run and shared
between runs (and workers) through Redis for a short while.

Kinds and where МойСклад serves them: price types `GET /context/companysettings/pricetype` (a
plain array, md/dictionaries/_pricetypes.md); currencies, units and countries `GET /entity/currency
|uom|country` (lists); custom attributes `GET /entity/<owner>/metadata/attributes` (product,
service and bundle share the product's, md/dictionaries/_product.md — Дополнительные поля);
variant characteristics `GET /entity/variant/metadata` (md/dictionaries/_characteristic.md —
Получить метаданные).
"""

import json
from collections.abc import Callable

from redis import Redis

from jobs.moysklad import MoySkladClient

REFERENCE_CACHE_SECONDS = 120  # dictionaries change rarely; a reference error forgets them sooner
CACHE_KEY = "sync:dictionary:{account}:{kind}"
PRICE_TYPES = "pricetype"
CURRENCIES = "currency"
UOMS = "uom"
COUNTRIES = "country"
CHARACTERISTICS = "characteristics"
ATTRIBUTE_OWNER = {"service": "product", "bundle": "product"}
# Every kind the sync reads (forgetting them all needs no scan of Redis).
KINDS = (PRICE_TYPES, CURRENCIES, UOMS, COUNTRIES, CHARACTERISTICS, "attributes:product")
# What a look-up needs of each row; the rest of МойСклад's answer is not kept.
KEPT = ("meta", "id", "name", "code", "isoCode", "externalCode", "type")


def attributes_kind(entity_type: str) -> str:
    """The cache kind of an entity type's attribute metadata (product, service, bundle: one)."""
    return f"attributes:{ATTRIBUTE_OWNER.get(entity_type, entity_type)}"


class Dictionaries:
    """Read-through cache of one account's dictionaries: memory for the run, Redis between runs."""

    def __init__(
        self,
        client: MoySkladClient,
        account_id: str,
        redis: Redis,
        ttl: int = REFERENCE_CACHE_SECONDS,
    ):
        self.client = client
        self.account_id = account_id
        self.redis = redis
        self.ttl = ttl
        self._rows: dict[str, list[dict]] = {}
        self._reread: set[str] = set()

    def rows(self, kind: str) -> list[dict]:
        """The dictionary's entries (only the fields look-ups need)."""
        if kind not in self._rows:
            key = self._key(kind)
            cached = self.redis.get(key)
            if cached is not None:
                self._rows[kind] = json.loads(cached)
            else:
                rows = [_kept(row) for row in self._read(kind) if isinstance(row, dict)]
                self.redis.set(key, json.dumps(rows, ensure_ascii=False), ex=self.ttl)
                self._rows[kind] = rows
        return self._rows[kind]

    def find(self, kind: str, matches: Callable[[dict], bool]) -> dict | None:
        """The first entry that matches; a miss reads the dictionary again, once per run, so an
        entry made since it was cached (the operator's fix) is found on the task's retry."""
        found = next((row for row in self.rows(kind) if matches(row)), None)
        if found is None and kind not in self._reread:
            self._reread.add(kind)
            self.forget(kind)
            found = next((row for row in self.rows(kind) if matches(row)), None)
        return found

    def added(self, kind: str, row: dict) -> dict:
        """Record an entry just created in the account (a characteristic); the entry as kept."""
        kept = _kept(row)
        self.rows(kind).append(kept)
        self.redis.delete(self._key(kind))
        return kept

    def forget(self, kind: str | None = None) -> None:
        """Drop the cached dictionary (every kind when None): the next look-up reads it again."""
        kinds = {kind} if kind else set(self._rows) | set(KINDS)
        for name in kinds:
            self._rows.pop(name, None)
        self.redis.delete(*(self._key(name) for name in kinds))

    def _key(self, kind: str) -> str:
        return CACHE_KEY.format(account=self.account_id, kind=kind)

    def _read(self, kind: str) -> list:
        readers: dict[str, Callable[[], list]] = {
            PRICE_TYPES: self.client.price_types,
            CHARACTERISTICS: lambda: self.client.get("/entity/variant/metadata").get(
                "characteristics", []
            ),
        }
        if kind in readers:
            return readers[kind]() or []
        if kind.startswith("attributes:"):
            owner = kind.split(":", 1)[1]
            return list(self.client.iter_rows(f"/entity/{owner}/metadata/attributes"))
        return list(self.client.iter_rows(f"/entity/{kind}"))


def _kept(row: dict) -> dict:
    return {name: row[name] for name in KEPT if name in row}
