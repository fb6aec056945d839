"""python -m scripts.accounts — add, link, set-type, list accounts; print a webhook URL."""

import argparse
import sys

from tabulate import tabulate

from jobs.context import configure
from jobs.queues import enqueue_setup
from store import accounts
from store.crypto import webhook_token
from store.settings import RECEIVE_PATH, load_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.accounts", description="Manage the МойСклад accounts we sync."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser(
        "add", help="add (or update) an account, store its API token; with --type, queue setup"
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
    link = commands.add_parser("link", help="make CHILD_ID a child of PARENT_ID")
    link.add_argument("parent_id", metavar="PARENT_ID")
    link.add_argument("child_id", metavar="CHILD_ID")
    set_type = commands.add_parser(
        "set-type", help="change an account's type: its links go inactive, webhooks reconcile"
    )
    set_type.add_argument("account_id", metavar="ACCOUNT_ID")
    set_type.add_argument("account_type", choices=accounts.ACCOUNT_TYPES)
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
            account = accounts.add_account(
                args.account_id,
                args.name,
                args.token,
                args.type,
                settings.app_secret,
                args.token_kind,
            )
            print(
                f"account {account.id} ({account.name}) saved, type: {account.account_type or '-'}"
            )
            if account.account_type:
                job_id = enqueue_setup(context.redis, account.id)
                print(f"webhook setup queued (job {job_id})")
        elif args.command == "link":
            accounts.link_child(args.parent_id, args.child_id)
            print(f"{args.child_id} is now an active child of {args.parent_id}")
        elif args.command == "set-type":
            changed = accounts.set_account_type(args.account_id, args.account_type)
            job_id = enqueue_setup(context.redis, accounts.get_account(args.account_id).id)
            print(f"type set to {args.account_type}; {changed} link(s) marked inactive;")
            print(f"webhook reconciliation queued (job {job_id})")
        elif args.command == "list":
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
        elif args.command == "url":
            token = webhook_token(args.account_id, settings.app_secret)
            print(settings.public_base_url.rstrip("/") + RECEIVE_PATH + token)
    except (accounts.AccountError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
