"""Claiming and finishing webhook_logs rows."""

from store.log_processing import claim_log, complete_log, fail_log, ignore_log, release_log
from store.logs import Delivery, get_log, record_delivery

STALE = 600


def stored_log() -> int:
    return record_delivery(
        Delivery(
            "r-1",
            "9171a53c-b719-11eb-c0a8-800d00000001",
            "product",
            "UPDATE",
            ["x"],
            1,
            '{"events": []}',
        ),
        receive_ms=2.5,
    )


def test_claim_takes_a_received_log_once(db):
    log_id = stored_log()
    claim = claim_log(log_id, None, STALE)
    assert (claim.attempts, claim.payload) == (1, {"events": []})
    assert claim_log(log_id, None, STALE) is None
    log = get_log(log_id)
    assert (log.status, log.receive_ms) == ("processing", 2.5) and log.started_at is not None


def test_claim_retakes_a_processing_log_only_when_stale(db):
    log_id = stored_log()
    claim_log(log_id, 3.0, STALE)
    db.execute_sql("UPDATE webhook_logs SET started_at = now() - interval '11 minutes'")
    assert claim_log(log_id, None, STALE).attempts == 2
    assert get_log(log_id).receive_ms == 3.0


def test_finished_logs_are_never_claimed_again(db):
    for finish in (
        lambda i: complete_log(i, 2, None, 1.0),
        lambda i: ignore_log(i, "why", 1.0),
        lambda i: fail_log(i, "boom", 1.0),
    ):
        db.execute_sql("TRUNCATE webhook_logs")
        log_id = stored_log()
        claim_log(log_id, None, STALE)
        assert finish(log_id)
        db.execute_sql("UPDATE webhook_logs SET started_at = now() - interval '1 day'")
        assert claim_log(log_id, None, STALE) is None


def test_released_log_keeps_the_error_and_can_be_claimed_again(db):
    log_id = stored_log()
    claim_log(log_id, None, STALE)
    assert release_log(log_id, "try 1 failed: boom")
    log = get_log(log_id)
    assert (log.status, log.error) == ("received", "try 1 failed: boom")
    assert claim_log(log_id, None, STALE).attempts == 2


def test_every_finished_try_is_kept_in_the_timeline(db):
    log_id = stored_log()
    claim_log(log_id, None, STALE)
    release_log(log_id, "try 1 failed: timeout")
    claim_log(log_id, None, STALE)
    complete_log(log_id, 2, "merged into 1 pending task(s)", 12.0)
    tries = get_log(log_id).tries
    assert [(t["try"], t["outcome"], t["detail"]) for t in tries] == [
        (1, "retry", "try 1 failed: timeout"),
        (2, "completed", "merged into 1 pending task(s)"),
    ]
    assert all(t["started_at"] <= t["finished_at"] for t in tries)
