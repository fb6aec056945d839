"""`python -m scripts.sync retry | apply | mode` (the parser is in scripts/sync.py, status in
scripts/sync_status.py)."""

import sys
from collections import Counter

from tabulate import tabulate
from tqdm import tqdm

from jobs.context import JobContext
from jobs.sync.retries import retry_failed_tasks
from store.accounts import AccountError, get_account
from store.audit import record_action
from store.models import SyncTask
from store.sync_modes import get_sync_mode, set_sync_mode
from store.sync_reports import (
    TaskFilter,
    lag_by_target,
)
from store.sync_retries import count_requeueable

APPLY_COUNTS = ("claimed", "completed", "failed", "retry", "wait", "cancelled")


def run_retry(args, context: JobContext) -> int:
    if args.task is not None:
        task = SyncTask.get_or_none(SyncTask.id == args.task)
        if task is None or task.status != "failed":
            found = f"its status is {task.status}" if task else "there is no such task"
            print(f"error: task {args.task} cannot be retried: {found}", file=sys.stderr)
            return 1
    task_filter = TaskFilter(
        target_account_id=args.child, task_id=args.task, entity_type=args.entity_type
    )
    if args.dry_run:
        would, left = count_requeueable(task_filter)
        print(f"{would} failed task(s) would be re-queued, {left} left (a newer task of the"
              " same entity is pending); dry run: nothing queued")  # fmt: skip
        return 0
    retried = retry_failed_tasks(context.redis, task_filter)
    done = retried.requeued
    names = ", ".join(get_account(target).name for target in retried.woken) or "none"
    result = f"{len(done.tasks)} failed task(s) re-queued; executor woken for: {names}"
    if resting := sorted(set(done.targets) - set(retried.woken)):
        names = ", ".join(get_account(target).name for target in resting)
        result += f"; not woken (sync mode off or not active): {names}"
    details = {k: v for k, v in vars(task_filter).items() if v is not None}
    target = f"sync:task:{args.task}" if args.task is not None else "sync:tasks"
    record_action(args.actor, "cli", "retry sync tasks", target, details, f"ok: {result}")
    print(result)
    for task_id, pending_id in done.left:
        print(f"left failed: task {task_id} — task {pending_id} of the same entity is pending")
    return 0


def run_apply(args, context: JobContext) -> int:
    try:
        from jobs.sync.executor import apply_sync_tasks  # helper 13's executor, loaded on use
    except ImportError as exc:
        if exc.name not in ("jobs.sync.executor", "jobs.sync"):
            raise
        print("error: the sync executor (jobs.sync.executor) is not in this checkout",
              file=sys.stderr)  # fmt: skip
        return 1
    account = get_account(args.child)
    if account.sync_mode == "off":
        switch = f"python -m scripts.sync mode --child {account.id} shadow|live"
        print(f"error: {account.name} is in sync mode off: nothing is applied ({switch})",
              file=sys.stderr)  # fmt: skip
        return 1
    due = next((r["due"] for r in lag_by_target() if r["target_account_id"] == args.child), 0)
    totals: Counter = Counter()
    remaining = 0
    desc = f"{account.name} ({account.sync_mode})"
    with tqdm(total=due, unit="task", desc=desc, file=sys.stderr, disable=None) as bar:
        while True:
            result = apply_sync_tasks(args.child)
            if result.get("busy"):
                print("another run is applying this child's tasks now; it goes on there",
                      file=sys.stderr)  # fmt: skip
                break
            totals.update({name: result.get(name, 0) for name in APPLY_COUNTS})
            remaining = result.get("remaining", 0)
            finished = sum(result.get(name, 0) for name in ("completed", "failed", "cancelled"))
            bar.update(finished)
            # Stop when nothing is due, or a round only put its tasks back to wait.
            if not result.get("claimed") or not remaining or not finished:
                break
    print(tabulate([[totals[name] for name in APPLY_COUNTS] + [remaining]],
                   headers=[*APPLY_COUNTS, "remaining"]))  # fmt: skip
    return 1 if totals["failed"] else 0


def run_mode(args, context: JobContext) -> int:
    if args.mode is None:
        print(get_sync_mode(args.child))
        return 0
    try:
        change = set_sync_mode(args.child, args.mode, args.actor, "cli")
    except AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(change.describe())
    return 0
