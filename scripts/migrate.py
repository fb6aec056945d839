"""python -m scripts.migrate — create or upgrade the schema (idempotent)."""

import argparse
import sys

from store.db import create_database_if_missing, init_database
from store.migrations import available_migrations, migrate
from store.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.migrate",
        description="Create or upgrade the PostgreSQL schema at DATABASE_URL. "
        "Safe to run repeatedly and from several hosts at once.",
    )
    parser.add_argument(
        "--create-database", action="store_true", help="create the database first if it is missing"
    )
    args = parser.parse_args(argv)
    settings = load_settings()
    if args.create_database and create_database_if_missing(settings.database_url):
        print("created the database")
    database = init_database(settings.database_url)
    with database.connection_context():
        applied = migrate(database)
    if applied:
        print("applied: " + ", ".join(applied))
    else:
        print(f"schema is up to date ({len(available_migrations())} migrations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
