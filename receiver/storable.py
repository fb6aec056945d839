"""What PostgreSQL's jsonb takes — and what can be read back from it: checked before the insert.

`json.loads` accepts more than jsonb stores (\\u0000, unpaired surrogates) and jsonb stores
numbers no reader can take back (`-1e99999` comes back as 100,000 digits): a body with either is
refused here, with the reason, so PostgreSQL never sees it.
"""

import json
import re
from decimal import Decimal

from receiver.errors import InvalidShape, NotJson

# МойСклад's bodies are a few levels deep and hold ordinary numbers: far inside these limits.
MAX_NESTING_DEPTH = 64
MAX_NUMBER_CHARS = 400
MAX_NUMBER_EXPONENT = 308  # a double's range: read back, a larger number is no number at all
MIN_NUMBER_EXPONENT = -1000  # numeric keeps 16,383 digits after the point; stay far inside
# jsonb refuses \u0000 and unpaired surrogates (paired ones decode to one character).
UNSTORABLE_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


def load_storable(body: bytes) -> object:
    """The parsed body; NotJson or InvalidShape saying what PostgreSQL would refuse."""
    try:
        text = body.decode("utf-8")
        document = json.loads(
            text,
            parse_constant=_reject_constant,
            parse_float=_checked_number,
            parse_int=_checked_number,
        )
    except RecursionError as exc:
        raise InvalidShape(f"body is nested more than {MAX_NESTING_DEPTH} levels deep") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise NotJson(f"body is not JSON: {exc}") from exc
    # Valid UTF-8 holds no surrogate and JSON no raw NUL: only a \u escape can bring either.
    _check_storable(document, check_strings="\\u" in text)
    return document


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON")


def _checked_number(text: str) -> Decimal:
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"number {text[:20]}... is {len(text)} characters long")
    number = Decimal(text)
    if number and not MIN_NUMBER_EXPONENT <= number.adjusted() <= MAX_NUMBER_EXPONENT:
        raise ValueError(f"number {text[:40]} is out of range")
    return number


def _check_storable(document: object, check_strings: bool) -> None:
    """InvalidShape unless PostgreSQL's jsonb takes every string and the nesting depth."""
    pending = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_NESTING_DEPTH:
            raise InvalidShape(f"body is nested more than {MAX_NESTING_DEPTH} levels deep")
        if isinstance(value, dict):
            for key, item in value.items():
                if check_strings:
                    _check_string(key)
                pending.append((item, depth + 1))
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif check_strings and isinstance(value, str):
            _check_string(value)


def _check_string(value: str) -> None:
    found = UNSTORABLE_CHARACTERS.search(value)
    if found:
        raise InvalidShape(
            f"body holds the character U+{ord(found.group()):04X} (NUL or an unpaired"
            " surrogate), which PostgreSQL cannot store"
        )
