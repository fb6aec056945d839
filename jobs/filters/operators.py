"""Operators of product filters, applied to a typed value read from an entity.

Text compares case-insensitively with outer spaces ignored. A negative operator is exactly the
negation of its positive one, so a missing value fails `eq`/`contains`/`in`/`gt`... and passes
`ne`/`not_contains`/`not_in`. An operator that does not apply to the value's type (`gt` on text,
`contains` on a number) does not match, like a missing value.
"""

import operator
from collections.abc import Callable
from datetime import datetime
from typing import Any

from jobs.filters.values import Ref, as_number, parse_moment

NEGATIONS = {"ne": "eq", "not_contains": "contains", "not_in": "in", "is_not_null": "is_null"}
ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}
DATE_ONLY_LENGTH = len("YYYY-MM-DD")


def matches(op: str, actual: object | None, value: Any = None, values: Any = ()) -> bool:
    """Whether `actual` satisfies `op` against the condition's `value` or `values`."""
    if op in NEGATIONS:
        return not matches(NEGATIONS[op], actual, value, values)
    if op == "is_null":
        return actual is None
    if actual is None:
        return False
    if op == "eq":
        return equals(actual, value)
    if op == "in":
        return any(equals(actual, item) for item in values)
    if op == "contains":
        return contains(actual, value)
    if op in ORDERINGS:
        return ordered(ORDERINGS[op], actual, value)
    return False


def _text(value: Any) -> str | None:
    """The comparable text of a condition value: 10 and 10.0 both read "10"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else str(value)
    return value.strip().casefold() if isinstance(value, str) else None


def _date_pair(actual: datetime, value: Any) -> tuple[Any, Any] | None:
    """Both sides ready to compare; a date-only condition compares calendar days."""
    wanted = parse_moment(value)
    if wanted is None:
        return None
    if len(value.strip()) == DATE_ONLY_LENGTH:
        return actual.date(), wanted.date()
    return actual, wanted


def equals(actual: object, value: Any) -> bool:
    """Equality by the type of the entity's value (the attribute type decides)."""
    if isinstance(actual, Ref):
        wanted = _text(value)
        name = actual.name.strip().casefold() if actual.name else None
        ident = actual.id.casefold() if actual.id else None
        return wanted is not None and wanted in (name, ident)
    if isinstance(actual, bool):
        return _text(value) == _text(actual)
    if isinstance(actual, float):
        return as_number(value) == actual
    if isinstance(actual, datetime):
        pair = _date_pair(actual, value)
        return pair is not None and pair[0] == pair[1]
    if isinstance(actual, str):
        return _text(value) == actual.strip().casefold()
    return False


def contains(actual: object, value: Any) -> bool:
    """Substring test on text and on a link's name."""
    text = actual.name if isinstance(actual, Ref) else actual
    if not isinstance(text, str) or not isinstance(value, str):
        return False
    return value.strip().casefold() in text.casefold()


def ordered(compare: Callable[[Any, Any], bool], actual: object, value: Any) -> bool:
    """Ordering of numbers and of moments; other types never match."""
    if isinstance(actual, float) and not isinstance(actual, bool):
        wanted = as_number(value)
        return wanted is not None and compare(actual, wanted)
    if isinstance(actual, datetime) and isinstance(value, str):
        pair = _date_pair(actual, value)
        return pair is not None and compare(*pair)
    return False
