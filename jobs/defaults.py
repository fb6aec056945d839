"""Every tunable of the jobs: queue names, timeouts, retry policies, schedules."""

WEBHOOKS_QUEUE = "webhooks"  # process_webhook: one job per delivery
DEFAULT_QUEUE = "default"  # setup, reinstall, vendor status
SYNC_QUEUE = "sync"  # apply_sync_tasks: one job per target account at a time
# The periodic jobs (sweep, alerts, stats, checks, cleanup, dispatch): their own queue and worker,
# so a backlog of webhooks never delays the sweep or the alerts that report the backlog.
HOUSEKEEPING_QUEUE = "housekeeping"

PROCESS_WEBHOOK_FUNC = "jobs.processing.webhook.process_webhook"
PROCESS_WEBHOOK_TIMEOUT = 120  # seconds; a body of 100 events needs a few batched GETs
PROCESS_WEBHOOK_RETRY_INTERVALS = [5, 30, 120]  # seconds between the tries after the first
# The outcome lives in webhook_logs; RQ keeps the finished job a few seconds (an EXPIRE in its
# own pipeline). 0 would delete it at once, which costs RQ ~6 more round trips per job
# (registries, executions) — a third of a single-event delivery's Redis traffic. Short, because
# finished jobs share Redis's memory with the spool (~2 KiB each: 5 s at 1,000/s is ~10 MiB).
PROCESS_WEBHOOK_RESULT_TTL = 5
PROCESS_WEBHOOK_FAILURE_TTL = 7 * 24 * 3600

# apply_sync_tasks(target_account_id): apply a target's due sync tasks (jobs/sync/)
APPLY_SYNC_TASKS_FUNC = "jobs.sync.executor.apply_sync_tasks"
APPLY_SYNC_TASKS_TIMEOUT = 600
APPLY_SYNC_TASKS_FAILURE_TTL = 7 * 24 * 3600
# Executor health (jobs/monitoring/executor_health.py): lag = age of a target's oldest due task
SYNC_LAG_DEGRADED_SECONDS = 60  # the seed's target: a main change in every child within a minute
SYNC_LAG_DOWN_SECONDS = 15 * 60
SYNC_FAILED_WINDOW_SECONDS = 3600  # failed tasks within this window make the executor degraded
SYNC_STALE_CLAIM_SECONDS = APPLY_SYNC_TASKS_TIMEOUT  # a claim older than a job may run: it died

SWEEP_INTERVAL = 15  # seconds between sweeps (spool drain + re-enqueue of stranded logs)
SWEEP_GRACE_SECONDS = 30  # a received log younger than this is still in flight
# Processing longer than this means the worker died mid-job (beyond the job timeout and retries).
STUCK_PROCESSING_SECONDS = 10 * 60
SWEEP_BATCH = 500
SPOOL_DRAIN_BATCH = 500  # spooled deliveries taken from Redis at a time
SPOOL_DRAIN_BATCH_BYTES = 8 * 1024 * 1024  # ... and stored by INSERTs of at most this much body
# One sweep drains batch after batch until the spool is empty or this much time has passed (the
# next sweep goes on): recovery runs as fast as PostgreSQL takes the rows.
SPOOL_DRAIN_BUDGET_SECONDS = SWEEP_INTERVAL
# A log re-run this many times (its worker died or its job was lost each time) ends `failed`.
STUCK_MAX_ATTEMPTS = 8

# setup_account(account_id, mode="setup" | "reinstall" | "check") -> report dict
SETUP_WEBHOOKS_FUNC = "jobs.lifecycle.setup.setup_account"
SETUP_WEBHOOKS_TIMEOUT = 300
SETUP_WEBHOOKS_RESULT_TTL = 24 * 3600  # the report is read back by the console
# setup_and_report(report_id): the same, its report stored in action_reports (console buttons)
SETUP_AND_REPORT_FUNC = "jobs.lifecycle.reported_setup.setup_and_report"

# refresh_folder_names(account_id): a main account's folder names, for the console's filters
REFRESH_FOLDER_NAMES_FUNC = "jobs.filters.folder_names.refresh_folder_names"
REFRESH_FOLDER_NAMES_TIMEOUT = 120

