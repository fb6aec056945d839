"""Which PostgreSQL failures are about the data sent and which are about the server.

A failure about the data (a value jsonb refuses, a row too large for its index) repeats on every
try: the delivery is rejected (receiver) or set aside (spool drain). Every other failure — the
server down, read-only after a failover, a statement cancelled by `statement_timeout`, too many
connections, the client's own deadline — passes: the delivery is kept for later.
"""

import peewee
import psycopg2

# Everything a query can raise about the database: peewee's wrapped errors, and psycopg2's own
# (peewee maps only a class or its direct base, so e.g. QueryCanceled reaches us unwrapped).
DATABASE_FAILURES = (peewee.PeeweeException, psycopg2.Error)

# SQLSTATE classes caused by the values sent: data exception, integrity constraint violation,
# program limit exceeded (e.g. an index row too large).
DATA_SQLSTATE_CLASSES = frozenset({"22", "23", "54"})


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a psycopg2 error, also when peewee wrapped it; None for client errors."""
    for candidate in (exc, *getattr(exc, "args", ())[:1], exc.__cause__, exc.__context__):
        code = getattr(candidate, "pgcode", None)
        if code:
            return code
    return None


def is_about_the_data(exc: BaseException) -> bool:
    """True when the same statement with the same values would fail again."""
    if isinstance(exc, ValueError) and not isinstance(exc, DATABASE_FAILURES):
        return True  # psycopg2 refuses to send a string with a NUL character
    if isinstance(exc, peewee.DataError | peewee.IntegrityError):
        return True
    code = sqlstate(exc)
    return code is not None and code[:2] in DATA_SQLSTATE_CLASSES
