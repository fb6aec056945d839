"""One executor per target account at a time, beside RQ's job id: a Redis lock with a short
lifetime that a live holder keeps extending from a heartbeat thread, so a job that was killed
frees its target within TARGET_LOCK_TTL seconds and the next one releases its claims."""

import threading

from redis import Redis
from redis.exceptions import LockError
from redis.lock import Lock

from jobs.sync import defaults


class TargetLock:
    def __init__(self, redis: Redis, target_account_id: str, ttl: float = defaults.TARGET_LOCK_TTL):
        self.redis = redis
        self.name = f"{defaults.TARGET_LOCK_PREFIX}{target_account_id}"
        self.ttl = ttl
        self._lock: Lock = redis.lock(self.name, timeout=ttl, thread_local=False)
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    def acquire(self) -> bool:
        """Take the lock without waiting; True when taken (the heartbeat then runs)."""
        if not self._lock.acquire(blocking=False):
            return False
        self._stop.clear()
        self._beat = threading.Thread(target=self._heartbeat, daemon=True, name=self.name)
        self._beat.start()
        return True

    def held_elsewhere(self) -> bool:
        return bool(self.redis.exists(self.name))

    def release(self) -> None:
        self._stop.set()
        if self._beat is not None:
            self._beat.join()
            self._beat = None
        if self._lock.owned():
            self._lock.release()

    def _heartbeat(self) -> None:
        while not self._stop.wait(self.ttl / 3):
            try:
                self._lock.extend(self.ttl, replace_ttl=True)
            except LockError:  # expired (the process stalled longer than the ttl): stop
                return
