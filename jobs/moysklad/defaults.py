"""Every tunable of the МойСклад client: limits, timeouts, retries, batch sizes."""

REQUEST_TIMEOUT = (5.0, 60.0)  # seconds: connect, read
# A bulk write may take up to 5 minutes on МойСклад's side (md/_general.md — Создание и
# обновление нескольких объектов): an array body waits that long, plus a little.
BULK_WRITE_TIMEOUT = (5.0, 310.0)
RATE_LIMIT_UNITS = 45  # units per token within the window (MOYSKLAD.md §5)
# What one request costs by how the token was obtained (md/_restrictions.md, since 01.12.2026).
TOKEN_WEIGHTS = {"app": 1, "draft": 4, "user": 4}
RATE_LIMIT_REQUESTS = RATE_LIMIT_UNITS  # requests per window of an app's token
RATE_LIMIT_WINDOW = 3.0  # seconds
# The server counts a request when it arrives, we when we send it: the margin absorbs that skew.
RATE_LIMIT_MARGIN = 0.25  # seconds added to our window
PARALLEL_REQUESTS = 5  # in flight per token
# An answer's X-RateLimit-Limit below ours is believed this long (the server knows the weight).
SERVER_LIMIT_TTL = 300.0  # seconds
# A slot of a killed process frees itself after this; a live one renews its slot's lease every
# IN_FLIGHT_RENEW_INTERVAL seconds for as long as its request takes (a bulk write: minutes).
IN_FLIGHT_LEASE = 15.0
IN_FLIGHT_RENEW_INTERVAL = 5.0
LIMITER_POLL = 0.02  # seconds between tries for a free in-flight slot
LIMITER_MAX_WAIT = 120.0  # seconds a request waits for the limiter before giving up
LIMITER_KEY_PREFIX = "moysklad:limit:"

SERVER_ERROR_ATTEMPTS = 4  # tries for 5xx and network errors (the first and 3 retries)
BACKOFF_BASE = 0.5  # seconds; doubled per retry
BACKOFF_MAX = 8.0
RATE_REFUSAL_ATTEMPTS = 8  # 429s tolerated for one request before giving up
PARALLEL_REFUSAL_WAIT = 0.25  # seconds; a 429 without X-Lognex-Retry-After (parallel limit)

ENTITY_BATCH = 100  # ids per GET (expand works only up to limit 100; ~150 ids fit the URL)
PAGE_LIMIT = 1000  # rows per page when listing
WEBHOOK_PAGE_LIMIT = 100
