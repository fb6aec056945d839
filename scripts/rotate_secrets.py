"""python -m scripts.rotate_secrets — finish a rotation of APP_SECRET and/or ENCRYPTION_SECRET.

A rotation: set the new secret and keep the old one as APP_SECRET_PREVIOUS (webhook URLs signed
with it are still accepted) or ENCRYPTION_SECRET_PREVIOUS (stored tokens still decrypt), restart,
run this command, and drop the *_PREVIOUS values once it reports no problem.
"""

import argparse
import sys

from jobs.context import configure
from jobs.queues import enqueue_setup
from store.accounts import list_accounts, reencrypt_api_tokens
from store.settings import load_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.rotate_secrets",
        description="Finish a secret rotation: re-encrypt every stored API token with "
        "ENCRYPTION_SECRET and queue a webhook setup of every active account (its webhook URLs "
        "get signed with APP_SECRET).",
    )
    parser.add_argument("--dry-run", action="store_true", help="check and count, change nothing")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = load_settings()
    context = configure(settings)
    done, unreadable = reencrypt_api_tokens(settings.encryption_secrets, dry_run=args.dry_run)
    verb = "would re-encrypt" if args.dry_run else "re-encrypted"
    print(f"{verb} {done} stored API token(s) with the current ENCRYPTION_SECRET")
    for account_id in unreadable:
        print(
            f"error: the token of {account_id} decrypts with neither ENCRYPTION_SECRET nor "
            "ENCRYPTION_SECRET_PREVIOUS (left as it was)",
            file=sys.stderr,
        )
    active = [str(a["id"]) for a in list_accounts() if a["status"] == "active"]
    if args.dry_run:
        print(f"would queue webhook setup of {len(active)} active account(s)")
    else:
        for account_id in active:
            enqueue_setup(context.redis, account_id)
        print(f"queued webhook setup of {len(active)} active account(s): their webhook URLs")
        print("are signed with APP_SECRET once done (URLs of APP_SECRET_PREVIOUS work meanwhile)")
    return 1 if unreadable else 0


if __name__ == "__main__":
    sys.exit(main())
