"""Injected faults for the next API requests: a status to answer or a dropped connection."""

import collections
import threading


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

    def add(
        self, count: int, status: int | None = None, drop: bool = False, after: bool = False
    ) -> None:
        """`drop`: the connection closes unanswered — before the request is applied, or with
        `after` once it has been (so a client cannot tell whether its write happened)."""
        kind = ("drop-after" if after else "drop") if drop else status
        with self._lock:
            self._pending.extend([kind] * count)

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()
            self._broken.clear()

    def take_drop(self) -> str | None:
        """ "drop" or "drop-after" when the next request loses its connection."""
        with self._lock:
            if self._pending and self._pending[0] in ("drop", "drop-after"):
                return self._pending.popleft()
            return None

    def take_status(self) -> int | None:
        with self._lock:
            if self._pending and self._pending[0] not in ("drop", "drop-after"):
                return self._pending.popleft()
            return None
