"""python -m scripts.webhooks — set up, reinstall and check webhooks; clean logs; stats; retries.

Every command runs the same functions as the scheduled jobs, in this process.
Exit status 1 when a check finds problems or anything failed, else 0.
"""

import argparse
import getpass
import sys
from collections import Counter

from tabulate import tabulate
from tqdm import tqdm

from jobs.context import configure
from jobs.housekeeping.retention import cleanup_logs
from jobs.lifecycle.reported_setup import summary_of
from jobs.lifecycle.setup import setup_account
from jobs.lifecycle.webhook_sets import CHILD_DOCUMENT_TYPES, MAIN_ENTITY_TYPES
from jobs.monitoring.health import verdict
from jobs.monitoring.stats import update_stats
from jobs.queues import retry_failed_logs
from scripts.cli_values import TIME_HELP, UnknownValue, account_id_of, moment
from store.action_reports import attach_audit, create_report, finish_report
from store.audit import record_action
from store.logs import LogFilter, count_logs, failed_log_ids
from store.models import Account
from store.settings import load_settings

EPILOG = """examples:
  python -m scripts.webhooks setup --account 9171a53c-b719-11eb-c0a8-800d00000001
  python -m scripts.webhooks check            # exit 1 when anything is wrong (cron, monitoring)
  python -m scripts.webhooks reinstall --dry-run
  python -m scripts.webhooks check --account "Main shop"
  python -m scripts.webhooks retry-failed --entity-type product --since 2026-11-28T00:00
  python -m scripts.webhooks retry-failed --since yesterday --until 2h
"""


ENTITY_TYPES = sorted({*MAIN_ENTITY_TYPES, *CHILD_DOCUMENT_TYPES})
ACCOUNT_HELP = "one account, by id or by name (default: all accounts)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.webhooks",
        description=__doc__.split("\n")[0].split(" — ")[1],
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    helps = {
        "setup": "reconcile with МойСклад: keep, re-enable, fix, create; delete ours not wanted",
        "reinstall": "delete our webhooks in МойСклад and create the whole wanted set again",
        "check": "compare with МойСклад and report (changes nothing), then the pipeline's "
        "verdict; exit 1 unless healthy",
    }
    for name, text in helps.items():
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("--account", metavar="ID|NAME", help=ACCOUNT_HELP)
        command.add_argument("--verbose", "-v", action="store_true", help="one line per webhook")
        if name != "check":
            command.add_argument(
                "--dry-run", action="store_true", help="show what would change, change nothing"
            )
    cleanup = commands.add_parser(
        "cleanup-logs",
        help="delete logs past LOG_RETENTION_DAYS (failed: FAILED_LOG_RETENTION_DAYS)",
        description="Delete old webhook_logs in small batches; stats are kept.",
    )
    cleanup.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    stats = commands.add_parser("update-stats", help="recompute the hourly webhook_health_stats")
    stats.add_argument("--hours", type=int, default=2, help="hours back to recompute (default 2)")
    retry = commands.add_parser(
        "retry-failed",
        help="re-queue failed logs matching the filter",
        description=("Put failed webhook_logs back to `received` and queue them again."),
    )
    retry.add_argument("--account", metavar="ID|NAME", help="only this account's logs (id or name)")
    retry.add_argument(
        "--entity-type", choices=ENTITY_TYPES, metavar="TYPE",
        help=f"only logs of this entity type: {', '.join(ENTITY_TYPES)}",
    )  # fmt: skip
    retry.add_argument("--since", type=moment, help=f"received at or after: {TIME_HELP}")
    retry.add_argument("--until", type=moment, help=f"received before: {TIME_HELP}")
    retry.add_argument("--dry-run", action="store_true", help="count, queue nothing")
    return parser


def run_lifecycle(args) -> int:
    if args.account:
        account_ids = [args.account]
    else:
        account_ids = [str(a.id) for a in Account.select(Account.id).order_by(Account.name)]
    dry_run = getattr(args, "dry_run", False)
    reports = [
        _reported(account_id, args.command, dry_run)
        for account_id in progress(account_ids, desc=args.command, unit="account")
    ]
    rows = [
        [
            r["account_id"],
            r.get("account_type") or "-",
            r.get("reason") or r["status"],
            ", ".join(f"{n} {outcome}" for outcome, n in sorted(r["counts"].items())) or "-",
            r["foreign"],
            _summary(r["found"]),
            "\n".join(r["warnings"]) or "-",
            "\n".join(r["errors"]) or "-",
        ]
        for r in reports
    ]
    headers = ["account", "type", "status", "webhooks", "foreign", "found", "warnings", "errors"]
    print(tabulate(rows, headers=headers) if rows else "no accounts")
    if args.verbose:
        for r in reports:
            print(f"\n{r['account_id']}:")
            print(tabulate(r["webhooks"], headers="keys") if r["webhooks"] else "  no webhooks")
    if dry_run:
        print("\ndry run: nothing was changed in МойСклад")
    return 0 if all(r["ok"] for r in reports) else 1


