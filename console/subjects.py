"""An alert's subject in words (account names, not UUIDs) and the Logs filter that shows it."""

from jobs.processing.loop_detector import RULE as LOOP_RULE

ACTIONS = ("CREATE", "UPDATE", "DELETE", "PROCESSED")
# Subjects that are not an account's: what part of the pipeline, and the logs that explain it.
PIPELINE_SUBJECTS = {
    "queue:webhooks": ("queue webhooks", {"status": "received"}),
    "webhook_logs": ("webhook logs", {"status": "processing"}),
    "receiver": ("receiver", {}),
}


def describe_subject(rule: str, subject: str, names: dict[str, str]) -> tuple[str, dict]:
    """("Main shop · product UPDATE", {"account": …, "entity_type": …, "action": …})."""
    if subject in PIPELINE_SUBJECTS:
        text, filters = PIPELINE_SUBJECTS[subject]
        if rule == "oldest_unprocessed":
            filters = {"status": "received"}
        return text, dict(filters)
    if subject.startswith("account:"):
        account_id = subject.removeprefix("account:")
        return f"account {names.get(account_id, account_id)}", {"account": account_id}
    account_id, _, rest = subject.partition(":")
    entity_type, _, last = rest.partition(":")
    account = names.get(account_id, account_id)
    filters = {"account": account_id, "entity_type": entity_type}
    if rule == LOOP_RULE or last not in ACTIONS:
        return f"{account} · {entity_type} {last}", filters | {"search": last}
    return f"{account} · {entity_type} {last} webhook", filters | {"action": last}
