"""dispatch_due_tasks: the periodic job (every DISPATCH_INTERVAL seconds) that wakes the executor
of every target with due tasks — delayed ones (recreate), retried ones, those whose wake-up was
lost — and releases the claims of executors that died without a successor."""

from jobs.context import current
from jobs.sync import defaults
from jobs.sync.requeue import merge_superseded
from jobs.sync.wake import wake_target
from store.sync_tasks import due_targets, release_claims


def dispatch_due_tasks() -> dict:
    """Targets woken and claims released; a summary dict."""
    context = current()
    stale = release_claims(older_than=defaults.STALE_CLAIM_SECONDS)
    merged = merge_superseded(context.redis, stale)
    targets = due_targets()
    for target in targets:
        wake_target(context.redis, target)
    return {"woken": targets, "merged": merged}
