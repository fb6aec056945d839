"""The sync benchmark's scenarios and their baselines (the same writes, one request per entity,
measured in the same run against the same simulator)."""

import contextlib
import os
import random
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from redis import Redis
from rq import Worker
from rq.scheduler import RQScheduler

from jobs.defaults import SYNC_QUEUE
from jobs.moysklad import MoySkladClient
from jobs.sync.defaults import DISPATCH_INTERVAL
from jobs.sync.dispatch import dispatch_due_tasks
from scripts.bench_sync_checks import percentiles, request_count
from scripts.bench_sync_setup import ATTRIBUTE, Bench, start_sync_worker
from scripts.scheduler import TICK_SECONDS
from store.db import database

BODIES, PER_BODY = 10, 100


def create_products(bench: Bench, tag: str) -> list[str]:
    """1,000 new products in main, in 10 bulk edits (10 webhook bodies of 100 events)."""
    ids = []
    for body in range(BODIES):
        items = [
            {
                "name": f"{tag} {body * PER_BODY + n:04d}",
                "code": f"{tag}-{body * PER_BODY + n:04d}",
                "productFolder": bench.folder,
                "salePrices": [{"value": 10_000 + n, "priceType": "Цена продажи"}],
                "attributes": {ATTRIBUTE: f"бренд {n % 7}"},
            }
            for n in range(PER_BODY)
        ]
        created = bench.sim(
            "POST",
            f"/_sim/accounts/{bench.main}/changes",
            {"action": "CREATE", "entityType": "product", "data": items},
        )
        ids += [p["id"] for p in created]
    return ids


class Dispatcher:
    """What the scheduler process does for the executor: dispatch_due_tasks every
    DISPATCH_INTERVAL seconds, and every TICK_SECONDS the move of the sync queue's delayed jobs
    (a run's `continue_later`: a busy target, a time budget spent) back onto the queue."""

    def __init__(self, redis: Redis):
        self.stop = threading.Event()
        self.mover = RQScheduler([SYNC_QUEUE], connection=redis, name="bench-sync-mover")
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self.mover.release_locks()

    def _run(self):
        database.connect(reuse_if_open=True)
        next_dispatch = time.monotonic() + DISPATCH_INTERVAL
        while not self.stop.wait(TICK_SECONDS):
            if self.mover.acquire_locks():
                self.mover.enqueue_scheduled_jobs()
            if time.monotonic() >= next_dispatch:
                next_dispatch += DISPATCH_INTERVAL
                dispatch_due_tasks()
        database.close()


def one_by_one_creates(bench: Bench, redis: Redis) -> dict:
    """Baseline: the items our bulk writes sent, again, one POST per entity per child (their
    syncIds answer the copies already made, so the catalogues stay as they are)."""
    posts = [
        r for r in bench.sim("GET", "/_sim/requests") if r["method"] == "POST"
        and r["path"] == "/entity/product" and isinstance(r["json"], list)
    ]  # fmt: skip
    by_token = {token: account for account, token in bench.tokens.items()}
    items: dict[str, list[dict]] = {}
    for post in posts:
        items.setdefault(by_token[post["token"]], []).extend(post["json"])
    before = request_count(bench)
    started = time.perf_counter()
    with ThreadPoolExecutor(len(items) * 5) as pool:
        list(pool.map(lambda pair: _post_each(bench, redis, *pair), _work(items)))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "requests": request_count(bench) - before, "children": len(items)}


def _work(items: dict[str, list[dict]]):
    for account, rows in items.items():
        for lane in range(5):  # ≤ 5 in flight per token
            yield account, rows[lane::5]


def _post_each(bench: Bench, redis: Redis, account: str, rows: list[dict]) -> None:
    client = _client(bench, redis, account)
    for row in rows:
        client.post("/entity/product", row)


def _client(bench: Bench, redis: Redis, account: str) -> MoySkladClient:
    return MoySkladClient(
        bench.tokens[account],
        api_url=f"{bench.sim_url}/api/remap/1.2",
        loop_guard_prefix=bench.settings.loop_guard_prefix,
        redis=redis,
        token_kind="app",
    )


