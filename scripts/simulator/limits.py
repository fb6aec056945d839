"""Request limits (md/_restrictions.md — Лимиты и ограничения; Лимит запросов за 3-секундный
период): a bucket of 45 units per 3 s per token where a request costs its token kind's weight
(app 1, draft 4, user 4 → 45, 11, 11 requests), ≤ 5 requests in flight per token and ≤ 20 per
account. Headers (md/_general.md — Обработка ошибок) count requests of this token's weight."""

import collections
import math
import threading
import time

from scripts.simulator.errors import PARALLEL_LIMIT, RATE_LIMIT, ApiError

RATE_LIMIT_UNITS = 45
RATE_LIMIT_WINDOW = 3.0
PARALLEL_REQUESTS = 5
ACCOUNT_PARALLEL_REQUESTS = 20
WEIGHTS = {"app": 1, "draft": 4, "user": 4}
TOKEN_KINDS = tuple(WEIGHTS)


class TokenLimits:
    """Counts accepted requests per token; refuses like МойСклад with 429 and its headers."""

    def __init__(
        self,
        limit: int = RATE_LIMIT_UNITS,
        window: float = RATE_LIMIT_WINDOW,
        parallel: int = PARALLEL_REQUESTS,
        account_parallel: int = ACCOUNT_PARALLEL_REQUESTS,
        clock=time.monotonic,
    ):
        self.limit, self.window, self.parallel, self.clock = limit, window, parallel, clock
        self.account_parallel = account_parallel
        self._lock = threading.Lock()
        self._times: dict[str, collections.deque] = collections.defaultdict(collections.deque)
        self._in_flight: collections.Counter = collections.Counter()
        self._account_in_flight: collections.Counter = collections.Counter()

    def _trim(self, token: str, now: float) -> collections.deque:
        times = self._times[token]
        while times and times[0][0] <= now - self.window:
            times.popleft()
        return times

    def enter(self, token: str, weight: int = 1, account_id: str | None = None) -> None:
        """Admit a request or raise the 429 МойСклад would answer."""
        with self._lock:
            now = self.clock()
            times = self._trim(token, now)
            used = sum(w for _, w in times)
            if used + weight > self.limit:
                # The bucket frees when enough of the oldest requests leave the window.
                freed, wait_until = used, now
                for sent, spent in times:
                    freed -= spent
                    wait_until = sent + self.window
                    if freed + weight <= self.limit:
                        break
                wait_ms = max(math.ceil((wait_until - now) * 1000), 1)
                headers = self._headers(token, weight, now) | {"X-Lognex-Retry-After": str(wait_ms)}
                raise ApiError(
                    429, RATE_LIMIT, "Превышено ограничение на количество запросов", headers
                )
            if self._in_flight[token] >= self.parallel or (
                account_id and self._account_in_flight[account_id] >= self.account_parallel
            ):
                raise ApiError(
                    429, PARALLEL_LIMIT, "Превышено ограничение на количество параллельных запросов"
                )
            times.append((now, weight))
            self._in_flight[token] += 1
            if account_id:
                self._account_in_flight[account_id] += 1

    def leave(self, token: str, account_id: str | None = None) -> None:
        with self._lock:
            self._in_flight[token] -= 1
            if account_id:
                self._account_in_flight[account_id] -= 1

    def headers(self, token: str, weight: int = 1) -> dict[str, str]:
        with self._lock:
            return self._headers(token, weight, self.clock())

    def _headers(self, token: str, weight: int, now: float) -> dict[str, str]:
        times = self._trim(token, now)
        used = sum(w for _, w in times)
        reset_ms = math.ceil((times[0][0] + self.window - now) * 1000) if times else 0
        return {
            "X-RateLimit-Limit": str(self.limit // weight),
            "X-RateLimit-Remaining": str(max(self.limit - used, 0) // weight),
            "X-Lognex-Retry-TimeInterval": str(int(self.window * 1000)),
            "X-Lognex-Reset": str(reset_ms),
        }
