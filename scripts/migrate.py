"""python -m scripts.migrate — create or upgrade the schema (idempotent)."""

import argparse
import sys

from store.db import init_database
from store.migrations import available_migrations, migrate
from store.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.migrate",
        description="Create or upgrade the PostgreSQL schema at DATABASE_URL. "
        "Safe to run repeatedly and from several hosts at once.",
    )
    parser.parse_args(argv)
    database = init_database(load_settings().database_url)
    with database.connection_context():
        applied = migrate(database)
    if applied:
        print("applied: " + ", ".join(applied))
    else:
        print(f"schema is up to date ({len(available_migrations())} migrations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
