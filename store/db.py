"""The one deferred PostgreSQL database every process initialises at start-up."""

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from urllib.parse import urlparse

import psycopg2
from peewee import PeeweeException, PostgresqlDatabase
from psycopg2 import sql

# Deferred: nothing connects at import; each process calls init_database() after fork.
database = PostgresqlDatabase(None)

CONNECT_TIMEOUT_SECONDS = 2
APPLICATION_NAME = "moysklad-webhooks"


def connect_params(database_url: str) -> dict:
    """psycopg2 keyword arguments for a postgresql:// URL."""
    url = urlparse(database_url)
    if url.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"DATABASE_URL must be a postgresql:// URL, got {database_url!r}")
    params = {
        "database": url.path.lstrip("/") or "postgres",
        "user": url.username or "postgres",
        "host": url.hostname or "127.0.0.1",
        "port": url.port or 5432,
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
        "application_name": APPLICATION_NAME,
    }
    if url.password:
        params["password"] = url.password
    return params


def init_database(database_url: str, **connect_options) -> PostgresqlDatabase:
    """Point the deferred database at DATABASE_URL (no connection is opened here).

    `connect_options` go to psycopg2.connect over the URL's (e.g. the receiver's deadlines);
    without them, any a previous init set are dropped.
    """
    params = connect_params(database_url) | connect_options
    database.connect_params.clear()
    database.init(params.pop("database"), **params)
    return database


@contextmanager
def asynchronous_commit() -> Iterator[None]:
    """This connection's commits inside the block return before their WAL is on disk
    (PostgreSQL's "asynchronous commit", `synchronous_commit = off`).

    For work that may be done again, never for what answers МойСклад or holds the only copy of
    a delivery (the receiver's insert, the spool drain): a PostgreSQL crash loses at most the
    last ~0.6 s of these commits, and always a suffix of them in commit order — the same state as
    a process killed at that point, which the sweeper already re-runs. A synchronous commit made
    afterwards on any connection flushes them with it.
    """
    database.execute_sql("SET synchronous_commit = off")
    try:
        yield
    finally:
        with suppress(PeeweeException, psycopg2.Error):  # a broken connection is dropped anyway
            database.execute_sql("RESET synchronous_commit")


def create_database_if_missing(database_url: str) -> bool:
    """Create the database named in the URL (connecting to `postgres`); True when created."""
    params = connect_params(database_url)
    name = params.pop("database")
    connection = psycopg2.connect(database="postgres", **params)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cursor.fetchone() is not None:
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        connection.close()
