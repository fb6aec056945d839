"""What operators type on the command line, read the way the console shows it: times as ISO or
relative (1h, 2d, yesterday), accounts by id or name; anything unknown refused with the choices."""

import argparse
import re
from datetime import UTC, datetime, time, timedelta

from store.crypto import normalize_account_id

RELATIVE = re.compile(r"^(\d+)\s*(s|m|min|h|d|w)$")
UNITS = {"s": "seconds", "m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}
DAY_WORDS = {"today": 0, "yesterday": 1}
TIME_HELP = "ISO time (UTC unless it says), or relative: 30m, 1h, 2d, 1w, today, yesterday"


def moment(text: str, now: datetime | None = None) -> datetime:
    """A point in time: ISO (naive = UTC), `<n><s|m|h|d|w>` ago, or the start of today/yesterday."""
    now = now or datetime.now(UTC)
    word = text.strip().lower()
    if word == "now":
        return now
    if word in DAY_WORDS:
        day = now.date() - timedelta(days=DAY_WORDS[word])
        return datetime.combine(day, time(), tzinfo=UTC)
    if match := RELATIVE.match(word):
        return now - timedelta(**{UNITS[match[2]]: int(match[1])})
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a time: {text!r} ({TIME_HELP})") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class UnknownValue(ValueError):
    """A value that names nothing; the message lists what would."""


def account_id_of(text: str, accounts: dict[str, str]) -> str:
    """The id of the account `text` names: its id, or its name (any case). `accounts` maps
    id → name of every account."""
    try:
        account_id = normalize_account_id(text)
    except ValueError:
        account_id = None
    if account_id is not None:
        if account_id in accounts:
            return account_id
        raise UnknownValue(f"unknown account {account_id}; known: {_listed(accounts)}")
    named = [i for i, name in accounts.items() if name.casefold() == text.strip().casefold()]
    if len(named) == 1:
        return named[0]
    if named:
        ids = ", ".join(sorted(named))
        raise UnknownValue(f"{len(named)} accounts are named {text!r}: use the id ({ids})")
    raise UnknownValue(f"no account named {text!r}; known: {_listed(accounts)}")


def _listed(accounts: dict[str, str]) -> str:
    if not accounts:
        return "none (add one with python -m scripts.accounts add)"
    return "; ".join(f"{name} ({i})" for i, name in sorted(accounts.items(), key=lambda a: a[1]))
