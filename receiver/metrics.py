"""Prometheus metrics of the receiver, correct across gunicorn worker processes."""

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

# Around МойСклад's 1.5 s deadline, finer where we expect to be.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 5.0)


class ReceiverMetrics:
    def __init__(self, multiprocess: bool):
        self._multiprocess = multiprocess
        self._registry = CollectorRegistry()
        self.spool_size = None  # a callable answering the spool's length, or None when unknown
        self.pipeline = None  # a callable answering the pipeline's metrics text, or None
        self.deliveries = Counter(
            "webhook_deliveries",
            "Deliveries received, by outcome",
            ["outcome"],
            registry=self._registry,
        )
        self.receive_seconds = Histogram(
            "webhook_receive_seconds",
            "Time from request start to answer, for deliveries",
            buckets=LATENCY_BUCKETS,
            registry=self._registry,
        )

    def observe(self, outcome: str, seconds: float) -> None:
        self.deliveries.labels(outcome).inc()
        self.receive_seconds.observe(seconds)

    def render(self) -> bytes:
        """Prometheus text: all workers' values in multiprocess mode, plus the spool size now."""
        if self._multiprocess:
            registry = CollectorRegistry()
            MultiProcessCollector(registry)
        else:
            registry = self._registry
        text = generate_latest(registry)
        size = self.spool_size() if self.spool_size else None
        if size is not None:
            gauge = GaugeMetricFamily(
                "webhook_spool_size", "Deliveries spooled in Redis waiting for PostgreSQL"
            )
            gauge.add_metric([], size)
            text += generate_latest(_Single(gauge))
        return text + (self.pipeline() if self.pipeline else b"")


class _Single:
    """A one-metric collector for generate_latest."""

    def __init__(self, family):
        self._family = family

    def collect(self):
        yield self._family
