"""What tests and benchmarks observe and steer: recorded requests, deliveries, latency, faults."""

import collections
import threading
from dataclasses import dataclass, field

from scripts.simulator.delivery import DELIVERY_TIMEOUT, Deliverer, Delivery
from scripts.simulator.faults import Faults
from scripts.simulator.limits import TokenLimits

# A long-running demo keeps only the latest records (memory stays bounded).
MAX_RECORDS = 20_000


@dataclass
class RecordedRequest:
    """One request the API received (headers with lower-case names) and the status it answered."""

    method: str
    path: str
    query: dict
    headers: dict
    json: object
    status: int
    token: str | None = None
    duration: float = 0.0
    token_kind: str | None = None
    weight: int = 0
    extra: dict = field(default_factory=dict)


class Instruments:
    """Records, limits, latency and faults of a simulator (its base class)."""

    def __init__(self, delivery_timeout: float = DELIVERY_TIMEOUT):
        self.lock = threading.RLock()
        self.deliverer = Deliverer(delivery_timeout)
        self.limits = TokenLimits()
        self.faults = Faults()
        self.latency = 0.0
        self._requests: collections.deque[RecordedRequest] = collections.deque(maxlen=MAX_RECORDS)

    @property
    def deliveries(self) -> list[Delivery]:
        return list(self.deliverer.records)

    def flush_deliveries(self, timeout: float = 10.0) -> bool:
        """Wait until every queued delivery is finished; False on timeout."""
        return self.deliverer.flush(timeout)

    def record(self, request: RecordedRequest) -> None:
        with self.lock:
            self._requests.append(request)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self.lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self.lock:
            self._requests.clear()

    def clear_deliveries(self) -> None:
        self.deliverer.records.clear()

    def set_latency(self, seconds: float) -> None:
        self.latency = seconds

    def fail_next(
        self, count: int = 1, status: int = 500, drop: bool = False, after: bool = False
    ) -> None:
        """The next `count` API requests answer `status`, or lose their connection when `drop`
        (before being applied, or after it with `after`)."""
        self.faults.add(count, status, drop, after)

    def set_rate_limit(
        self, limit: int, window: float, parallel: int, account_parallel: int = 20
    ) -> None:
        """`limit` units per `window` seconds per token (a request costs its token's weight)."""
        self.limits = TokenLimits(limit, window, parallel, account_parallel)

    def close(self) -> None:
        """Stop the delivery threads (the simulator stays usable; they restart on demand)."""
        self.deliverer.close()

    def reset_instruments(self) -> None:
        with self.lock:
            self._requests.clear()
            self.deliverer.records.clear()
            self.faults.clear()
            self.latency = 0.0
            self.limits = TokenLimits()
