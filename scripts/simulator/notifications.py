"""The bodies МойСклад posts to webhooks: which webhooks a change reaches, and their events."""

import uuid
from collections.abc import Callable

from scripts.simulator.catalog import Change
from scripts.simulator.hrefs import moment


def audit_context(account_id: str) -> dict:
    """`auditContext` with a relative href (the caller renders it)."""
    audit = {"type": "audit", "href": f"/audit/{uuid.uuid4()}"}
    return {"meta": audit, "moment": moment(), "uid": f"admin@{account_id[:8]}"}


def event(account_id: str, change: Change, with_fields: bool) -> dict:
    href = f"/entity/{change.entity_type}/{change.entity_id}"
    body = {"meta": {"type": change.entity_type, "href": href}}
    body |= {"action": change.action, "accountId": account_id}
    if with_fields and change.action == "UPDATE":
        body["updatedFields"] = list(change.updated_fields)
    return body


def bodies(
    account_id: str,
    hooks: list[dict],
    changes: list[Change | None],
    prefixes: tuple[str, ...],
    render: Callable,
) -> list[tuple[dict, dict]]:
    """(webhook, body) for each enabled webhook a change reaches and the request did not silence."""
    result = []
    for hook in hooks:
        if not hook["enabled"] or (prefixes and hook["url"].startswith(prefixes)):
            continue
        wanted = (hook["entityType"], hook["action"])
        with_fields = hook.get("diffType") == "FIELDS"
        events = [
            event(account_id, change, with_fields)
            for change in changes
            if change and (change.entity_type, change.action) == wanted
        ]
        if events:
            result.append(
                (hook, render({"auditContext": audit_context(account_id), "events": events}))
            )
    return result