def price_edits(bench: Bench, products: list[str], per_minute: int, seconds: int) -> dict:
    """Users change prices at a fixed rate; main change → each child's write, per edit."""
    count = per_minute * seconds // 60
    chosen = random.Random(13).sample(products, count)
    interval = 60 / per_minute
    changed_at: dict[str, float] = {}
    session = requests.Session()
    started = time.perf_counter()
    for number, product in enumerate(chosen):
        time.sleep(max(0.0, started + number * interval - time.perf_counter()))
        change = {
            "action": "UPDATE",
            "entityType": "product",
            "id": product,
            "data": {"salePrices": [{"value": 50_000 + number, "priceType": "Цена продажи"}]},
        }
        changed_at[product] = time.time()
        session.post(f"{bench.sim_url}/_sim/accounts/{bench.main}/changes", json=change, timeout=30)
    return {"count": count, "changed_at": changed_at}


def edit_latencies(changed_at: dict[str, float]) -> list[float]:
    rows = database.execute_sql(
        "SELECT entity_id, extract(epoch FROM finished_at) FROM sync_queue"
        " WHERE operation = 'update' AND status = 'completed' AND entity_id = ANY(%s)",
        (list(changed_at),),
    ).fetchall()
    return [(float(finished) - changed_at[entity]) * 1000 for entity, finished in rows]


def one_by_one_edits(bench: Bench, redis: Redis, products: list[str], sample: int) -> dict:
    """Baseline: the same price change written straight to each child's copy, one PUT each."""
    rows = database.execute_sql(
        "SELECT child_account_id::text, child_entity_id::text FROM entity_mappings"
        " WHERE entity_type = 'product' AND main_entity_id = ANY(%s::uuid[])",
        (products[:sample],),
    ).fetchall()
    durations = []
    for child, copy in rows:
        client = _client(bench, redis, child)
        prices = client.get(f"/entity/product/{copy}").get("salePrices") or []
        started = time.perf_counter()
        client.put(f"/entity/product/{copy}", {"salePrices": prices[:1]})
        durations.append((time.perf_counter() - started) * 1000)
    return percentiles(durations)


class Killer:
    """SIGKILLs a sync worker that is in the middle of a job `kills` times (at a random moment
    of it), starting a new one each time (as a supervisor would)."""

    def __init__(self, bench: Bench, redis: Redis, kills: int, rng: random.Random):
        self.bench, self.redis, self.kills, self.rng = bench, redis, kills, rng
        self.done = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        database.connect(reuse_if_open=True)
        deadline = time.monotonic() + 240
        while self.done < self.kills and time.monotonic() < deadline:
            time.sleep(self.rng.uniform(0.05, 0.3))
            victims = self._in_a_round()
            if not victims:
                continue
            time.sleep(self.rng.uniform(0.0, 0.6))  # anywhere in the round: read, write, record
            victim = self.rng.choice(victims)
            if victim.poll() is not None:
                continue
            helpers = children_of(victim.pid)  # RQ's scheduler process of that worker
            victim.kill()
            victim.wait()
            for pid in helpers:  # a supervisor's process group would take it down too
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            workers = self.bench.sync_workers
            workers.remove(victim)
            workers.append(start_sync_worker(self.bench))
            self.done += 1
        database.close()

    def _in_a_round(self) -> list:
        """Our live sync workers whose job holds freshly claimed tasks (mid-round)."""
        fresh = {
            row[0]
            for row in database.execute_sql(
                "SELECT DISTINCT target_account_id::text FROM sync_queue WHERE status = 'running'"
                " AND claimed_at > now() - interval '2 seconds'"
            ).fetchall()
        }
        busy = set()
        for worker in Worker.all(connection=self.redis):
            job_id = worker.get_current_job_id() or ""
            target = job_id.removeprefix("sync-").removesuffix("-next")
            if worker.get_state() == "busy" and target in fresh:
                busy.add(worker.pid)
        return [p for p in self.bench.sync_workers if p.pid in busy and p.poll() is None]


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return found
