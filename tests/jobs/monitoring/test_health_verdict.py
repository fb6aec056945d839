"""The one verdict: healthy only when every source is, down when the pipeline cannot work."""

from psycopg2 import OperationalError
from rq import Queue, Worker

from jobs import defaults
from jobs.monitoring.health import verdict
from store.webhooks import save_webhook
from tests.jobs.log_rows import add_logs
from tests.jobs.monitoring.test_health import ACCOUNT, add_main_account_with_its_webhooks


def start_worker(redis) -> Worker:
    """A worker registered in Redis (what no_worker looks for), not running jobs."""
    queues = [defaults.WEBHOOKS_QUEUE, defaults.HOUSEKEEPING_QUEUE]
    worker = Worker([Queue(name, connection=redis) for name in queues], connection=redis)
    worker.register_birth()
    return worker


def test_a_working_pipeline_with_healthy_accounts_is_healthy(settings, db, redis):
    add_main_account_with_its_webhooks(settings)
    add_logs(30, ACCOUNT, "completed")
    start_worker(redis)
    judged = verdict(redis)
    assert (judged.level, judged.reasons, judged.code) == ("healthy", [], 0)


def test_no_worker_means_down(settings, db, redis):
    add_main_account_with_its_webhooks(settings)
    add_logs(30, ACCOUNT, "completed")
    judged = verdict(redis)
    assert judged.level == "down" and judged.code == 2
    assert judged.reasons == [
        ("down", f"no_worker: no RQ worker is listening on queue {queue}")
        for queue in (defaults.WEBHOOKS_QUEUE, defaults.HOUSEKEEPING_QUEUE)
    ]


def test_one_webhook_over_the_failure_rate_limit_degrades_with_the_account_name(
    settings, db, redis
):
    add_main_account_with_its_webhooks(settings)
    add_logs(90, ACCOUNT, "completed", entity_type="service")
    add_logs(18, ACCOUNT, "completed")
    add_logs(3, ACCOUNT, "failed")  # 3 of 21 for product UPDATE; 3 of 111 for the account
    start_worker(redis)
    judged = verdict(redis)
    assert judged.level == "degraded"
    assert judged.reasons == [
        ("degraded", "account shop: product UPDATE: failure rate 14.3% in the last hour")
    ]


def test_a_disabled_webhook_degrades(settings, db, redis):
    add_main_account_with_its_webhooks(settings)
    save_webhook(ACCOUNT, "product", "UPDATE", None, "u", "FIELDS", False, "disabled")
    add_logs(1, ACCOUNT, "completed")
    start_worker(redis)
    assert verdict(redis).reasons == [
        ("degraded", "account shop: product UPDATE: in МойСклад: disabled")
    ]


def test_another_source_plugs_in_and_its_severities_are_mapped(db, redis):
    start_worker(redis)

    def executor():
        return [("warning", "sync backlog 300"), ("critical", "executor stalled")]

    judged = verdict(redis, sources=[executor])
    assert judged.level == "down"
    assert judged.reasons == [("down", "executor stalled"), ("degraded", "sync backlog 300")]


def test_a_source_that_cannot_be_read_is_down_with_the_reason(db, redis):
    def broken():
        raise OperationalError("connection refused")

    judged = verdict(redis, sources=[broken])
    assert judged.reasons == [("down", "cannot be judged: OperationalError: connection refused")]
