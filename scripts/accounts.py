"""python -m scripts.accounts — add, link, set-type, list accounts; print a webhook URL."""

import argparse
import sys

from tabulate import tabulate

from jobs.context import configure
from jobs.queues import after_type_change, enqueue_setup
from store import accounts
from store.crypto import webhook_token
from store.settings import RECEIVE_PATH, Settings, load_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.accounts", description="Manage the МойСклад accounts we sync."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser(
        "add",
        help="add (or update) an account, store its API token; with --type, queue setup "
        "(an existing account keeps its type unless --type is given)",
    )
    add.add_argument("account_id", metavar="ACCOUNT_ID", help="МойСклад account id (uuid)")
    add.add_argument("--name", required=True)
    add.add_argument("--token", required=True, help="API token; stored encrypted")
    add.add_argument("--type", choices=accounts.ACCOUNT_TYPES, help="main or child")
    add.add_argument(
        "--token-kind",
        choices=accounts.TOKEN_KINDS,
        default="user",
        help="how the token was obtained (its rate-limit weight): a user's token (default), "
        "a Draft app's, or a published app's",
    )
    add.add_argument("--dry-run", action="store_true", help="say what would change, change nothing")
    link = commands.add_parser("link", help="make CHILD_ID a child of PARENT_ID")
    link.add_argument("parent_id", metavar="PARENT_ID")
    link.add_argument("child_id", metavar="CHILD_ID")
    set_type = commands.add_parser(
        "set-type", help="change an account's type: its links go inactive, webhooks reconcile"
    )
    set_type.add_argument("account_id", metavar="ACCOUNT_ID")
    set_type.add_argument("account_type", choices=accounts.ACCOUNT_TYPES)
    set_type.add_argument(
        "--dry-run", action="store_true", help="say what would change, change nothing"
    )
    commands.add_parser("list", help="list accounts with type, status and parent")
    url = commands.add_parser("url", help="print the account's webhook URL and nothing else")
    url.add_argument("account_id", metavar="ACCOUNT_ID")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = load_settings()
    context = configure(settings)
    try:
        if args.command == "add":
            _add(args, settings, context.redis)
        elif args.command == "link":
            accounts.link_child(args.parent_id, args.child_id)
            print(f"{args.child_id} is now an active child of {args.parent_id}")
        elif args.command == "set-type":
            account = _existing(args.account_id)
            if args.dry_run:
                print(_type_change_plan(account, args.account_type))
                return 0
            changed = accounts.set_account_type(args.account_id, args.account_type)
            jobs = after_type_change(
                context.redis, account.id, account.app_id, account.account_type
            )
            print(f"type set to {args.account_type}; {changed} link(s) marked inactive;")
            print(f"webhook reconciliation queued (job {jobs[0]})")
            if len(jobs) > 1:
                print(f"Activated report to МойСклад queued (job {jobs[1]})")
        elif args.command == "list":
            _list()
        elif args.command == "url":
            account = _existing(args.account_id)
            token = webhook_token(str(account.id), settings.app_secret)
            print(settings.public_base_url.rstrip("/") + RECEIVE_PATH + token)
    except (accounts.AccountError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _add(args, settings: Settings, redis) -> None:
    existing = accounts.get_account(args.account_id)
    changes_type = existing is not None and args.type and existing.account_type != args.type
    if args.dry_run:
        what = "update" if existing else "create"
        print(f"would {what} account {args.account_id} ({args.name}) and store its token")
        if changes_type:
            print(_type_change_plan(existing, args.type))
        elif args.type or (existing and existing.account_type):
            print("webhook setup would be queued")
        return
    account = accounts.add_account(
        args.account_id,
        args.name,
        args.token,
        args.type,
        settings.encryption_secrets,
        args.token_kind,
    )
    print(f"account {account.id} ({account.name}) saved, type: {account.account_type or '-'}")
    if changes_type:
        print(f"type changed from {existing.account_type or '-'} to {args.type}")
        for job_id in after_type_change(redis, account.id, account.app_id, existing.account_type):
            print(f"queued job {job_id}")
    elif account.account_type:
        print(f"webhook setup queued (job {enqueue_setup(redis, account.id)})")


def _existing(account_id: str):
    account = accounts.get_account(account_id)
    if account is None:
        raise accounts.AccountError(f"unknown account: {account_id}")
    return account


def _type_change_plan(account, account_type: str) -> str:
    if account.account_type == account_type:
        return f"{account.id} is already {account_type}: only a webhook setup would be queued"
    links = accounts.active_links(str(account.id))
    return (
        f"would change the type of {account.id} from {account.account_type or '-'} to "
        f"{account_type}; {links} active link(s) would be marked inactive; a webhook setup "
        f"would swap its webhooks for the {account_type} set"
    )


def _list() -> None:
    rows = [
        [
            r["id"],
            r["name"],
            r["account_type"] or "-",
            r["status"],
            "on" if r["webhooks_enabled"] else "off",
            r["parent_name"] or "",
            r["link_status"] or "",
        ]
        for r in accounts.list_accounts()
    ]
    headers = ["id", "name", "type", "status", "webhooks", "parent", "link"]
    print(tabulate(rows, headers=headers) if rows else "no accounts")


if __name__ == "__main__":
    sys.exit(main())