def progress(iterable=None, **options) -> tqdm:
    """A progress bar on a terminal only: cron and log files get the results, not the bar."""
    return tqdm(iterable, file=sys.stderr, disable=not sys.stderr.isatty(), **options)


def operator() -> str:
    """Who ran the command, as action reports and the audit log name them."""
    return f"cli:{getpass.getuser()}"


def _reported(account_id: str, mode: str, dry_run: bool) -> dict:
    """setup_account, its report kept in action_reports and its run in the audit log (the
    console shows both); a dry run changes nothing and is not recorded."""
    if dry_run:
        return setup_account(account_id, mode, dry_run=True)
    report_id = create_report(mode, operator(), account_id)
    result = setup_account(account_id, mode)
    finish_report(report_id, summary_of(result), result.get("webhooks", []))
    outcome = "ok" if result["ok"] else "problems"
    counts = ", ".join(f"{n} {what}" for what, n in sorted(result["counts"].items()))
    audit_id = record_action(
        operator(), "cli", f"webhooks {mode}", f"webhooks:{account_id}", {"mode": mode},
        f"{outcome}: report #{report_id}" + (f", {counts}" if counts else ""),
    )  # fmt: skip
    attach_audit(report_id, audit_id)
    return result


def print_verdict(redis) -> int:
    """The pipeline's verdict, as the console shows it; 1 unless healthy."""
    judged = verdict(redis)
    print(f"\npipeline: {judged.level}")
    for level, reason in judged.reasons:
        print(f"  {level}: {reason}")
    return 0 if judged.healthy else 1


def _summary(found: list[str]) -> str:
    """ "product CREATE: missing" × 15 → "15 missing" (every line is shown with --verbose)."""
    kinds = Counter(line.split(": ", 1)[1] if ": " in line else line for line in found)
    return "\n".join(f"{n} {kind}" if n > 1 else kind for kind, n in kinds.items()) or "-"


def run_cleanup(args) -> int:
    if args.dry_run:
        report = cleanup_logs(dry_run=True)
        print(f"would delete {report['finished']} finished and {report['failed']} failed logs")
        return 0
    with progress(desc="deleting", unit="row") as bar:
        report = cleanup_logs(on_batch=lambda batch: bar.update(batch.deleted))
    print(tabulate([[k, v] for k, v in report.items()], headers=["", "cleanup"]))
    return 0


def run_retry(args, redis) -> int:
    log_filter = LogFilter(
        account_id=args.account,
        entity_type=args.entity_type,
        statuses=("failed",),
        received_from=args.since,
        received_to=args.until,
    )
    matching = failed_log_ids(log_filter)
    given_up = count_logs(log_filter) - len(matching)
    skipped = f" ({given_up} given up by an operator, left alone)" if given_up else ""
    if args.dry_run:
        print(f"{len(matching)} failed log(s) match{skipped}; dry run: nothing queued")
        return 0
    report_id = create_report("retry-all", operator(), args.account)
    log_ids = retry_failed_logs(redis, LogFilter(ids=tuple(matching))) if matching else []
    rows = [{"log_id": i, "result": "re-queued" if i in log_ids else "not failed any more"}
            for i in matching]  # fmt: skip
    outcome = f"{len(log_ids)} of {len(matching)} re-queued"
    finish_report(report_id, {"outcome": outcome, "counts": {"re-queued": len(log_ids)}}, rows)
    details = {k: str(v) for k, v in vars(args).items() if v and k not in ("command", "dry_run")}
    audit_id = record_action(operator(), "cli", "retry failed logs", "logs", details,
                             f"ok: {outcome}, report #{report_id}")  # fmt: skip
    attach_audit(report_id, audit_id)
    print(f"{len(log_ids)} failed log(s) queued again{skipped}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    context = configure(load_settings())
    if getattr(args, "account", None):
        known = {str(a.id): a.name for a in Account.select(Account.id, Account.name)}
        try:
            args.account = account_id_of(args.account, known)
        except UnknownValue as exc:
            parser.error(f"--account: {exc}")
    if args.command == "check":
        return max(run_lifecycle(args), print_verdict(context.redis))
    if args.command in ("setup", "reinstall"):
        return run_lifecycle(args)
    if args.command == "cleanup-logs":
        return run_cleanup(args)
    if args.command == "update-stats":
        written = update_stats(hours=args.hours)
        print(tabulate(list(written.items()), headers=["hour", "rows"]))
        return 0
    return run_retry(args, context.redis)


if __name__ == "__main__":
    sys.exit(main())
