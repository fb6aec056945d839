"""The pipeline's Prometheus metrics, computed at scrape time from PostgreSQL and Redis (so they
are right whichever process or host did the work): the verdict, queues, backlog, outcomes,
processing latency, sync tasks and executor latency. The receiver's /metrics appends them."""

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from prometheus_client import generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from psycopg2 import Error as DatabaseError
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Worker

from jobs import defaults
from jobs.monitoring.health import verdict
from jobs.monitoring.worker_metrics import read_processing
from store.db import database
from store.health import oldest_unprocessed_at
from store.pipeline_counts import (
    count_logs_by_status_since,
    count_sync_tasks_by_status,
    sync_latency_quantiles,
)
from store.reports import count_unprocessed_logs

CACHE_KEY = "metrics:pipeline_text"
CACHE_SECONDS = 10  # every process's scrape within this reuses one computation
QUEUES = (defaults.WEBHOOKS_QUEUE, defaults.SYNC_QUEUE, defaults.DEFAULT_QUEUE)
LOG_STATUSES = ("received", "processing", "completed", "failed", "ignored", "rejected")
TASK_STATUSES = ("pending", "held", "running", "completed", "failed", "cancelled")
QUANTILES = (0.5, 0.95, 0.99)
WINDOW = timedelta(hours=1)

# Every metric this module exposes (the Grafana dashboard's test reads this list).
METRIC_NAMES = (
    "webhook_pipeline_verdict",
    "webhook_pipeline_verdict_reasons",
    "webhook_pipeline_metrics_up",
    "webhook_queue_depth",
    "webhook_rq_workers",
    "webhook_logs_unprocessed",
    "webhook_oldest_unprocessed_seconds",
    "webhook_logs_last_hour",
    "webhook_processing_seconds",
    "webhook_processing_outcomes_total",
    "sync_tasks",
    "sync_executor_latency_seconds",
)


class PipelineCollector:
    """A prometheus_client collector; `database_available` lets the receiver skip PostgreSQL
    while its guard knows it is down (a scrape must not wait for a connect timeout)."""

    def __init__(self, redis: Redis, database_available: Callable[[], bool] = lambda: True):
        self._redis = redis
        self._database_available = database_available

    def collect(self):
        now = datetime.now(UTC)
        up = GaugeMetricFamily(
            "webhook_pipeline_metrics_up", "1 when PostgreSQL and Redis could be read", labels=[]
        )
        try:
            if not self._database_available():
                raise DatabaseError("the receiver's guard reports PostgreSQL down")
            database.connect(reuse_if_open=True)
            families = list(self._families(now))
        except (DatabaseError, RedisError):
            database.close()
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _families(self, now: datetime):
        judged = verdict(self._redis, now=now)
        gauge = GaugeMetricFamily(
            "webhook_pipeline_verdict", "The one verdict: 0 healthy, 1 degraded, 2 down"
        )
        gauge.add_metric([], judged.code)
        yield gauge
        reasons = GaugeMetricFamily(
            "webhook_pipeline_verdict_reasons", "Reasons behind the verdict", labels=["level"]
        )
        for level in ("degraded", "down"):
            reasons.add_metric([level], sum(1 for r in judged.reasons if r[0] == level))
        yield reasons
        yield from self._queues()
        yield from self._logs(now)
        yield from self._processing()
        yield from self._sync(now)

    def _queues(self):
        depth = GaugeMetricFamily("webhook_queue_depth", "Jobs waiting in RQ", labels=["queue"])
        workers = GaugeMetricFamily(
            "webhook_rq_workers", "RQ workers listening, by queue", labels=["queue"]
        )
        for name in QUEUES:
            queue = Queue(name, connection=self._redis)
            depth.add_metric([name], queue.count)
            workers.add_metric([name], len(Worker.all(queue=queue)))
        yield depth
        yield workers

    def _logs(self, now: datetime):
        unprocessed = GaugeMetricFamily(
            "webhook_logs_unprocessed", "Logs received and not finished (queued, retrying, running)"
        )
        unprocessed.add_metric([], count_unprocessed_logs())
        yield unprocessed
        oldest = oldest_unprocessed_at()
        age = GaugeMetricFamily(
            "webhook_oldest_unprocessed_seconds",
            "Age of the oldest delivery whose first try has not finished (0: none)",
        )
        age.add_metric([], (now - oldest).total_seconds() if oldest else 0)
        yield age
        counts = count_logs_by_status_since(now - WINDOW)
        recent = GaugeMetricFamily(
            "webhook_logs_last_hour",
            "Logs received in the last hour by status; rejected includes МойСклад's re-sends "
            "of a refused delivery",
            labels=["status"],
        )
        for status in LOG_STATUSES:
            recent.add_metric([status], counts.get(status, 0))
        yield recent

    def _processing(self):
        buckets, total, outcomes = read_processing(self._redis)
        histogram = HistogramMetricFamily(
            "webhook_processing_seconds", "process_webhook tries: seconds each, every worker"
        )
        histogram.add_metric([], buckets=buckets, sum_value=total)
        yield histogram
        counter = CounterMetricFamily(
            "webhook_processing_outcomes",
            "process_webhook tries by outcome (completed, ignored, retry, failed), every worker",
            labels=["outcome"],
        )
        for outcome in ("completed", "ignored", "retry", "failed"):
            counter.add_metric([outcome], outcomes.get(outcome, 0))
        yield counter

    def _sync(self, now: datetime):
        counts = count_sync_tasks_by_status()
        tasks = GaugeMetricFamily("sync_tasks", "Sync tasks by status", labels=["status"])
        for status in TASK_STATUSES:
            tasks.add_metric([status], counts.get(status, 0))
        yield tasks
        latency = GaugeMetricFamily(
            "sync_executor_latency_seconds",
            "Seconds from a change to its task finishing, over tasks finished in the last hour",
            labels=["quantile"],
        )
        values = sync_latency_quantiles(now - WINDOW, QUANTILES)
        for q, value in zip(QUANTILES, values, strict=True):
            latency.add_metric([str(q)], value if value is not None else 0)
        yield latency


def render_pipeline_metrics(collector: PipelineCollector, redis: Redis) -> bytes:
    """The collector's text, shared through Redis for CACHE_SECONDS across processes."""
    try:
        cached = redis.get(CACHE_KEY)
    except RedisError:
        cached = None
    if cached is not None:
        return cached
    text = generate_latest(_Registry(collector))
    with contextlib.suppress(RedisError):  # uncached, still answered
        redis.set(CACHE_KEY, text, ex=CACHE_SECONDS)
    return text


class _Registry:
    def __init__(self, collector):
        self._collector = collector

    def collect(self):
        return self._collector.collect()
