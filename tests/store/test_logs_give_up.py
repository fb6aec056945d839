"""Giving up a delivery: failed and marked, skipped by retry-all; a finished log is left alone."""

from jobs.queues import enqueue_webhook, give_up_webhook, retry_failed_logs, webhook_job_id
from store.logs import LogFilter, failed_log_ids, get_log
from store.models import WebhookLog
from tests.jobs.log_rows import add_logs


def test_a_retrying_log_given_up_is_failed_its_job_removed_and_retry_all_skips_it(db, redis):
    add_logs(1, None, "received", attempts=2, error="try 2 failed: 500")
    add_logs(1, None, "failed", error="boom")
    waiting, failed = [row.id for row in WebhookLog.select().order_by(WebhookLog.id)]
    enqueue_webhook(redis, waiting)
    assert give_up_webhook(redis, waiting, "olga") == "received"
    log = get_log(waiting)
    assert (log.status, log.given_up_by) == ("failed", "olga")
    assert log.error == "try 2 failed: 500 — given up by olga"
    assert not redis.exists(f"rq:job:{webhook_job_id(waiting)}")
    assert failed_log_ids(LogFilter()) == [failed]
    assert retry_failed_logs(redis, LogFilter()) == [failed]
    assert get_log(waiting).status == "failed"


def test_a_completed_log_cannot_be_given_up(db, redis):
    add_logs(1, None, "completed")
    log_id = WebhookLog.get().id
    assert give_up_webhook(redis, log_id, "olga") is None
    assert get_log(log_id).given_up_by is None
