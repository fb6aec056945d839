"""Set-up shared by the processor benchmark's scenarios: database, franchise, logs, workers."""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from redis import Redis

from jobs.context import configure
from jobs.queues import enqueue_webhook
from store.accounts import add_account, link_child
from store.db import create_database_if_missing, database
from store.logs import Delivery, record_delivery
from store.migrations import migrate
from store.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
HREF = "https://api.moysklad.ru/api/remap/1.2/entity/{}/{}"
TABLES = (
    "webhook_logs, sync_queue, entity_mappings, alerts, webhooks, child_accounts,"
    " sync_settings, accounts"
)


def prepare(settings: Settings) -> Redis:
    create_database_if_missing(settings.database_url)
    context = configure(settings)
    database.connect(reuse_if_open=True)
    migrate(database)
    return context.redis


def reset(redis: Redis) -> None:
    database.execute_sql(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
    redis.flushdb()


def make_franchise(
    secret: str,
    children: int,
    tokens: dict[str, str] | None = None,
    ids: tuple[str, list[str]] | None = None,
):
    """(main id, [child ids]); tokens maps account id → API token when the simulator knows them."""
    main, child_ids = ids or (str(uuid.uuid4()), [str(uuid.uuid4()) for _ in range(children)])
    tokens = tokens or {}
    add_account(main, "Bench main", tokens.get(main, "bench-main"), "main", secret)
    for number, child in enumerate(child_ids):
        add_account(
            child, f"Bench child {number}", tokens.get(child, f"c{number}"), "child", secret
        )
        link_child(main, child)
    return main, child_ids


def map_entities(entity_type: str, entity_ids: list[str], child_ids: list[str]) -> None:
    database.execute_sql(
        "INSERT INTO entity_mappings (child_account_id, entity_type, main_entity_id,"
        " child_entity_id) SELECT c, %s, m, gen_random_uuid()"
        " FROM unnest(%s::uuid[]) AS m, unnest(%s::uuid[]) AS c",
        (entity_type, entity_ids, child_ids),
    )


def body(account_id: str, entity_type: str, entity_ids: list[str], action: str, fields=None) -> str:
    events = []
    for entity_id in entity_ids:
        event = {
            "meta": {"type": entity_type, "href": HREF.format(entity_type, entity_id)},
            "action": action,
            "accountId": account_id,
        }
        if fields is not None:
            event["updatedFields"] = fields
        events.append(event)
    return json.dumps({"events": events})


def store_and_enqueue(redis: Redis, account_id: str, entity_type: str, action: str, text: str):
    """Store a delivery as the receiver does and queue its job; the log id."""
    ids = [event["meta"]["href"].rsplit("/", 1)[-1] for event in json.loads(text)["events"]]
    log_id = record_delivery(
        Delivery(str(uuid.uuid4()), account_id, entity_type, action, ids, len(ids), text)
    )
    enqueue_webhook(redis, log_id)
    return log_id


def worker_env(settings: Settings) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "PUBLIC_BASE_URL": settings.public_base_url,
        "APP_SECRET": settings.app_secret,
        "MOYSKLAD_API_URL": settings.moysklad_api_url,
    }


def start_workers(settings: Settings, count: int, burst: bool) -> list[subprocess.Popen]:
    command = [sys.executable, "-m", "scripts.worker", "--queues", "webhooks"]
    command += ["--burst"] if burst else []
    return [
        subprocess.Popen(
            command,
            cwd=ROOT,
            env=worker_env(settings),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(count)
    ]


def wait_workers(workers: list[subprocess.Popen], timeout: float = 300) -> float:
    """Seconds until every (burst) worker exited."""
    started = time.perf_counter()
    for worker in workers:
        worker.wait(timeout=timeout)
    return time.perf_counter() - started


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
    for worker in workers:
        worker.wait(timeout=30)


def log_statuses() -> dict[str, int]:
    rows = database.execute_sql("SELECT status, count(*) FROM webhook_logs GROUP BY status")
    return dict(rows.fetchall())


def processing_span() -> float:
    """Seconds from the first job's start to the last one's finish (from webhook_logs)."""
    return database.execute_sql(
        "SELECT extract(epoch FROM max(finished_at) - min(started_at)) FROM webhook_logs"
    ).fetchone()[0]
