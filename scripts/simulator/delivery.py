"""Webhook delivery like МойСклад's: 1500 ms timeout, 3 immediate re-sends on a bad status."""

import collections
import json
import queue
import threading
import time
import uuid
from dataclasses import dataclass, field

import requests

USER_AGENT = "MoySklad webhook touch agent 2.0 (/https://www.moysklad.ru)"
DELIVERY_TIMEOUT = 1.5  # seconds; a slower answer loses the notification, no re-send
RESENDS = 3  # immediate re-sends after a status other than 200/204 (or a refused connection)
SUCCESS = (200, 204)
WORKERS = 4
MAX_RECORDS = 20_000  # attempts kept for inspection; older ones are forgotten


@dataclass
class Delivery:
    """One attempt to deliver one notification."""

    url: str
    request_id: str
    body: object
    attempt: int
    status: int | None = None
    outcome: str = "pending"  # ok | bad_status | timeout | error
    account_id: str | None = None
    webhook_id: str | None = None
    started: float = field(default_factory=time.time)
    duration: float = 0.0


@dataclass
class _Job:
    url: str
    body: object
    request_id: str
    account_id: str | None
    webhook_id: str | None


class Deliverer:
    """A queue of notifications sent by daemon threads; records every attempt."""

    def __init__(self, timeout: float = DELIVERY_TIMEOUT, workers: int = WORKERS):
        self.timeout = timeout
        self.records: collections.deque[Delivery] = collections.deque(maxlen=MAX_RECORDS)
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._pending = 0
        self._done = threading.Condition()
        self._workers = workers
        self._started = False

    def submit(
        self,
        url: str,
        body: object,
        *,
        account_id: str | None = None,
        webhook_id: str | None = None,
        request_id: str | None = None,
    ) -> str:
        request_id = request_id or str(uuid.uuid4())
        with self._done:
            self._pending += 1
            if not self._started:
                self._started = True
                for number in range(self._workers):
                    name = f"sim-delivery-{number}"
                    threading.Thread(target=self._run, name=name, daemon=True).start()
        self._queue.put(_Job(url, body, request_id, account_id, webhook_id))
        return request_id

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued notification is finished; False on timeout."""
        with self._done:
            return self._done.wait_for(lambda: self._pending == 0, timeout)

    def close(self) -> None:
        """Stop the delivery threads once the queue is empty."""
        with self._done:
            started, self._started = self._started, False
        for _ in range(self._workers if started else 0):
            self._queue.put(None)

    def _run(self) -> None:
        session = requests.Session()
        while True:
            job = self._queue.get()
            if job is None:
                session.close()
                return
            try:
                self._deliver(session, job)
            finally:
                with self._done:
                    self._pending -= 1
                    self._done.notify_all()

    def _deliver(self, session: requests.Session, job: _Job) -> None:
        data = job.body if isinstance(job.body, bytes) else json.dumps(job.body).encode()
        headers = {"User-Agent": USER_AGENT, "Content-Type": "application/json"}
        for attempt in range(1, RESENDS + 2):
            record = Delivery(
                job.url,
                job.request_id,
                job.body,
                attempt,
                account_id=job.account_id,
                webhook_id=job.webhook_id,
            )
            self.records.append(record)
            try:
                answer = session.post(
                    job.url,
                    params={"requestId": job.request_id},
                    data=data,
                    headers=headers,
                    timeout=self.timeout,
                )
                record.status = answer.status_code
                record.outcome = "ok" if answer.status_code in SUCCESS else "bad_status"
            except requests.Timeout:
                record.outcome = "timeout"
            except requests.RequestException:
                record.outcome = "error"
            record.duration = time.time() - record.started
            if record.outcome in ("ok", "timeout"):
                return
