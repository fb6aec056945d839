"""Every tunable of the sync executor: batch sizes, time budget, locks, retry delays."""

CLAIM_BATCH = 100  # tasks claimed per round (one main read, one match look-up, one bulk write)
WRITE_BATCH = 100  # items per bulk POST (md/_general.md allows 1000; 100 keeps a request short)
MATCH_VALUES_PER_GET = 100  # match-field values per filtered GET of the child's entities
TIME_BUDGET = 240.0  # seconds one job applies tasks before it re-enqueues itself (timeout 600)
# The per-target lock outlives a job that died by this much; a live job extends it every round.
TARGET_LOCK_TTL = 10.0
TARGET_LOCK_PREFIX = "sync:lock:"
WAKE_PREFIX = "sync:again:"  # set when tasks were written while the target's job was running
WAKE_TTL = 600
STALE_CLAIM_SECONDS = 600 + 60  # a running task older than the job timeout: its job died
MAIN_READ_CACHE_PREFIX = "sync:main:"
MAIN_READ_CACHE_TTL = 60  # seconds a main entity read serves the other children's tasks
MAIN_READ_FLIGHT_TIMEOUT = 30  # seconds a child waits for another's read of the same batch
CATALOGUE_LIST_LIMIT = 1000  # a child catalogue of up to this many is listed once per run
RATE_LIMITED_RETRY = 3.0  # seconds: 429s persisted through the client's own waits
UNAVAILABLE_RETRY_BASE = 5.0  # seconds; doubled per attempt (5xx / network through retries)
UNAVAILABLE_RETRY_MAX = 300.0
REFERENCE_PENDING_RETRY = 5.0  # a folder / product / component the executor creates first
REFERENCE_GONE_RETRY = 1.0  # МойСклад said a cached reference is gone: refresh and try again
RESULT_FIELDS = ("id", "name", "code", "article", "externalCode", "updated", "archived")
DISPATCH_INTERVAL = 15  # seconds between dispatch_due_tasks runs (the scheduler)
DISPATCH_TIMEOUT = 60
