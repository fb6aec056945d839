"""Throughput scenario of scripts/bench_processor: queued UPDATE deliveries vs no-op RQ jobs."""

import uuid

from redis import Redis
from rq import Queue, Retry

from jobs import defaults
from scripts.bench_processor_setup import (
    body,
    log_statuses,
    make_franchise,
    map_entities,
    processing_span,
    reset,
    start_workers,
    store_and_enqueue,
    wait_workers,
)
from store.db import database
from store.settings import Settings

NOOP_FUNC = "time.sleep"  # with 0: a job that does nothing, through RQ's full path


def throughput_round(
    settings: Settings, redis: Redis, secret: str, deliveries: int, workers: int, children: int
) -> dict:
    """N single-event UPDATE deliveries of mapped entities, queued, then drained by workers."""
    reset(redis)
    main, child_ids = make_franchise(secret, children)
    products = [str(uuid.uuid4()) for _ in range(deliveries)]
    map_entities("product", products, child_ids)
    for product in products:
        store_and_enqueue(
            redis,
            main,
            "product",
            "UPDATE",
            body(main, "product", [product], "UPDATE", ["name", "salePrices"]),
        )
    wall = wait_workers(start_workers(settings, workers, burst=True))
    statuses = log_statuses()
    tasks = database.execute_sql(
        "SELECT count(*) FROM sync_queue WHERE status = 'pending'"
    ).fetchone()[0]
    return {"wall": wall, "span": processing_span(), "statuses": statuses, "tasks": tasks}


def noop_round(settings: Settings, redis: Redis, jobs: int, workers: int) -> float:
    """The baseline: as many no-op RQ jobs (same queue and options) on as many workers."""
    reset(redis)
    queue = Queue(defaults.WEBHOOKS_QUEUE, connection=redis)
    retry = Retry(max=3, interval=defaults.PROCESS_WEBHOOK_RETRY_INTERVALS)
    for number in range(jobs):
        queue.enqueue_call(
            NOOP_FUNC,
            args=(0,),
            job_id=f"noop-{number}",
            result_ttl=defaults.PROCESS_WEBHOOK_RESULT_TTL,
            timeout=defaults.PROCESS_WEBHOOK_TIMEOUT,
            retry=retry,
        )
    return wait_workers(start_workers(settings, workers, burst=True))
