"""Versioned schema migrations: NNNN_name.sql files applied once each, in order."""

from pathlib import Path

from peewee import Database

MIGRATIONS_DIR = Path(__file__).parent
# Any constant works; it only has to be the same for every process that migrates.
MIGRATION_LOCK_KEY = 7_210_455


def available_migrations() -> list[tuple[str, str]]:
    """(version, sql) of every migration file, oldest first."""
    files = sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))
    return [(path.stem, path.read_text()) for path in files]


def applied_migrations(database: Database) -> set[str]:
    database.execute_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
    )
    return {row[0] for row in database.execute_sql("SELECT version FROM schema_migrations")}


def migrate(database: Database) -> list[str]:
    """Apply the migrations not applied yet; safe to run concurrently and repeatedly."""
    applied_now = []
    with database.atomic():
        # Serialises concurrent `migrate` runs (two hosts starting at once).
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
        done = applied_migrations(database)
        for version, sql in available_migrations():
            if version in done:
                continue
            database.execute_sql(sql)
            database.execute_sql("INSERT INTO schema_migrations (version) VALUES (%s)", (version,))
            applied_now.append(version)
    return applied_now
