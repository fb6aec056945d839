"""python -m scripts.sync — the sync executor's tasks: status, retry, apply, a child's sync mode.

Every command runs the same functions as the console and the jobs, in this process.
Exit status: 1 when tasks are failed or the executor is down (status), tasks failed in this run
(apply), or a command could not do what was asked; 2 for bad arguments.

Another module adds its commands with `add_commands(subparsers)`: each sub-parser sets
`run=function(args, context) -> exit code` (scripts.sync_catalog adds `full` and `verify`).
"""

import argparse
import getpass
import sys

from jobs.context import JobContext, configure
from scripts import sync_commands, sync_status
from store.accounts import list_accounts
from store.crypto import normalize_account_id
from store.settings import load_settings
from store.sync_modes import SYNC_MODES

EPILOG = """examples:
  python -m scripts.sync status          # exit 1: a task is failed or the executor is down
  python -m scripts.sync status --child Москва
  python -m scripts.sync retry --child Москва --dry-run
  python -m scripts.sync retry --task 1234
  python -m scripts.sync apply --child 9171a53c-b719-11eb-c0a8-800d00000002
  python -m scripts.sync mode --child Москва live
"""


class UnknownAccount(ValueError):
    """--child names no account (the message lists the known ones)."""


def resolve_child(text: str) -> str:
    """An account id from an id or an exact name (case does not matter)."""
    rows = list_accounts()
    try:
        wanted = normalize_account_id(text)
    except ValueError:
        found = [str(r["id"]) for r in rows if r["name"].casefold() == text.casefold()]
        if len(found) == 1:
            return found[0]
        if found:
            raise UnknownAccount(f"{len(found)} accounts are named {text!r}: use an id") from None
    else:
        if any(str(r["id"]) == wanted for r in rows):
            return wanted
    known = ", ".join(f"{r['name']} ({r['id']})" for r in rows) or "none"
    raise UnknownAccount(f"no account {text!r}; known accounts: {known}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.sync",
        description=__doc__.split("\n")[0].split(" — ")[1],
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    child_help = "a child (or any target) account: its id or its name"
    status = commands.add_parser(
        "status", help="tasks by status and child, lag, latency, failed tasks with reasons"
    )
    status.add_argument("--child", metavar="ID|NAME", help=child_help + " (default: all)")
    status.add_argument("--failed", type=int, default=20, metavar="N", help="failed tasks shown")
    status.set_defaults(run=sync_status.run_status)
    retry = commands.add_parser(
        "retry",
        help="re-queue failed tasks (pending, due now, attempts reset) and queue their jobs",
        description="Re-queue failed sync tasks matching the options; a failed task whose entity "
        "already has a pending task is left (the pending one carries the newer change).",
    )
    retry.add_argument("--child", metavar="ID|NAME", help=child_help + " (default: all)")
    retry.add_argument("--task", type=int, metavar="ID", help="only this task")
    retry.add_argument("--entity-type", help="only tasks of this entity type (e.g. product)")
    retry.add_argument("--dry-run", action="store_true", help="count, re-queue nothing")
    retry.add_argument("--actor", default=getpass.getuser(), help="recorded in the audit")
    retry.set_defaults(run=sync_commands.run_retry)
    apply = commands.add_parser(
        "apply", help="apply a child's due tasks in this process until none is due"
    )
    apply.add_argument("--child", metavar="ID|NAME", required=True, help=child_help)
    apply.set_defaults(run=sync_commands.run_apply)
    mode = commands.add_parser(
        "mode", help="show or switch a child's sync mode: off | shadow (no writes) | live"
    )
    mode.add_argument("--child", metavar="ID|NAME", required=True, help=child_help)
    mode.add_argument("mode", nargs="?", choices=SYNC_MODES, help="the new mode (omit: show it)")
    mode.add_argument("--actor", default=getpass.getuser(), help="recorded in the audit")
    mode.set_defaults(run=sync_commands.run_mode)
    _add_catalog_commands(commands)
    return parser


def _add_catalog_commands(commands) -> None:
    """`full` and `verify` (scripts.sync_catalog), when that module is part of this checkout."""
    try:
        from scripts.sync_catalog import add_commands
    except ImportError as exc:
        if exc.name != "scripts.sync_catalog":
            raise
        return
    add_commands(commands)


def main(argv: list[str] | None = None, context: JobContext | None = None) -> int:
    args = build_parser().parse_args(argv)
    context = context or configure(load_settings())
    if getattr(args, "child", None):
        try:
            args.child = resolve_child(args.child)
        except UnknownAccount as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    return args.run(args, context)


if __name__ == "__main__":
    sys.exit(main())
