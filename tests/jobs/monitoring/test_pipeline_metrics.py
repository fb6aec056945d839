"""The pipeline's /metrics: worker-side values from PostgreSQL and Redis, through the receiver."""

from datetime import UTC, datetime, timedelta

from falcon import testing
from prometheus_client.parser import text_string_to_metric_families
from rq import Queue

from jobs import defaults
from jobs.monitoring.pipeline_metrics import (
    CACHE_KEY,
    METRIC_NAMES,
    PipelineCollector,
    render_pipeline_metrics,
)
from jobs.monitoring.worker_metrics import observe_processing
from receiver.app import create_app
from store.models import SyncTask
from tests.jobs.log_rows import add_logs
from tests.jobs.monitoring.test_health_verdict import start_worker

ACCOUNT = "9171a53c-b719-11eb-c0a8-800d00000001"


def samples(text: bytes) -> dict[tuple[str, tuple], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text.decode())
        for s in family.samples
    }


def seed(redis) -> None:
    now = datetime.now(UTC)
    add_logs(4, ACCOUNT, "completed", processing_ms=30)
    add_logs(2, ACCOUNT, "failed")
    add_logs(3, ACCOUNT, "received", received_at=now - timedelta(seconds=90))
    for number, status in enumerate(("pending", "completed", "failed")):
        SyncTask.insert(
            target_account_id=ACCOUNT, source_account_id=ACCOUNT, entity_type="product",
            entity_id=f"p-{number}", operation="update", status=status, scheduled_at=now,
            created_at=now - timedelta(seconds=4), changed_at=now - timedelta(seconds=4),
            updated_at=now, finished_at=now if status != "pending" else None,
        ).execute()  # fmt: skip
    for _ in range(3):
        observe_processing(redis, "completed", 30)
    observe_processing(redis, "retry", 700)
    Queue(defaults.WEBHOOKS_QUEUE, connection=redis).enqueue("builtins.len", [1])


def test_worker_metrics_are_read_at_scrape_time(db, redis):
    seed(redis)
    start_worker(redis)
    got = samples(render_pipeline_metrics(PipelineCollector(redis), redis))
    assert got[("webhook_pipeline_metrics_up", ())] == 1
    assert got[("webhook_queue_depth", (("queue", "webhooks"),))] == 1
    assert got[("webhook_rq_workers", (("queue", "webhooks"),))] == 1
    assert got[("webhook_logs_unprocessed", ())] == 3
    assert got[("webhook_oldest_unprocessed_seconds", ())] >= 90
    assert got[("webhook_logs_last_hour", (("status", "failed"),))] == 2
    assert got[("webhook_processing_seconds_bucket", (("le", "0.05"),))] == 3
    assert got[("webhook_processing_seconds_bucket", (("le", "+Inf"),))] == 4
    assert got[("webhook_processing_seconds_count", ())] == 4
    assert got[("webhook_processing_outcomes_total", (("outcome", "retry"),))] == 1
    assert got[("sync_tasks", (("status", "pending"),))] == 1
    assert 3.9 < got[("sync_executor_latency_seconds", (("quantile", "0.5"),))] < 5
    # the oldest delivery waits 90 s (> 60): processing is behind, the pipeline degraded
    assert got[("webhook_pipeline_verdict", ())] == 1
    exposed = {name.removesuffix("_bucket").removesuffix("_count").removesuffix("_sum")
               for name, _ in got}  # fmt: skip
    assert set(METRIC_NAMES) <= exposed


def test_one_computation_is_shared_for_a_few_seconds(db, redis):
    collector = PipelineCollector(redis)
    first = render_pipeline_metrics(collector, redis)
    observe_processing(redis, "failed", 10)
    assert render_pipeline_metrics(collector, redis) == first
    redis.delete(CACHE_KEY)
    assert render_pipeline_metrics(collector, redis) != first


def test_a_database_the_guard_reports_down_is_not_queried(db, redis):
    got = samples(render_pipeline_metrics(PipelineCollector(redis, lambda: False), redis))
    assert got == {("webhook_pipeline_metrics_up", ()): 0}


def test_the_receivers_metrics_carry_the_worker_side(settings, db, redis):
    seed(redis)
    text = testing.TestClient(create_app(settings, redis)).simulate_get("/metrics").text
    got = samples(text.encode())
    assert got[("webhook_pipeline_verdict", ())] == 2  # no worker: down
    assert got[("webhook_processing_outcomes_total", (("outcome", "completed"),))] == 3
    assert ("webhook_receive_seconds_count", ()) in got
