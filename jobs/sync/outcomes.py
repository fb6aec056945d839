"""What applying one claimed task came to; the executor records it (store.sync_tasks)."""

from dataclasses import dataclass

# A claimed task ends in exactly one of these.
COMPLETED = "completed"  # written (live) or recorded as the request it would send (shadow)
FAILED = "failed"  # final until an operator retries it: the reason says what to fix
RETRY = "retry"  # transient (429, 5xx, network, a reference being created): pending again later
# Cannot go yet (an order position without a mapping): pending again, reason shown. Waiting is
# no failed try: it never counts toward SYNC_MAX_ATTEMPTS.
WAIT = "wait"
CANCELLED = "cancelled"  # pointless now (the entity is gone, sync switched off for it)


@dataclass(frozen=True)
class Mapping:
    """An `entity_mappings` row to write in the same transaction that completes the task."""

    child_account_id: str
    entity_type: str
    main_entity_id: str
    child_entity_id: str


@dataclass(frozen=True)
class Outcome:
    task_id: int
    status: str
    error: str | None = None  # the reason an operator reads (FAILED, RETRY, WAIT, CANCELLED)
    request: dict | None = None  # this task's item of the request sent (or, in shadow, not sent)
    result: dict | None = None  # МойСклад's answer for this item, or its error
    mapping: Mapping | None = None
    drop_mapping: Mapping | None = None  # a mapping МойСклад says is broken (1021)
    retry_in: float | None = None  # seconds, for RETRY and WAIT
    # How it was applied (live | shadow) when not the target's mode: a child's order goes into
    # main, so the child's mode (and main's) says whether it was written.
    applied_mode: str | None = None
