"""python -m scripts.console_user NAME ROLE — print a CONSOLE_USERS entry (password prompted)."""

import argparse
import getpass
import sys

from store.users import ROLES, UserSpecError, user_entry

MIN_PASSWORD_LENGTH = 8


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.console_user",
        description="Print one CONSOLE_USERS entry (name:role:hash); join several with commas.",
    )
    parser.add_argument("name", metavar="NAME")
    parser.add_argument("role", metavar="ROLE", choices=ROLES, help="viewer sees, operator acts")
    parser.add_argument(
        "--stdin", action="store_true", help="read the password from standard input (scripts)"
    )
    args = parser.parse_args(argv)
    password = sys.stdin.readline().rstrip("\n") if args.stdin else getpass.getpass("password: ")
    if len(password) < MIN_PASSWORD_LENGTH:
        print(
            f"error: the password needs at least {MIN_PASSWORD_LENGTH} characters", file=sys.stderr
        )
        return 1
    if not args.stdin and getpass.getpass("again: ") != password:
        print("error: the passwords differ", file=sys.stderr)
        return 1
    try:
        print(user_entry(args.name, args.role, password))
    except UserSpecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
