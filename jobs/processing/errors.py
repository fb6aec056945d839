"""What can go wrong while processing a delivery (each a reason to try again)."""


class ProcessingError(Exception):
    """A try of process_webhook failed; RQ retries it with backoff."""


class LockUnavailable(ProcessingError):
    """A per-entity task lock stayed busy longer than the wait allows."""
