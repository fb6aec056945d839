"""Every tunable of the console: sign-in throttling, chart thresholds."""

SLOW_AFTER_FAILURES = 3  # failed sign-ins (per user, and per client) before each try must wait
SLOW_FIRST_DELAY_SECONDS = 2  # the wait after the 3rd failure; it doubles with every further one
SLOW_MAX_DELAY_SECONDS = 60
LOCK_AFTER_FAILURES = 10  # this many within the window: locked until the newest one is this old
LOCK_SECONDS = 15 * 60
FAILURE_WINDOW_SECONDS = LOCK_SECONDS  # failures older than this are forgotten

# Overview thresholds drawn on the charts (the alert rules' own are in jobs/defaults.py).
PROCESSING_P95_TARGET_MS = 1000  # a delivery processed within a second keeps children current
