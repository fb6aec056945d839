"""The one verdict: healthy only when every source is, down when the pipeline cannot work."""

from psycopg2 import OperationalError
from rq import Queue, Worker

from jobs import defaults
from jobs.monitoring.health import verdict
from store.accounts import add_account, link_child
from store.models import Account
from store.webhooks import save_webhook
from tests.jobs.log_rows import add_logs
from tests.jobs.monitoring.test_health import ACCOUNT, add_main_account_with_its_webhooks
from tests.store.sync_rows import add_task

CHILD = "9171a53c-b719-11eb-c0a8-800d00000201"


def start_worker(redis) -> Worker:
    """A worker registered in Redis (what no_worker looks for), not running jobs."""
    queues = [defaults.WEBHOOKS_QUEUE, defaults.HOUSEKEEPING_QUEUE]
    worker = Worker([Queue(name, connection=redis) for name in queues], connection=redis)
    worker.register_birth()
    return worker


def start_sync_worker(redis) -> Worker:
    worker = Worker([Queue(defaults.SYNC_QUEUE, connection=redis)], connection=redis)
    worker.register_birth()
    return worker


def add_syncing_child(settings, mode: str = "live") -> None:
    """A child of the shop the executor serves (its own webhooks off: only sync is judged)."""
    add_account(CHILD, "Москва", "token-child", "child", settings.app_secret)
    link_child(ACCOUNT, CHILD)
    Account.update(sync_mode=mode, webhooks_enabled=False).where(Account.id == CHILD).execute()


def test_a_working_pipeline_with_healthy_accounts_is_healthy(settings, db, redis):
    add_main_account_with_its_webhooks(settings)
    add_logs(30, ACCOUNT, "completed")
    start_worker(redis)  # no sync worker: with no child and no task it is not missed
    judged = verdict(redis)
    assert (judged.level, judged.reasons, judged.code) == ("healthy", [], 0)


def test_tasks_due_for_a_live_child_without_a_sync_worker_are_down_until_one_listens(
    settings, db, redis
):
    add_main_account_with_its_webhooks(settings)
    add_logs(30, ACCOUNT, "completed")
    add_syncing_child(settings)
    start_worker(redis)
    assert verdict(redis).healthy  # a syncing child with nothing to apply
    add_task(CHILD, scheduled_ago=5)
    judged = verdict(redis)
    assert (judged.level, judged.code) == ("down", 2)
    assert judged.reasons == [
        ("down", "no RQ worker is listening on queue sync: 1 pending task(s) of Москва are not"
                 " applied"),
    ]  # fmt: skip
    start_sync_worker(redis)
    assert verdict(redis).healthy


def test_sync_lag_over_its_target_degrades_and_over_its_limit_is_down(settings, db, redis):
    add_main_account_with_its_webhooks(settings)
    add_logs(30, ACCOUNT, "completed")
    add_syncing_child(settings, mode="shadow")
    start_worker(redis)
    start_sync_worker(redis)
    add_task(CHILD, scheduled_ago=defaults.SYNC_LAG_DEGRADED_SECONDS + 30)
    judged = verdict(redis)
    assert judged.level == "degraded"
    assert [why.split(":")[0] for _, why in judged.reasons] == ["sync lag of Москва"]
    add_task(CHILD, scheduled_ago=defaults.SYNC_LAG_DOWN_SECONDS + 60)
    assert verdict(redis).level == "down"
    Account.update(sync_mode="off").where(Account.id == CHILD).execute()
    assert verdict(redis).healthy  # an off child's tasks wait on purpose


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
