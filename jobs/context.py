"""What a job needs from its process — settings, database, Redis — set up once per worker."""

from dataclasses import dataclass

from redis import Redis

from store.db import init_database
from store.settings import Settings, load_settings


@dataclass(frozen=True)
class JobContext:
    settings: Settings
    redis: Redis


_context: JobContext | None = None


def configure(settings: Settings, redis: Redis | None = None) -> JobContext:
    """Initialise the database and Redis for this process (worker start-up, scripts, tests)."""
    global _context
    init_database(settings.database_url)
    _context = JobContext(settings=settings, redis=redis or Redis.from_url(settings.redis_url))
    return _context


def current() -> JobContext:
    """The process's context; a plain `rq worker` gets one from the environment on first use."""
    return _context or configure(load_settings())
