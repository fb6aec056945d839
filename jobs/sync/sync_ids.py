"""Deterministic syncIds: the same create of the same entity for the same child is always the
same uuid, so sending it again (a retry, a crash before the mapping was written) makes nothing
new."""

import uuid

# Types whose create takes a syncId (md/_general.md — Назначение поля syncId; MOYSKLAD.md §8).
SYNC_ID_TYPES = frozenset({"product", "service", "bundle"})
NAMESPACE = uuid.UUID("6f0b8b52-3f2c-4d6e-9a51-1c5ad9c0e613")  # this product's; never change it


def sync_id(
    main_account_id: str,
    child_account_id: str,
    entity_type: str,
    main_entity_id: str,
    replacing: str | None = None,
) -> str:
    """uuid5 of (main, child, type, main id); `replacing`: the child's id of a copy that was
    deleted, so a re-creation is a create of its own (and just as repeatable)."""
    name = f"{main_account_id}/{child_account_id}/{entity_type}/{main_entity_id}"
    if replacing:
        name += f"/replacing/{replacing}"
    return str(uuid.uuid5(NAMESPACE, name))
