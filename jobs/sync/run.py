"""One executor run for one child: its clients, mode, match field and reference look-ups."""

from dataclasses import dataclass, field

from redis import Redis

from jobs.context import JobContext
from jobs.moysklad import MoySkladClient, client_for_account
from jobs.sync.matching import ChildCatalogue
from jobs.sync.references import References, open_references
from store.account_edits import get_sync_settings

LIVE, SHADOW, OFF = "live", "shadow", "off"


@dataclass
class ChildRun:
    context: JobContext
    child_id: str
    main_id: str
    mode: str  # live | shadow
    main_client: MoySkladClient
    child_client: MoySkladClient
    match_field: str = "code"
    catalogues: dict[str, ChildCatalogue] = field(default_factory=dict)  # for the whole job
    _references: list[References] = field(default_factory=list)

    @property
    def redis(self) -> Redis:
        return self.context.redis

    @property
    def live(self) -> bool:
        return self.mode == LIVE

    def references(self) -> References:
        """Fresh look-ups for a group of tasks (the mappings the previous group wrote are seen;
        the dictionaries come from the shared cache)."""
        references = open_references(
            self.context,
            self.main_client,
            self.child_client,
            self.main_id,
            self.child_id,
            create_missing=self.live,
        )
        self._references.append(references)
        return references

    def catalogue(self, entity_type: str) -> ChildCatalogue:
        if entity_type not in self.catalogues:
            self.catalogues[entity_type] = ChildCatalogue(self.child_client, entity_type)
        return self.catalogues[entity_type]

    def forget_references(self) -> None:
        """МойСклад refused a reference: the next look-ups read the dictionaries again."""
        if self._references:
            self._references[-1].forget()


def open_child_run(
    context: JobContext, child_id: str, main_id: str, mode: str, catalogues: dict | None = None
) -> ChildRun:
    """`catalogues`: the job's listed child catalogues (kept across its rounds)."""
    settings = get_sync_settings(child_id)
    return ChildRun(
        context,
        child_id,
        main_id,
        mode,
        main_client=client_for_account(context, main_id),
        child_client=client_for_account(context, child_id),
        match_field=settings.get("match_field") or "code",
        catalogues=catalogues if catalogues is not None else {},
    )
