"""A child's catalogue as a whole: `full` (link what it has, queue the rest), `verify` (compare
every synced field, `--repair` queues the fixes) and `send-without-unmapped` (a waiting order
goes to main without the positions that have no mapping).

Hooked into `python -m scripts.sync` by `add_commands(subparsers)` (each sub-parser sets
`run(args, context) -> exit code`); `python -m scripts.sync_catalog ...` runs them on its own.
Exit status: 1 when the run found something an operator must look at (ambiguous or conflicting
matches, differences left unrepaired, a refusal), 0 otherwise."""

import argparse
import getpass
import json
import sys

from tabulate import tabulate
from tqdm import tqdm

from jobs.context import JobContext, configure
from jobs.sync.full_sync import FullSyncError, FullSyncReport, plan_full_sync
from jobs.sync.orders_waivers import OrderActionError, send_order_without_unmapped
from jobs.sync.verify import VerifyError, VerifyReport, verify_child
from store.settings import load_settings

COLUMNS = ("main_total", "filtered_out", "already_linked", "linked", "to_create", "to_update")
COLUMNS += ("broken",)


class Bar:
    """A tqdm bar per stage, on a terminal only (cron and logs get the report alone)."""

    def __init__(self):
        self.enabled = sys.stderr.isatty()
        self.bars: dict[str, tqdm] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(desc=stage, unit="row", file=sys.stderr, leave=False)
        if total:
            bar.total = total
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


def add_commands(subparsers) -> None:
    full = subparsers.add_parser("full", help="a child's full sync: link by match field, queue")
    full.add_argument("--child", required=True, help="the child account's id")
    full.add_argument("--dry-run", action="store_true", help="report only: no link, no task")
    full.add_argument("--json", action="store_true", help="print the report as JSON")
    full.set_defaults(run=run_full)
    verify = subparsers.add_parser("verify", help="compare main and a child, field by field")
    verify.add_argument("--child", required=True, help="the child account's id")
    verify.add_argument("--repair", action="store_true", help="queue the tasks that fix it")
    verify.add_argument("--json", action="store_true", help="print the report as JSON")
    verify.set_defaults(run=run_verify)
    send = subparsers.add_parser(
        "send-without-unmapped", help="send a waiting order without its unmapped positions"
    )
    send.add_argument("task_id", metavar="TASK_ID", type=int)
    send.add_argument("--actor", default=getpass.getuser(), help="recorded in the audit log")
    send.set_defaults(run=run_send_without_unmapped)


def run_full(args, context: JobContext) -> int:
    bar = Bar()
    try:
        report = plan_full_sync(context, args.child, dry_run=args.dry_run, progress=bar)
    except FullSyncError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        bar.close()
    print(
        json.dumps(report.as_dict(), ensure_ascii=False, indent=2) if args.json else _full(report)
    )
    return 1 if _undecided(report) else 0


def _undecided(report: FullSyncReport) -> int:
    return sum(len(t.ambiguous) + len(t.conflicts) for t in report.types)


def _full(report: FullSyncReport) -> str:
    rows = [[t.entity_type, *(getattr(t, c) for c in COLUMNS)] for t in report.types]
    lines = [
        f"full sync of child {report.child_id} from {report.main_id}"
        + (" (dry run: nothing written)" if report.dry_run else ""),
        tabulate(rows, headers=["type", *COLUMNS]),
        f"tasks queued: {report.tasks_written}, merged into pending ones: {report.tasks_merged}",
    ]
    if report.skipped:
        lines.append(f"not synced for this child: {', '.join(report.skipped)}")
    for t in report.types:
        for item in t.ambiguous:
            lines.append(
                f"ambiguous {t.entity_type} key {item['key']!r}: main {item['main_id']} matches"
                f" child {', '.join(item['child_ids'])} — link one by hand or change the codes"
            )
        for item in t.conflicts:
            lines.append(
                f"conflicting {t.entity_type} key {item['key']!r}:"
                f" main {', '.join(item['main_ids'])} all match"
                f" child {', '.join(item['child_ids'])} — nothing linked or created"
            )
    return "\n".join(lines)


def run_verify(args, context: JobContext) -> int:
    bar = Bar()
    try:
        report = verify_child(context, args.child, repair=args.repair, progress=bar)
    except VerifyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        bar.close()
    print(
        json.dumps(report.as_dict(), ensure_ascii=False, indent=2) if args.json else _verify(report)
    )
    return 1 if report.differences and not args.repair else 0


def _verify(report: VerifyReport) -> str:
    lines = [
        f"verify of child {report.child_id} against {report.main_id}: {report.checked} mapped,"
        f" {report.unchanged} unchanged since they last agreed, {report.agreeing} agreeing,"
        f" {len(report.differences)} different",
        "by kind: " + ", ".join(f"{k} {v}" for k, v in report.by_kind().items() if v),
    ]
    for d in report.differences[:50]:
        what = ", ".join(sorted(d.fields)) if "" not in d.fields else d.fields[""]
        lines.append(f"  {d.entity_type} main {d.main_id} / child {d.child_id}: {what}")
    if len(report.differences) > 50:
        lines.append(f"  ... and {len(report.differences) - 50} more (--json lists all)")
    for item in report.unverifiable:
        lines.append(f"  not verifiable: {item['type']} {item['id']}: {item['reason']}")
    if report.repair:
        lines.append(
            f"repair: {report.tasks_written} task(s) queued, {report.tasks_merged} merged,"
            f" {report.mappings_dropped} broken mapping(s) dropped"
        )
    if report.alert:
        lines.append(f"drift alert: {report.alert}")
    return "\n".join(lines)


def run_send_without_unmapped(args, context: JobContext) -> int:
    try:
        left_out = send_order_without_unmapped(context, args.task_id, args.actor, "cli")
    except OrderActionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    names = ", ".join(f"{kind} {entity_id}" for kind, entity_id in left_out)
    print(f"task {args.task_id}: sent without {len(left_out)} position(s): {names}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.sync_catalog", description=__doc__)
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.run(args, configure(load_settings()))


if __name__ == "__main__":
    sys.exit(main())
