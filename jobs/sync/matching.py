"""Linking instead of duplicating: before creating, find the child's entities that already are
the main ones — by the child's match field (one filtered GET per batch of values, e.g.
`filter=code=a;code=b`: a repeated field is OR in МойСклад's filter), and, for types without
syncId (variant, productfolder), by the externalCode a create of ours carries (a crash between a
write and its mapping leaves such a copy behind)."""

from urllib.parse import quote

from jobs.moysklad import MoySkladClient
from jobs.sync import defaults
from jobs.sync.sync_ids import SYNC_ID_TYPES

# The match fields each type has (md/dictionaries/_product.md, _service.md, _bundle.md,
# _variant.md, _productFolder.md); a type lacking the child's choice is matched by externalCode.
TYPE_FIELDS = {
    "product": ("externalCode", "code", "article", "name"),
    "service": ("externalCode", "code", "name"),
    "bundle": ("externalCode", "code", "article", "name"),
    "variant": ("externalCode", "code", "name"),
    "productfolder": ("externalCode", "code", "name"),
}
# Characters that would split or end a filter condition: such a value cannot be looked up.
UNFILTERABLE = (";", "=")
MAX_FILTER_CHARS = 6000  # of one filter parameter: headers and URL stay well under 8 KB


def match_field_for(entity_type: str, match_field: str) -> str:
    fields = TYPE_FIELDS.get(entity_type, ("externalCode",))
    return match_field if match_field in fields else "externalCode"


def lookup_fields(entity_type: str, match_field: str) -> list[str]:
    """The fields a create of this type is looked up by, in order of trust."""
    fields = [match_field_for(entity_type, match_field)]
    if entity_type not in SYNC_ID_TYPES and "externalCode" not in fields:
        fields.insert(0, "externalCode")
    return fields


class ChildCatalogue:
    """A child's entities of one type, listed once per executor run when the whole catalogue
    fits one page (a new franchisee's usually does): then every batch of creates of the run is
    matched against it without a request of its own. A larger catalogue is matched by filtered
    GETs per batch."""

    def __init__(self, client: MoySkladClient, entity_type: str):
        self.client, self.entity_type = client, entity_type
        self.rows: list[dict] | None = None
        self.tried = False

    def listed(self) -> list[dict] | None:
        """Every entity of the type (archived too), or None when there are too many to list."""
        if not self.tried:
            self.tried = True
            params = {"filter": "archived=true;archived=false"}
            params["limit"] = defaults.CATALOGUE_LIST_LIMIT
            page = self.client.get(f"/entity/{self.entity_type}", params)
            if not page.get("meta", {}).get("nextHref"):
                self.rows = page.get("rows", [])
        return self.rows

    def added(self, row: dict) -> None:
        """An entity the run itself made (so a later batch of the run sees it)."""
        if self.rows is not None:
            self.rows.append(row)


def find_existing(
    client: MoySkladClient,
    entity_type: str,
    match_field: str,
    entities: dict[str, dict],
    taken: set[str] = frozenset(),
    catalogue: ChildCatalogue | None = None,
) -> dict[str, dict]:
    """main id → the child's entity it already is, for the `entities` (main id → main entity)
    about to be created. A child entity is linked to one main entity only; `taken` are child ids
    already mapped to others."""
    found: dict[str, dict] = {}
    used = set(taken)
    for field in lookup_fields(entity_type, match_field):
        wanted: dict[str, list[str]] = {}
        for main_id, entity in entities.items():
            value = entity.get(field)
            if main_id in found or not isinstance(value, str) or not value.strip():
                continue
            if any(c in value for c in UNFILTERABLE):
                continue
            wanted.setdefault(value, []).append(main_id)
        if not wanted:
            continue
        listed = catalogue.listed() if catalogue is not None else None
        values = list(wanted)
        pages = [listed] if listed is not None else _lookups(client, entity_type, field, values)
        for rows in pages:
            for row in rows:
                for main_id in wanted.get(row.get(field), []):
                    if main_id not in found and row["id"] not in used:
                        found[main_id] = row
                        used.add(row["id"])
                        break
    return found


def _lookups(client: MoySkladClient, entity_type: str, field: str, values: list[str]):
    """One GET per chunk of values (by count and by length)."""
    chunk: list[str] = []
    length = 0
    for value in values:
        part = len(quote(field)) + len(quote(value)) + 3  # as it travels in the URL
        if chunk and (
            len(chunk) >= defaults.MATCH_VALUES_PER_GET or length + part > MAX_FILTER_CHARS
        ):
            yield _get(client, entity_type, field, chunk)
            chunk, length = [], 0
        chunk.append(value)
        length += part
    if chunk:
        yield _get(client, entity_type, field, chunk)


def _get(client: MoySkladClient, entity_type: str, field: str, values: list[str]) -> list[dict]:
    # Archived ones too: a code the child archived is still taken.
    conditions = ";".join(f"{field}={value}" for value in values)
    params = {"filter": f"{conditions};archived=true;archived=false", "limit": 1000}
    return client.get(f"/entity/{entity_type}", params).get("rows", [])
