"""Worker-side metrics kept in Redis, so every worker process (and host) adds to one set:
processing latency as a cumulative histogram and job outcomes as counters."""

from redis import Redis
from redis.client import Pipeline

# Seconds; processing of one delivery is tens of milliseconds, a retry-bound one up to the timeout.
PROCESSING_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0)
HISTOGRAM_KEY = "metrics:processing_seconds"  # hash: bucket upper bound (or +Inf, sum) -> value
OUTCOMES_KEY = "metrics:processing_outcomes"  # hash: outcome -> count


def observe_processing(
    redis: Redis, outcome: str, milliseconds: float, pipeline: Pipeline | None = None
) -> None:
    """One finished try of process_webhook (completed, ignored, retry, failed): one round trip,
    or none when added to the caller's `pipeline` (sent with what the caller sends next)."""
    seconds = milliseconds / 1000
    given = pipeline is not None
    pipeline = pipeline if given else redis.pipeline(transaction=False)
    bucket = next((str(b) for b in PROCESSING_BUCKETS if seconds <= b), "+Inf")
    pipeline.hincrby(HISTOGRAM_KEY, bucket, 1)
    pipeline.hincrbyfloat(HISTOGRAM_KEY, "sum", seconds)
    pipeline.hincrby(OUTCOMES_KEY, outcome, 1)
    if not given:
        pipeline.execute()


def read_processing(redis: Redis) -> tuple[list[tuple[str, int]], float, dict[str, int]]:
    """Cumulative (le, count) buckets ending with +Inf, the sum of seconds, outcome counts."""
    raw = {k.decode(): v.decode() for k, v in redis.hgetall(HISTOGRAM_KEY).items()}
    running, buckets = 0, []
    for bound in (*(str(b) for b in PROCESSING_BUCKETS), "+Inf"):
        running += int(raw.get(bound, 0))
        buckets.append((bound, running))
    outcomes = {k.decode(): int(v) for k, v in redis.hgetall(OUTCOMES_KEY).items()}
    return buckets, float(raw.get("sum", 0.0)), outcomes
