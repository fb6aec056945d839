"""The sweeper cannot be jammed: independent steps, refused spool items set aside and recorded,
lost runs re-queued (a job counts only while it will really run), and nothing waits for ever."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from rq import Queue, Worker
from rq.job import Job, JobStatus

from jobs import defaults
from jobs.housekeeping.job_liveness import Pulse
from jobs.housekeeping.spool_drain import drain_spool
from jobs.housekeeping.sweeper import sweep
from jobs.queues import enqueue_webhook, webhook_job_id
from store.db import database
from store.logs import Delivery, get_log, record_delivery
from store.models import WebhookLog
from store.spool import SET_ASIDE_KEY, SPOOL_KEY, spool_delivery, spool_size

ACCOUNT = "9171a53c-b719-11eb-c0a8-800d00000001"
LATER = timedelta(minutes=1)  # past the sweeper's grace period


def delivery(request_id: str, body: str | None = None) -> Delivery:
    entity = str(uuid.uuid4())
    body = body or json.dumps(
        {
            "events": [
                {
                    "meta": {"type": "product", "href": f"https://x/entity/product/{entity}"},
                    "action": "UPDATE",
                    "accountId": ACCOUNT,
                }
            ]
        }
    )
    return Delivery(request_id, ACCOUNT, "product", "UPDATE", [entity], 1, body)


def spool(redis, *deliveries: Delivery) -> None:
    for item in deliveries:
        spool_delivery(redis, item, datetime.now(UTC), 1.5)


@pytest.fixture
def queue(redis):
    return Queue(defaults.WEBHOOKS_QUEUE, connection=redis)


def test_an_unstorable_spooled_delivery_is_set_aside_recorded_and_the_rest_drains(db, redis, queue):
    # jsonb refuses \u0000; the receiver checks for it now, a spool written before did not.
    refused = delivery("refused", body='{"events": [], "note": "a\\u0000b"}')
    spool(redis, delivery("one"), refused, delivery("two"))
    redis.lpush(SPOOL_KEY, b"\xffnot a spooled item")
    spool(redis, delivery("three"))

    result = sweep()
    assert (result["drained"], result["set_aside"], result["errors"]) == (3, 2, [])
    logs = {log.request_id: log for log in WebhookLog.select()}
    assert {r for r, log in logs.items() if log.status == "received"} == {"one", "two", "three"}
    assert logs["refused"].status == "rejected" and logs["refused"].http_status == 200
    assert "untranslatable" in logs["refused"].reason or "u0000" in logs["refused"].reason
    assert "a\\u0000b" in logs["refused"].raw_body  # the body is kept for the operator
    unreadable = [log for r, log in logs.items() if r.startswith("spool-")]
    assert len(unreadable) == 1 and "cannot be read" in unreadable[0].reason
    assert spool_size(redis) == 0 and redis.llen(SET_ASIDE_KEY) == 0
    assert len(queue.job_ids) == 3


def test_a_failing_step_does_not_stop_the_others(db, redis, queue):
    log_id = record_delivery(delivery("stranded"))
    redis.set(SPOOL_KEY, "not a list")  # every spool command now fails with WRONGTYPE
    result = sweep(now=datetime.now(UTC) + LATER)
    assert result["requeued"] == 1 and queue.job_ids == [webhook_job_id(log_id)]
    assert len(result["errors"]) == 1 and result["errors"][0].startswith("drain spool:")


def test_a_queued_job_no_queue_holds_is_not_alive_and_the_log_is_requeued(db, redis, queue):
    log_id = record_delivery(delivery("popped"))
    enqueue_webhook(redis, log_id)
    # A worker took the id off the list and was killed before marking the job started.
    redis.lrem(queue.key, 0, webhook_job_id(log_id))
    assert Job.fetch(webhook_job_id(log_id), connection=redis).get_status() == JobStatus.QUEUED
    assert sweep(now=datetime.now(UTC) + LATER)["requeued"] == 1
    assert queue.job_ids == [webhook_job_id(log_id)]
    assert sweep(now=datetime.now(UTC) + LATER)["requeued"] == 0  # now it really is queued


def started_on(redis, log_id: int, worker_name: str) -> None:
    enqueue_webhook(redis, log_id)
    redis.lrem(Queue(defaults.WEBHOOKS_QUEUE, connection=redis).key, 0, webhook_job_id(log_id))
    job = Job.fetch(webhook_job_id(log_id), connection=redis)
    job.worker_name = worker_name
    job.set_status(JobStatus.STARTED)
    job.save()
    database.execute_sql(
        "UPDATE webhook_logs SET status = 'processing', attempts = 1,"
        " started_at = now() - interval '2 minutes' WHERE id = %s",
        (log_id,),
    )


def test_a_log_whose_worker_died_after_the_claim_is_requeued_without_waiting_ten_minutes(
    db, redis, queue
):
    log_id = record_delivery(delivery("claimed"))
    started_on(redis, log_id, "worker-that-was-killed")  # its key has expired: no heartbeat
    result = sweep()
    assert result["requeued"] == 1
    log = get_log(log_id)
    assert log.status == "received" and "run was lost" in log.error
    assert queue.job_ids == [webhook_job_id(log_id)]


def test_a_log_started_on_a_live_worker_is_left_alone(db, redis, queue):
    log_id = record_delivery(delivery("running"))
    worker = Worker([queue], connection=redis)
    pulse = Pulse(redis, worker.name)
    pulse.start()
    try:
        started_on(redis, log_id, worker.name)
        assert sweep()["requeued"] == 0
        assert get_log(log_id).status == "processing"
    finally:
        pulse.stop()
    assert sweep()["requeued"] == 1  # its pulse stopped: the worker is gone


def test_a_log_whose_runs_keep_getting_lost_ends_failed_with_the_reason(db, redis, queue):
    log_id = record_delivery(delivery("cursed"))
    database.execute_sql(
        "UPDATE webhook_logs SET status = 'processing', attempts = %s,"
        " started_at = now() - interval '11 minutes' WHERE id = %s",
        (defaults.STUCK_MAX_ATTEMPTS, log_id),
    )
    result = sweep()
    assert (result["failed"], result["requeued"]) == (1, 0)
    log = get_log(log_id)
    assert log.status == "failed" and "never finished in 8 tries" in log.error
    assert log.finished_at is not None and queue.job_ids == []


def test_one_sweep_drains_past_one_batch_until_the_spool_is_empty(db, redis, queue):
    spool(redis, *(delivery(f"d-{n}") for n in range(1234)))
    assert sweep()["drained"] == 1234
    assert WebhookLog.select().count() == 1234 and spool_size(redis) == 0
    assert queue.count == 1234


def test_the_drain_stops_at_its_time_budget_and_the_next_one_goes_on(db, redis):
    spool(redis, *(delivery(f"d-{n}") for n in range(25)))
    ticks = iter([0.0, 0.0, 5.0, 99.0])  # start, before batch 1, before batch 2, then past
    result = drain_spool(redis, batch=10, budget_seconds=10, clock=lambda: next(ticks))
    assert result.drained == 20 and spool_size(redis) == 5
    assert drain_spool(redis, batch=10).drained == 5


def test_a_second_drainer_leaves_the_spool_to_the_first(db, redis):
    spool(redis, delivery("only"))
    lock = redis.lock("webhooks:spool:drain-lock", timeout=30)
    assert lock.acquire(blocking=False)
    try:
        assert drain_spool(redis).busy and spool_size(redis) == 1
    finally:
        lock.release()
    assert drain_spool(redis).drained == 1


def test_resends_spooled_together_make_one_log_and_one_job(db, redis, queue):
    again = delivery("resent")
    spool(redis, again, again, again, delivery("other"))
    assert sweep()["drained"] == 2
    assert WebhookLog.select().count() == 2 and queue.count == 2


def test_a_refused_item_is_found_inside_a_chunk_and_its_neighbours_stored(
    db, redis, queue, monkeypatch
):
    monkeypatch.setattr(defaults, "SPOOL_DRAIN_BATCH_BYTES", 600)  # a few bodies per INSERT
    spool(redis, *(delivery(f"n-{n}") for n in range(7)))
    spool(redis, delivery("refused", body='{"events": [], "bad": "\\u0000"}'))
    spool(redis, *(delivery(f"m-{n}") for n in range(7)))
    result = sweep()
    assert (result["drained"], result["set_aside"]) == (14, 1)
    statuses = {log.request_id: log.status for log in WebhookLog.select()}
    assert statuses.pop("refused") == "rejected" and set(statuses.values()) == {"received"}
    assert len(statuses) == 14 and queue.count == 14
