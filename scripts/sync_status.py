"""`python -m scripts.sync status`: tasks by status per target, the last hour's latency, failed
tasks with their reasons, the executor's health findings."""

from datetime import UTC, datetime, timedelta

from tabulate import tabulate

from jobs.context import JobContext
from jobs.monitoring.executor_health import DOWN, executor_findings
from store.sync_latency import summarize_sync
from store.sync_reports import STATUSES, TaskFilter, failed_tasks, lag_by_target, tasks_by_status

FINISHED_HOURS = 24  # status counts completed and cancelled tasks of this window
REASON_WIDTH = 100


def run_status(args, context: JobContext) -> int:
    counts: dict[str, dict] = {}
    day_ago = datetime.now(UTC) - timedelta(hours=FINISHED_HOURS)
    for row in tasks_by_status(args.child, finished_since=day_ago):
        counts.setdefault(row["target_account_id"], {"row": row})[row["status"]] = row["tasks"]
    lags = {row["target_account_id"]: row for row in lag_by_target()}
    rows = []
    for target, found in counts.items():
        lag = lags.get(target)
        rows.append(
            [found["row"]["name"] or target, found["row"]["sync_mode"]]
            + [found.get(status, 0) for status in STATUSES]
            + [lag["due"] if lag else 0, seconds(lag["lag_seconds"]) if lag else "-"]
        )
    print(tabulate(rows, headers=["target", "mode", *STATUSES, "due", "lag"]) or "no sync tasks")
    print(f"(completed and cancelled: the last {FINISHED_HOURS} h)")
    hour = summarize_sync(datetime.now(UTC) - timedelta(hours=1), args.child)
    print(
        f"\nlast hour: {hour['completed']} completed, {hour['failed']} failed;"
        f" main change → child write p50 {seconds(hour['p50'])}, p95 {seconds(hour['p95'])},"
        f" p99 {seconds(hour['p99'])}"
    )
    failed = sum(found.get("failed", 0) for found in counts.values())
    if failed:
        shown = failed_tasks(TaskFilter(target_account_id=args.child), limit=args.failed)
        print(f"\n{failed} failed task(s) (python -m scripts.sync retry); newest first:")
        print(tabulate([failed_row(task) for task in shown], headers=FAILED_HEADERS))
    findings = executor_findings(redis=context.redis)
    print("\nexecutor:" + ("" if findings else " healthy"))
    for finding in findings:
        print(f"  {finding.severity}: {finding.reason}")
    down = any(finding.severity == DOWN for finding in findings)
    return 1 if failed or down else 0


FAILED_HEADERS = ["task", "target", "entity", "operation", "attempts", "failed at (UTC)", "reason"]


def failed_row(task: dict) -> list:
    finished = f"{task['finished_at'].astimezone(UTC):%F %T}" if task["finished_at"] else "-"
    reason = (task["error"] or "-")[:REASON_WIDTH]
    entity = f"{task['entity_type']} {task['entity_id']}"
    return [task["id"], task["target_name"], entity, task["operation"], task["attempts"],
            finished, reason]  # fmt: skip


def seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.1f} s" if value < 120 else f"{value / 60:.0f} min"
