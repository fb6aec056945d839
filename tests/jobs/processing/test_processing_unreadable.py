"""A stored payload that cannot be read back or turned into events ends `failed`, never stuck."""

from rq import SimpleWorker

from jobs import defaults
from jobs.queues import enqueue_webhook
from store.logs import Delivery, record_delivery
from store.models import WebhookLog

ACCOUNT = "9171a53c-b719-11eb-c0a8-800d00000001"


def stored(body: str) -> int:
    return record_delivery(Delivery("unreadable", ACCOUNT, "product", "UPDATE", [], 1, body))


def test_a_payload_postgres_stored_but_python_cannot_read_ends_failed_with_the_error(db, redis):
    # jsonb keeps -1e99999 as a 100,000-digit number; reading it back exceeds Python's limit.
    # (The receiver refuses such numbers now; rows stored before still exist.)
    log_id = stored('{"events": [], "n": -1e99999}')
    enqueue_webhook(redis, log_id)
    SimpleWorker([defaults.WEBHOOKS_QUEUE], connection=redis).work(burst=True)
    columns = (WebhookLog.status, WebhookLog.error, WebhookLog.finished_at, WebhookLog.attempts)
    log = WebhookLog.select(*columns).where(WebhookLog.id == log_id).get()  # not the payload
    assert log.status == "failed"
    assert log.error.startswith("stored payload cannot be read:") and log.finished_at
    assert log.attempts == 1
