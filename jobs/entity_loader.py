"""Loading the entities a CREATE needs: batched by id, expanded only as children's filters need."""

from jobs.context import JobContext
from jobs.main_events import EntityLoader
from store.sync_targets import ChildTarget

# What a filter may look at beyond the entity's own JSON, per type (see jobs.filters).
FILTER_EXPAND = {
    "product": "productFolder",
    "service": "productFolder",
    "bundle": "productFolder",
    "variant": "product.productFolder",
}


def expand_for(entity_type: str, children: list[ChildTarget]) -> str | None:
    """The expand a load needs: none unless some child filters on what only it provides."""
    if not any(child.settings.get("product_filter") for child in children):
        return None
    return FILTER_EXPAND.get(entity_type)


def entity_loader(context: JobContext) -> EntityLoader:
    def load(account_id: str, entity_type: str, ids: list[str], children) -> dict[str, dict]:
        raise NotImplementedError

    return load
