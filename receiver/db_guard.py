"""Keeps the request path off an unreachable PostgreSQL: while it is down, deliveries are spooled
and a background thread probes until it answers again."""

import threading
import time

import psycopg2

from store.db import connect_params

PROBE_INTERVAL_SECONDS = 1.0


class DatabaseGuard:
    def __init__(self, database_url: str, connect_options: dict | None = None, sleep=time.sleep):
        self._params = connect_params(database_url) | (connect_options or {})
        self._sleep = sleep
        self._lock = threading.Lock()
        self._down = False

    @property
    def available(self) -> bool:
        return not self._down

    def report_failure(self) -> None:
        """The database failed a request: stop using it until a probe succeeds."""
        with self._lock:
            if self._down:
                return
            self._down = True
        # A probe may take the whole connect timeout; no request waits for it.
        threading.Thread(target=self._probe_until_up, name="db-probe", daemon=True).start()

    def _probe_until_up(self) -> None:
        while not self._probe():
            self._sleep(PROBE_INTERVAL_SECONDS)
        with self._lock:
            self._down = False

    def _probe(self) -> bool:
        # A read-only server (a standby, or mid-failover) is not back: it cannot take an INSERT.
        try:
            connection = psycopg2.connect(**self._params)
        except psycopg2.Error:
            return False
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_setting('transaction_read_only') = 'off'")
                return cursor.fetchone()[0]
        except psycopg2.Error:
            return False
        finally:
            connection.close()
