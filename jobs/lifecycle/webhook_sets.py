"""The webhooks each account type wants: (entity type, action) → diffType."""

from dataclasses import dataclass

ACTIONS = ("CREATE", "UPDATE", "DELETE")
MAIN_ENTITY_TYPES = ("product", "service", "variant", "bundle", "productfolder")
CHILD_DOCUMENT_TYPES = ("customerorder", "retaildemand", "purchaseorder")
CHILD_DELETE_TYPES = ("product", "service", "variant", "bundle")  # self-heal of synced entities
# UPDATE webhooks without diffType FIELDS never carry updatedFields: every UPDATE gets it.
UPDATE_DIFF_TYPE = "FIELDS"


@dataclass(frozen=True)
class WantedWebhook:
    entity_type: str
    action: str
    url: str

    @property
    def diff_type(self) -> str | None:
        return UPDATE_DIFF_TYPE if self.action == "UPDATE" else None

    @property
    def key(self) -> tuple[str, str]:
        return (self.entity_type, self.action)


def wanted_pairs(account_type: str | None) -> list[tuple[str, str]]:
    """(entity type, action) pairs of an account type; none for an account without a type."""
    if account_type == "main":
        return [(t, a) for t in MAIN_ENTITY_TYPES for a in ACTIONS]
    if account_type == "child":
        documents = [(t, a) for t in CHILD_DOCUMENT_TYPES for a in ACTIONS]
        return documents + [(t, "DELETE") for t in CHILD_DELETE_TYPES]
    return []


def wanted_webhooks(account_type: str | None, url: str) -> dict[tuple[str, str], WantedWebhook]:
    return {(t, a): WantedWebhook(t, a, url) for t, a in wanted_pairs(account_type)}
