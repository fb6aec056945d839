"""dispatch_due_tasks: the periodic job (every DISPATCH_INTERVAL seconds) that wakes the executor
of every target with due tasks — delayed ones (recreate), retried ones, those whose wake-up was
lost — and releases the claims of executors that died.

An executor holds its target's lock (jobs.sync.target_lock) from before it claims until after it
has recorded every claimed task, so a claim older than the lock's lifetime on a target whose lock
nobody holds was left by a run that was killed: it goes back to pending (or is merged into its
entity's newer task) at once, and its target is woken with the others. Waiting for a successor
run is not enough — when the killed run had claimed every due task, nothing else would wake the
target until the claim outlived a job's whole timeout (STALE_CLAIM_SECONDS, still the backstop)."""

from jobs.context import current
from jobs.sync import defaults
from jobs.sync.requeue import merge_superseded
from jobs.sync.target_lock import TargetLock
from jobs.sync.wake import wake_target
from store.sync_tasks import claiming_targets, due_targets, release_claims


def dispatch_due_tasks() -> dict:
    """Targets woken, claims released and merged; a summary dict."""
    context = current()
    stale = release_claims(older_than=defaults.STALE_CLAIM_SECONDS)
    orphaned = [
        target
        for target in claiming_targets(older_than=defaults.TARGET_LOCK_TTL)
        if not TargetLock(context.redis, target).held_elsewhere()
    ]
    for target in orphaned:
        stale += release_claims(target, older_than=defaults.TARGET_LOCK_TTL)
    merged = merge_superseded(context.redis, stale)
    targets = due_targets()
    for target in targets:
        wake_target(context.redis, target)
    return {"woken": targets, "orphaned": orphaned, "merged": merged}
