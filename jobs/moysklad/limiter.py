"""A rate limiter shared by every process through Redis: a sliding window plus in-flight slots."""

import contextlib
import hashlib
import time
import uuid
from collections.abc import Callable, Iterator

from redis import Redis

from jobs.moysklad import defaults
from jobs.moysklad.errors import MoySkladRateLimited

# KEYS: window zset (score = send time), slots zset (score = lease expiry).
# ARGV: limit, window ms, parallel, lease ms, member.  Returns {1, 0} or {0, wait ms (-1: slots)}.
# Redis' clock is the one clock every process shares; expired slots of dead processes are dropped.
ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local parallel, lease = tonumber(ARGV[3]), tonumber(ARGV[4])
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
        self.redis = redis
        self.sleep = sleep
        self.args = (limit, int(window * 1000), parallel, int(lease * 1000))
        self.max_wait = max_wait
        self._acquire = redis.register_script(ACQUIRE)

    def acquire(self) -> str:
        """Take a place in the window and an in-flight slot; returns the slot's name."""
        member = uuid.uuid4().hex
        deadline = time.monotonic() + self.max_wait
        while True:
            granted, wait_ms = self._acquire(
                keys=[self.window_key, self.slots_key], args=[*self.args, member]
            )
            if granted:
                return member
            if time.monotonic() >= deadline:
                raise MoySkladRateLimited(f"no request slot within {self.max_wait} s")
            self.sleep(defaults.LIMITER_POLL if wait_ms < 0 else wait_ms / 1000)

    def release(self, member: str) -> None:
        self.redis.zrem(self.slots_key, member)

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        member = self.acquire()
        try:
            yield
        finally:
            self.release(member)
