"""Shared fixtures: the real PostgreSQL and Redis, cleaned around every test.

TEST_DATABASE_URL and TEST_REDIS_URL choose them (scripts/test.sh sets both); the database is
created and migrated once per run.
"""

import os

import pytest
from redis import Redis

from jobs.context import configure
from store.db import create_database_if_missing, database
from store.migrations import migrate
from store.settings import Settings

# Tests (and the processes they start) never read a running system's var/config.env.
os.environ["CONFIG_FILE"] = ""

DEFAULT_TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/moysklad_webhooks_test"
DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/15"
TEST_SECRET = "test-secret"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(
        database_url=os.environ.get("TEST_DATABASE_URL", DEFAULT_TEST_DATABASE_URL),
        redis_url=os.environ.get("TEST_REDIS_URL", DEFAULT_TEST_REDIS_URL),
        public_base_url="http://127.0.0.1:8000",
        app_secret=TEST_SECRET,
        moysklad_api_url="http://127.0.0.1:1/api/remap/1.2",
    )


@pytest.fixture(scope="session")
def _schema(settings) -> str:
    """The migrated database; answers the query naming the tables a test must truncate."""
    create_database_if_missing(settings.database_url)
    configure(settings)
    with database.connection_context():
        migrate(database)
        tables = [
            row[0]
            for row in database.execute_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename <> 'schema_migrations'"
            )
        ]
        # Each table's serial/identity sequences (a table emptied by DELETE keeps its counter).
        owned = database.execute_sql(
            "SELECT d.refobjid::regclass::text, s.relname FROM pg_class s"
            " JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')"
            " JOIN pg_namespace n ON n.oid = s.relnamespace"
            " WHERE s.relkind = 'S' AND n.nspname = 'public'"
        ).fetchall()
    holding_rows = [f"(SELECT '{table}' FROM {table} LIMIT 1)" for table in tables]
    used_counters = [
        f"(SELECT '{table}' FROM pg_sequences WHERE schemaname = 'public'"
        f" AND sequencename = '{sequence}' AND last_value IS NOT NULL)"
        for table, sequence in owned
        if table in tables
    ]
    return " UNION ".join(holding_rows + used_counters)


@pytest.fixture
def db(settings, _schema):
    """A migrated, empty database (every table truncated, every counter restarted), connected in
    this thread."""
    configure(settings)
    database.connect(reuse_if_open=True)
    # TRUNCATE costs milliseconds per table (~0.13 s for all of them): only the tables holding
    # rows or a used counter are truncated (CASCADE adds those referencing them).
    dirty = [row[0] for row in database.execute_sql(_schema)]
    if dirty:
        database.execute_sql("TRUNCATE " + ", ".join(dirty) + " RESTART IDENTITY CASCADE")
    yield database
    database.close()


@pytest.fixture
def redis(settings):
    """The test Redis database, flushed before and after."""
    client = Redis.from_url(settings.redis_url)
    client.flushdb()
    configure(settings, client)
    yield client
    client.flushdb()
    client.close()
