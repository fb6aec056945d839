"""Loading what a CREATE's filters need: entities by id in batches of ≤ 100 (expanded only as
filters need), and the folder tree above them when a filter includes subfolders."""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from redis import Redis

from jobs import defaults
from jobs.filters.values import href_id
from store.sync_targets import ChildTarget

# What a filter may look at beyond the entity's own JSON, per type (jobs.filters.product_filter).
FILTER_EXPAND = {
    "product": "productFolder",
    "service": "productFolder",
    "bundle": "productFolder",
    "variant": "product.productFolder",
}
FOLDER_CACHE_SECONDS = 600  # folder id → parent id of a main account, kept in Redis
NAMES_CACHE_SECONDS = 600  # price type names of a main account, kept in Redis
ROOT = ""  # a cached "no parent"
# Whose custom attributes an entity type has: services and bundles share the products' (their
# attributes' meta points at /entity/product/metadata/attributes, dictionaries/_service.md);
# variants have characteristics instead, which updatedFields never names as attributes.
ATTRIBUTE_OWNER = {"product": "product", "service": "product", "bundle": "product"}


class EntityReader(Protocol):
    def get_entities(
        self, entity_type: str, ids: list[str], expand: str | None = None
    ) -> list[dict]: ...

    def price_types(self) -> list[dict]: ...

    def iter_rows(self, path: str, params: dict | None = None) -> Iterator[dict]: ...


@dataclass(frozen=True)
class Loaded:
    entities: dict[str, dict]  # id → entity JSON, for those that still exist
    folder_parents: dict[str, str | None] = field(default_factory=dict)


def load_for_filters(
    reader: EntityReader,
    redis: Redis,
    account_id: str,
    entity_type: str,
    ids: list[str],
    children: list[ChildTarget],
) -> Loaded:
    expand = FILTER_EXPAND.get(entity_type)
    entities: dict[str, dict] = {}
    for start in range(0, len(ids), defaults.ENTITY_LOAD_BATCH):
        batch = ids[start : start + defaults.ENTITY_LOAD_BATCH]
        for entity in reader.get_entities(entity_type, batch, expand=expand):
            entity_id = href_id(entity)
            if entity_id:
                entities[entity_id] = entity
    parents: dict[str, str | None] = {}
    if any(_includes_subfolders(child.settings.get("product_filter")) for child in children):
        parents = folder_tree(reader, redis, account_id, _folders_of(entities.values()))
    return Loaded(entities, parents)


def folder_tree(
    reader: EntityReader, redis: Redis, account_id: str, known: dict[str, str | None]
) -> dict[str, str | None]:
    """Folder id → parent id of the account's folders: the cached tree, re-read in one listing
    when it is missing or lacks an ancestor of the given folders (a folder created since)."""
    key = f"folders:{account_id}"
    cached = {k.decode(): (v.decode() or None) for k, v in redis.hgetall(key).items()}
    if cached and not _unknown_ancestors(cached | known):
        return cached | known
    tree = {
        folder_id: href_id(row.get("productFolder"))
        for row in reader.iter_rows("/entity/productfolder")
        if (folder_id := href_id(row))
    }
    if tree:
        pipe = redis.pipeline(transaction=False)
        pipe.delete(key)
        pipe.hset(key, mapping={k: v or ROOT for k, v in tree.items()})
        pipe.expire(key, FOLDER_CACHE_SECONDS)
        pipe.execute()
    return tree | known


class ApiReads:
    """What processing reads from a main account: entities for filters, price type and
    attribute names."""

    def __init__(self, reader_of: Callable[[str], EntityReader], redis: Redis):
        self._reader_of = reader_of
        self._redis = redis

    def load(self, account_id: str, entity_type: str, ids: list[str], children) -> Loaded:
        reader = self._reader_of(account_id)
        return load_for_filters(reader, self._redis, account_id, entity_type, ids, children)

    def price_type_names(self, account_id: str) -> frozenset[str]:
        """Names of the account's price types (cached): tells custom prices from attributes."""
        key = f"price_types:{account_id}"
        cached = self._redis.smembers(key)
        if cached:
            return frozenset(name.decode() for name in cached) - {ROOT}
        rows = self._reader_of(account_id).price_types()
        names = {row["name"] for row in rows if isinstance(row, dict) and row.get("name")}
        pipe = self._redis.pipeline(transaction=False)
        pipe.sadd(key, ROOT, *names)  # ROOT keeps an account without price types cached too
        pipe.expire(key, NAMES_CACHE_SECONDS)
        pipe.execute()
        return frozenset(names)

    def attribute_names(self, account_id: str, entity_type: str) -> dict[str, str]:
        """id → display name of the custom attributes of the type (cached): tells attributes from
        unknown names, and resolves mappings that name their main attribute by id."""
        owner = ATTRIBUTE_OWNER.get(entity_type)
        if owner is None:
            return {}
        key = f"attributes:{account_id}:{owner}"
        cached = self._redis.hgetall(key)
        if cached:
            return {k.decode(): v.decode() for k, v in cached.items() if k.decode() != ROOT}
        rows = self._reader_of(account_id).iter_rows(f"/entity/{owner}/metadata/attributes")
        names = {
            row["id"]: row["name"]
            for row in rows
            if isinstance(row, dict) and row.get("id") and row.get("name")
        }
        pipe = self._redis.pipeline(transaction=False)
        pipe.hset(key, mapping={ROOT: ROOT, **names})  # ROOT: an account without any is cached
        pipe.expire(key, NAMES_CACHE_SECONDS)
        pipe.execute()
        return names


def _folders_of(entities: Iterable[Mapping]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for entity in entities:
        subject = entity.get("product") if isinstance(entity.get("product"), Mapping) else entity
        folder = subject.get("productFolder")
        folder_id = href_id(folder)
        if folder_id and isinstance(folder, Mapping) and "name" in folder:  # came expanded
            found[folder_id] = href_id(folder.get("productFolder"))
    return found


def _unknown_ancestors(parents: Mapping[str, str | None]) -> set[str]:
    return {parent for parent in parents.values() if parent and parent not in parents}


def _includes_subfolders(node: Any) -> bool:
    if isinstance(node, Mapping):
        if node.get("field") == "folder" and node.get("include_subfolders"):
            return True
        return any(_includes_subfolders(value) for value in node.values())
    if isinstance(node, list):
        return any(_includes_subfolders(item) for item in node)
    return False
