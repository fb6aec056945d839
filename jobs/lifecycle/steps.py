"""Carrying out one reconciliation step against МойСклад, and its line in the report."""

from jobs.lifecycle.reconcile import Step
from jobs.moysklad import MoySkladClient, MoySkladError, MoySkladRequestError

OUTCOMES = {"keep": "kept", "create": "created", "enable": "re-enabled", "fix": "fixed"}


def apply_step(
    api: MoySkladClient, step: Step
) -> tuple[dict, tuple[Step, dict | None, str | None]]:
    """Run one step; (report row, (step, webhook as МойСклад has it now, error))."""
    try:
        if step.kind == "keep":
            return report_row(step, "kept"), (step, step.existing, None)
        if step.kind == "delete":
            api.delete_webhook(step.existing["id"])
            return report_row(step, "deleted"), (step, None, None)
        if step.kind == "create":
            return report_row(step, "created"), (step, _create(api, step), None)
        try:
            updated = api.update_webhook(step.existing["id"], **step.changes)
            return report_row(step, OUTCOMES[step.kind]), (step, updated, None)
        except MoySkladRequestError:
            if step.kind != "fix":
                raise
            # A change МойСклад does not accept in place: replace the webhook.
            api.delete_webhook(step.existing["id"])
            created = _create(api, step)
            return report_row(step, "fixed (recreated)"), (step, created, None)
    except MoySkladError as exc:
        existing = None if step.kind == "create" else step.existing
        return report_row(step, "error", str(exc)), (step, existing, str(exc))


def _create(api: MoySkladClient, step: Step) -> dict:
    wanted = step.wanted
    return api.create_webhook(wanted.url, step.entity_type, step.action, wanted.diff_type)


def report_row(step: Step, outcome: str, error: str | None = None) -> dict:
    row = {"entity_type": step.entity_type, "action": step.action, "outcome": outcome}
    if step.findings:
        row["found"] = ", ".join(step.findings)
    return row | ({"error": error} if error else {})
