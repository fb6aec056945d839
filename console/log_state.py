"""What a log's status means in words: queued, retrying (try N of M, next at …), given up."""

from datetime import datetime

from console.readable import local
from jobs.queues import PROCESS_WEBHOOK_TRIES


def log_state(
    status: str, attempts: int, given_up_by: str | None, next_try: datetime | None
) -> str:
    """The Logs page's `state` column (the raw `status` stays beside it, for filtering)."""
    if status == "received" and attempts == 0:
        return "queued"
    if status == "received":
        when = f"next at {local(next_try, '%H:%M:%S')}" if next_try else "waiting for the sweeper"
        return f"retrying — try {attempts + 1} of {PROCESS_WEBHOOK_TRIES}, {when}"
    if status == "processing":
        return f"processing — try {attempts} of {PROCESS_WEBHOOK_TRIES}"
    if status == "failed" and given_up_by:
        return f"failed — given up by {given_up_by}"
    if status == "failed" and attempts:
        return f"failed after {attempts} of {PROCESS_WEBHOOK_TRIES} tries"
    return status
