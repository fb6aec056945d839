"""Per-token request limits (45 per 3 s sliding window, ≤ 5 in flight) and injected faults."""

import collections
import math
import threading
import time

from scripts.simulator.errors import PARALLEL_LIMIT, RATE_LIMIT, ApiError

RATE_LIMIT_REQUESTS = 45
RATE_LIMIT_WINDOW = 3.0
PARALLEL_REQUESTS = 5


class TokenLimits:
    """Counts accepted requests per token; refuses like МойСклад with 429 and its headers."""

    def __init__(
        self,
        limit: int = RATE_LIMIT_REQUESTS,
        window: float = RATE_LIMIT_WINDOW,
        parallel: int = PARALLEL_REQUESTS,
        clock=time.monotonic,
    ):
        self.limit, self.window, self.parallel, self.clock = limit, window, parallel, clock
        self._lock = threading.Lock()
        self._times: dict[str, collections.deque] = collections.defaultdict(collections.deque)
        self._in_flight: collections.Counter = collections.Counter()

    def _trim(self, token: str, now: float) -> collections.deque:
        times = self._times[token]
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def enter(self, token: str) -> None:
        """Admit a request or raise the 429 МойСклад would answer."""
        with self._lock:
            now = self.clock()
            times = self._trim(token, now)
            if len(times) >= self.limit:
                wait_ms = math.ceil((times[0] + self.window - now) * 1000)
                headers = self._headers(token, now) | {"X-Lognex-Retry-After": str(wait_ms)}
                raise ApiError(
                    429, RATE_LIMIT, "Превышено ограничение на количество запросов", headers
                )
            if self._in_flight[token] >= self.parallel:
                raise ApiError(
                    429, PARALLEL_LIMIT, "Превышено ограничение на количество параллельных запросов"
                )
            times.append(now)
            self._in_flight[token] += 1

    def leave(self, token: str) -> None:
        with self._lock:
            self._in_flight[token] -= 1

    def headers(self, token: str) -> dict[str, str]:
        with self._lock:
            return self._headers(token, self.clock())

    def _headers(self, token: str, now: float) -> dict[str, str]:
        times = self._trim(token, now)
        reset_ms = math.ceil((times[0] + self.window - now) * 1000) if times else 0
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(self.limit - len(times), 0)),
            "X-Lognex-Retry-TimeInterval": str(int(self.window * 1000)),
            "X-Lognex-Reset": str(reset_ms),
        }


class Faults:
    """Faults for the next API requests, in order: a status to answer or a dropped connection."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending: collections.deque = collections.deque()
        self._broken: dict[str, int] = {}  # entity id → status every read of it answers

    def break_entity(self, entity_id: str, status: int) -> None:
        """Every read naming this entity (in its path or filter) answers `status` from now on."""
        with self._lock:
            self._broken[entity_id] = status

    def broken_read_status(self, uri: str) -> int | None:
        """The status of a broken entity the request URI names, if any."""
        with self._lock:
            return next((s for eid, s in self._broken.items() if eid in uri), None)

    def add(self, count: int, status: int | None = None, drop: bool = False) -> None:
        with self._lock:
            self._pending.extend(["drop" if drop else status] * count)

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()
            self._broken.clear()

    def take_drop(self) -> bool:
        with self._lock:
            if self._pending and self._pending[0] == "drop":
                self._pending.popleft()
                return True
            return False

    def take_status(self) -> int | None:
        with self._lock:
            if self._pending and self._pending[0] != "drop":
                return self._pending.popleft()
            return None
