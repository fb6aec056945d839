"""update_stats: refresh the hourly roll-up (the current hour, and the previous one to close it)."""

from datetime import UTC, datetime, timedelta

from jobs.context import current
from store.stats import rollup_hours


def update_stats(now: datetime | None = None, hours: int = 2) -> dict[str, int]:
    """Periodic job and `scripts.webhooks update-stats`: roll up the last `hours` hours."""
    current()  # a plain rq worker initialises the database here
    now = now or datetime.now(UTC)
    written = rollup_hours(now - timedelta(hours=hours - 1), now)
    return {hour.isoformat(): rows for hour, rows in written.items()}
