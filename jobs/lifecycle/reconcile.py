"""Planning a reconciliation: what МойСклад lists vs what an account wants → a list of steps.

Pure functions over МойСклад's webhook JSON. "Ours" = url starts with our receive prefix; every
other webhook belongs to another integration and is never part of a step.
"""

from dataclasses import dataclass, field

from jobs.lifecycle.webhook_sets import WantedWebhook

NO_DIFF = (None, "NONE")  # МойСклад may omit diffType or say NONE on non-UPDATE webhooks


@dataclass
class Step:
    entity_type: str
    action: str
    kind: str  # keep | create | enable | fix | delete
    wanted: WantedWebhook | None = None
    existing: dict | None = None
    changes: dict = field(default_factory=dict)  # body of the PUT for enable / fix
    findings: list[str] = field(default_factory=list)  # what check reports: missing, disabled...

    @property
    def key(self) -> tuple[str, str]:
        return (self.entity_type, self.action)


def is_ours(webhook: dict, prefix: str) -> bool:
    return str(webhook.get("url", "")).startswith(prefix)


def _diff_matches(webhook: dict, wanted: WantedWebhook) -> bool:
    actual = webhook.get("diffType")
    return actual in NO_DIFF if wanted.diff_type is None else actual == wanted.diff_type


def _best(candidates: list[dict], wanted: WantedWebhook) -> dict:
    """Of several of ours for one pair, keep the one needing the least change."""
    return max(
        candidates,
        key=lambda w: (
            w.get("url") == wanted.url,
            _diff_matches(w, wanted),
            bool(w.get("enabled")),
        ),
    )


def _step_for(wanted: WantedWebhook, existing: dict) -> Step:
    step = Step(wanted.entity_type, wanted.action, "keep", wanted, existing)
    if existing.get("url") != wanted.url:
        step.changes["url"] = wanted.url
        step.findings.append("wrong url")
    if not _diff_matches(existing, wanted):
        if wanted.diff_type is not None:
            step.changes["diffType"] = wanted.diff_type
        step.findings.append("wrong diffType")
    if step.changes:
        step.kind = "fix"
    if not existing.get("enabled", True):
        step.changes["enabled"] = True
        step.findings.insert(0, "disabled")
        step.kind = "fix" if step.kind == "fix" else "enable"
    return step


def plan_setup(
    wanted: dict[tuple[str, str], WantedWebhook], listed: list[dict], prefix: str
) -> list[Step]:
    """Keep / enable / fix / create what is wanted; delete ours that are unwanted or duplicated."""
    ours: dict[tuple[str, str], list[dict]] = {}
    for webhook in listed:
        if is_ours(webhook, prefix):
            key = (webhook.get("entityType"), webhook.get("action"))
            ours.setdefault(key, []).append(webhook)
    steps = []
    for key, want in wanted.items():
        candidates = ours.pop(key, [])
        if not candidates:
            steps.append(Step(*key, "create", want, findings=["missing"]))
            continue
        keep = _best(candidates, want)
        steps.append(_step_for(want, keep))
        steps += [
            Step(*key, "delete", None, w, findings=["duplicate"])
            for w in candidates
            if w is not keep
        ]
    for key, webhooks in ours.items():
        steps += [Step(*key, "delete", None, w, findings=["unwanted"]) for w in webhooks]
    return steps


def plan_reinstall(
    wanted: dict[tuple[str, str], WantedWebhook], listed: list[dict], prefix: str
) -> list[Step]:
    """Delete every one of ours, then create the whole wanted set."""
    deletes = [
        Step(w.get("entityType"), w.get("action"), "delete", None, w)
        for w in listed
        if is_ours(w, prefix)
    ]
    return deletes + [Step(*key, "create", want) for key, want in wanted.items()]


def foreign_count(listed: list[dict], prefix: str) -> int:
    return sum(1 for w in listed if not is_ours(w, prefix))