# report_activated(account_id): tell the vendor API the app is set up (jobs/lifecycle/)
REPORT_ACTIVATED_FUNC = "jobs.lifecycle.vendor_status.report_activated"
REPORT_ACTIVATED_TIMEOUT = 60
REPORT_ACTIVATED_RETRY_INTERVALS = [10, 60, 300, 1800]  # 5xx and network errors are retried
VENDOR_REQUEST_TIMEOUT = 10  # seconds per call to the vendor API
VENDOR_JWT_LIFETIME = 60  # seconds; МойСклад caps a token's lifetime at 300

# --- Processing (jobs/processing/): priorities, batches, locks, loop guard ---
PRIORITY_UPDATE = 10  # update; orders that were updated
PRIORITY_CREATE = 7  # create, archive, recreate, new orders
PRIORITY_FOLDER = 5  # folder_create, folder_update, folder_archive
ENTITY_LOAD_BATCH = 100  # ids per GET /entity/<type> (expand works only up to 100)
RECREATE_DELAY_SECONDS = 60  # a child's deletion of a synced entity is healed after this
TASK_LOCK_TIMEOUT = 10  # seconds a per-entity lock outlives a holder that died
TASK_LOCK_WAIT = 5  # seconds to wait for a per-entity lock before the try fails (and retries)
LOOP_MAX_CHANGES = 30  # more changes of one entity than this within the window → loop_suspected
LOOP_WINDOW_SECONDS = 5 * 60
LOOP_PAUSE_SECONDS = 3600  # a pause expires after this (LOOP_PAUSE_SECONDS in the environment)
WEBHOOK_COUNTERS_FLUSH_INTERVAL = 30  # seconds between flushes of Redis counters to `webhooks`

# --- Webhook lifecycle, stats, health, alerts, retention (jobs/lifecycle/setup.py and friends) ---
WEBHOOK_LIST_PAGE = 100  # rows per GET /entity/webhook page
CHECK_INTERVAL = 3600  # seconds between hourly checks with auto-fix (mode "setup" of every account)
STATS_INTERVAL = 60  # seconds between refreshes of the current (and previous) hour's stats
ALERTS_INTERVAL = 60  # seconds between alert rule evaluations
CLEANUP_INTERVAL = 24 * 3600  # seconds between retention runs
# The nightly verify (jobs/sync/verify.py): queue_verifies queues one verify_one job per syncing
# child on the default queue; the slot is aligned to the epoch, so it starts at 00:00 UTC (03:00
# Moscow), at night
VERIFY_INTERVAL = 24 * 3600
VERIFY_TIMEOUT = 3600  # one child's verify
VERIFY_FUNC = "jobs.sync.verify.verify_one"
CHECK_ALL_TIMEOUT = 1800  # the hourly check walks every account
CLEANUP_TIMEOUT = 3600
RETENTION_BATCH = 5000  # rows per DELETE statement (each its own short transaction)
RETENTION_LOCK_TIMEOUT_MS = 1000  # a batch that cannot get its locks in 1 s gives up (and retries)
RETENTION_MAX_BATCHES = 10_000  # one run's ceiling (50 M rows): a run never loops forever
# Health and alert thresholds
FAILURE_RATE_WARNING = 0.05  # failed / (completed + failed) over the last hour
FAILURE_RATE_CRITICAL = 0.10
FAILURE_RATE_MIN_FINISHED = 20  # fewer finished logs than this in the hour: too few to judge
RECEIVE_P95_WARNING_MS = 100.0
QUEUE_DEPTH_WARNING = 100
QUEUE_DEPTH_CRITICAL = 500
OLDEST_UNPROCESSED_SECONDS = 60  # a `received` log older than this: processing is behind
STUCK_PROCESSING_ALERT_SECONDS = 10 * 60
SILENCE_WARNING_HOURS = 24  # an account with webhooks that sent nothing for this long
ALERT_DELIVERY_TIMEOUT = 5  # seconds for one POST to ALERT_WEBHOOK_URL
RECEIVE_LATENCY_WINDOW_SECONDS = 15 * 60  # receive p95 is judged over this recent window
FAILURE_RATE_WINDOW_SECONDS = 3600  # "the last hour" of the failure-rate rule and health
SETUP_LOCK_WAIT = 120  # seconds a setup waits for another setup of the same account to finish
