"""A rate limiter shared by every process through Redis: a sliding window plus in-flight slots.

The window holds as many requests as the token's kind allows (45 units per 3 s divided by the
kind's weight), and follows the server when its `X-RateLimit-Limit` is lower or its
`X-RateLimit-Remaining` says more of the window is spent than we counted (another client of the
same token, or our clock ahead of its).
"""

import contextlib
import hashlib
import threading
import time
import uuid
from collections.abc import Callable, Iterator

from redis import Redis

from jobs.moysklad import defaults
from jobs.moysklad.errors import MoySkladRateLimited

# KEYS: window zset (score = send time), slots zset (score = lease expiry), server limit.
# ARGV: limit, window ms, parallel, lease ms, member.  Returns {1, 0} or {0, wait ms (-1: slots)}.
# Redis' clock is the one clock every process shares; expired slots of dead processes are dropped.
ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local parallel, lease = tonumber(ARGV[3]), tonumber(ARGV[4])
local told = tonumber(redis.call('GET', KEYS[3]) or '')
if told and told < limit then limit = told end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, math.max(tonumber(oldest[2]) + window - now, 1)}
end
if redis.call('ZCARD', KEYS[2]) >= parallel then
  return {0, -1}
end
redis.call('ZADD', KEYS[1], now, ARGV[5])
redis.call('ZADD', KEYS[2], now + lease, ARGV[5])
redis.call('PEXPIRE', KEYS[1], window * 2)
redis.call('PEXPIRE', KEYS[2], lease * 2)
return {1, 0}
"""

# KEYS: window zset, server limit.  ARGV: our limit, window ms, server limit, remaining, ttl ms.
# A lower server limit is kept; requests the server counted and we did not are added to the
# window as placeholders (they leave it like any other).
OBSERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local told, remaining = tonumber(ARGV[3]), tonumber(ARGV[4])
if told and told > 0 and told < limit then
  redis.call('SET', KEYS[2], told, 'PX', ARGV[5])
  limit = told
end
if not remaining then return 0 end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local missing = (limit - remaining) - redis.call('ZCARD', KEYS[1])
for i = 1, missing do
  redis.call('ZADD', KEYS[1], now, 'seen:' .. now .. ':' .. i .. ':' .. t[2])
end
if missing > 0 then redis.call('PEXPIRE', KEYS[1], window * 2) end
return math.max(missing, 0)
"""


# KEYS: slots zset.  ARGV: lease ms, members...  A slot still in flight gets a new lease (only
# members still there: a released slot is not brought back).
RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i])
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
return 0
"""


class _Renewals:
    """One daemon thread per process renewing the leases of its slots in flight, so a slot's
    lease can be short: a process killed mid-request frees its slot within IN_FLIGHT_LEASE
    seconds, while a long request (a bulk write may take minutes) keeps it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._slots: dict[tuple[int, str], tuple[RateLimiter, set[str]]] = {}
        self._thread: threading.Thread | None = None
        self._added = threading.Event()

    def add(self, limiter: "RateLimiter", member: str) -> None:
        with self._lock:
            key = (id(limiter.redis), limiter.slots_key)
            self._slots.setdefault(key, (limiter, set()))[1].add(member)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, daemon=True, name="slot-leases")
                self._thread.start()
        self._added.set()

    def remove(self, limiter: "RateLimiter", member: str) -> None:
        with self._lock:
            entry = self._slots.get((id(limiter.redis), limiter.slots_key))
            if entry is not None:
                entry[1].discard(member)

    def _run(self) -> None:
        while True:
            with self._lock:
                leases = [lim.args[3] / 1000 for lim, members in self._slots.values() if members]
            interval = min([defaults.IN_FLIGHT_RENEW_INTERVAL] + [lease / 3 for lease in leases])
            self._added.wait(interval)
            self._added.clear()
            with self._lock:
                work = [(lim, list(members)) for lim, members in self._slots.values() if members]
            for limiter, members in work:
                with contextlib.suppress(Exception):  # Redis away: the lease runs out, as it should
                    limiter._renew(keys=[limiter.slots_key], args=[limiter.args[3], *members])


_renewals = _Renewals()


def requests_per_window(token_kind: str) -> int:
    """How many requests of this kind of token fit in one window."""
    return defaults.RATE_LIMIT_UNITS // defaults.TOKEN_WEIGHTS[token_kind]


class RateLimiter:
    """Waits until a request of this token may be sent without being refused."""

    def __init__(
        self,
        redis: Redis,
        token: str,
        *,
        sleep: Callable[[float], None] = time.sleep,
        limit: int = defaults.RATE_LIMIT_REQUESTS,
        window: float = defaults.RATE_LIMIT_WINDOW + defaults.RATE_LIMIT_MARGIN,
        parallel: int = defaults.PARALLEL_REQUESTS,
        lease: float = defaults.IN_FLIGHT_LEASE,
        max_wait: float = defaults.LIMITER_MAX_WAIT,
    ):
        # The token itself never lands in Redis; its digest names the keys.
        digest = hashlib.sha256(token.encode()).hexdigest()[:24]
        self.window_key = f"{defaults.LIMITER_KEY_PREFIX}{digest}:window"
        self.slots_key = f"{defaults.LIMITER_KEY_PREFIX}{digest}:slots"
        self.told_key = f"{defaults.LIMITER_KEY_PREFIX}{digest}:told"
        self.redis = redis
        self.sleep = sleep
        self.limit = limit
        self.args = (limit, int(window * 1000), parallel, int(lease * 1000))
        self.max_wait = max_wait
        self._acquire = redis.register_script(ACQUIRE)
        self._observe = redis.register_script(OBSERVE)
        self._renew = redis.register_script(RENEW)

    def acquire(self) -> str:
        """Take a place in the window and an in-flight slot; returns the slot's name."""
        member = uuid.uuid4().hex
        deadline = time.monotonic() + self.max_wait
        keys = [self.window_key, self.slots_key, self.told_key]
        while True:
            granted, wait_ms = self._acquire(keys=keys, args=[*self.args, member])
            if granted:
                return member
            if time.monotonic() >= deadline:
                raise MoySkladRateLimited(f"no request slot within {self.max_wait} s")
            self.sleep(defaults.LIMITER_POLL if wait_ms < 0 else wait_ms / 1000)

    def release(self, member: str) -> None:
        self.redis.zrem(self.slots_key, member)

    def observe(self, headers) -> int:
        """Follow an answer's X-RateLimit-Limit / -Remaining; returns placeholders added."""
        told = _number(headers.get("X-RateLimit-Limit"))
        remaining = _number(headers.get("X-RateLimit-Remaining"))
        if told is None:
            return 0
        ttl = int(defaults.SERVER_LIMIT_TTL * 1000)
        args = [self.limit, self.args[1], told, "" if remaining is None else remaining, ttl]
        return int(self._observe(keys=[self.window_key, self.told_key], args=args))

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        member = self.acquire()
        _renewals.add(self, member)
        try:
            yield
        finally:
            _renewals.remove(self, member)
            self.release(member)


def _number(value) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
