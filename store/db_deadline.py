"""Bounded PostgreSQL connections: a client-side deadline on connecting and on every statement.

`statement_timeout` bounds a statement the server is running (a lock wait, a slow disk) but not
one stuck on the way (a stalled network, a frozen server), and libpq's `connect_timeout` cannot
go below 2 s. psycopg2's wait callback (its coroutine support) lets the process wait on the
socket itself: a connection made by `deadline_connection(...)` gives up after its deadline with
an OperationalError (psycopg2 then closes it); other connections wait as before.
"""

import math
import select
import time

import psycopg2
from psycopg2 import extensions

CLIENT_MARGIN_MS = 250  # the client's deadline on a statement: statement_timeout plus this


def deadline_connection(connect_seconds: float, statement_seconds: float) -> type:
    """A psycopg2 connection class (`connection_factory`) bounded by these deadlines."""

    class DeadlineConnection(extensions.connection):
        connect_deadline = connect_seconds
        statement_deadline = statement_seconds

        def __init__(self, *args, **kwargs):
            self.connecting = True
            try:
                super().__init__(*args, **kwargs)
            finally:
                self.connecting = False

    return DeadlineConnection


def install_wait_callback() -> None:
    """Make this process wait on PostgreSQL through `wait_with_deadline` (idempotent)."""
    if extensions.get_wait_callback() is not wait_with_deadline:
        extensions.set_wait_callback(wait_with_deadline)


def bounded_connect_params(connect_ms: int, statement_ms: int) -> dict:
    """psycopg2 connect arguments: statement_timeout on the server, deadlines in the client.

    The client waits a little longer than the server so that the server's cancel, which names
    what was slow, normally comes first.
    """
    return {
        "options": f"-c statement_timeout={statement_ms}",
        "connect_timeout": max(2, math.ceil(connect_ms / 1000)),  # libpq's own, blocking mode
        "connection_factory": deadline_connection(
            connect_ms / 1000, (statement_ms + CLIENT_MARGIN_MS) / 1000
        ),
    }


def wait_with_deadline(connection) -> None:
    """psycopg2's wait callback: poll until done; past the connection's deadline, give up."""
    connecting = getattr(connection, "connecting", False)
    limit = getattr(connection, "connect_deadline" if connecting else "statement_deadline", None)
    deadline = None if limit is None else time.monotonic() + limit
    while True:
        state = connection.poll()
        if state == extensions.POLL_OK:
            return
        if state == extensions.POLL_READ:
            events = select.POLLIN
        elif state == extensions.POLL_WRITE:
            events = select.POLLOUT
        else:
            raise psycopg2.OperationalError(f"unexpected state from poll(): {state}")
        poller = select.poll()
        poller.register(connection.fileno(), events | select.POLLERR | select.POLLHUP)
        if deadline is None:
            poller.poll()
            continue
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not poller.poll(remaining * 1000):
            raise _gave_up(connecting, limit)


def _gave_up(connecting: bool, limit: float) -> psycopg2.OperationalError:
    what = "connecting to" if connecting else "an answer from"
    return psycopg2.OperationalError(f"gave up {what} PostgreSQL after {limit * 1000:.0f} ms")
