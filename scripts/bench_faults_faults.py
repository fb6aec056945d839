"""The fault benchmark's world, and its faults: each runs beside the load in its own thread."""

import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

from redis import Redis as RedisClient
from rq import Worker

from jobs.context import configure
from jobs.housekeeping.schedule import PERIODIC_JOBS, enqueued_slots
from scripts.bench_faults_load import key, moysklad_deliveries, send
from scripts.bench_faults_stack import ROOT, SECRET, Postgres, Redis, Stack, free_ports
from store.accounts import add_account
from store.crypto import webhook_token
from store.db import database
from store.settings import RECEIVE_PATH, Settings

OUTAGE = {False: 60, True: 10}  # seconds a server stays down (full run, quick run)
LEAD = {False: 10, True: 5}  # seconds of load before the fault
WORKER_KILLS = {False: 6, True: 3}  # one every KILL_EVERY seconds
KILL_EVERY = {False: 10, True: 8}


class World:
    def __init__(self, folder: Path):
        self.folder = folder
        pg_port, redis_port, *receivers = free_ports(4)
        self.pg, self.redis = Postgres(folder, pg_port), Redis(folder, redis_port)
        self.receiver_ports = receivers
        self.account_id = str(uuid.uuid4())
        self.path = RECEIVE_PATH + webhook_token(self.account_id, SECRET)
        self.env = os.environ | {
            "DATABASE_URL": self.pg.url,
            "REDIS_URL": self.redis.url,
            "APP_SECRET": SECRET,
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{receivers[0]}",
            "MOYSKLAD_API_URL": "http://127.0.0.1:9/api/remap/1.2",  # never called: no children
            "CONFIG_FILE": "",
            "RECEIVER_ACCESS_LOG": "",
            "WEB_CONCURRENCY": "2",
        }
        self.stack, self._shape, self.workers = Stack(folder, self.env), None, 0

    def __enter__(self) -> "World":
        self.pg.create()
        self.pg.start()
        self.redis.start()
        migrate = [sys.executable, "-m", "scripts.migrate", "--create-database"]
        subprocess.run(migrate, cwd=ROOT, env=self.env, check=True, stdout=subprocess.DEVNULL)
        settings = Settings(
            database_url=self.pg.url,
            redis_url=self.redis.url,
            public_base_url=self.env["PUBLIC_BASE_URL"],
            app_secret=SECRET,
            moysklad_api_url=self.env["MOYSKLAD_API_URL"],
        )
        configure(settings)
        with database.connection_context():  # a main account without children: no API calls
            add_account(self.account_id, "Bench faults main", "bench-faults-token", "main", SECRET)
        return self

    def __exit__(self, *exc) -> None:
        self.stack.stop()
        if self.redis.process and self.redis.process.poll() is None:
            self.redis.kill()
        self.pg.stop()

    def describe(self) -> str:
        return (
            f"PostgreSQL 15 cluster {self.pg.data} on :{self.pg.port}; redis-server (AOF everysec,"
            f" noeviction) on :{self.redis.port}; receivers on {self.receiver_ports}; under"
            f" supervisord ({self.stack.var})"
        )

    def shape(self, receivers: int, workers: int) -> None:
        if self._shape == (receivers, workers):
            return
        self.stack.stop()
        self.stack.start(self.receiver_ports[:receivers], workers)
        self._shape, self.workers = (receivers, workers), workers
        self.warm_up(receivers)
        redis = RedisClient.from_url(self.redis.url)
        deadline = time.monotonic() + 30
        while len(Worker.all(connection=redis)) < workers + 1 and time.monotonic() < deadline:
            time.sleep(0.2)

    def warm_up(self, receivers: int) -> None:
        """A few deliveries through each receiver first: the baseline measures warm processes."""
        rng = random.Random(0)
        deliveries = list(moysklad_deliveries(rng, "warmup", self.path, self.account_id, 40))
        send(self.receiver_ports[:receivers], deliveries, rate=20)

    def keep_cases(self, scenario: str, deliveries, sent, lost: set[str]) -> str:
        """Write the deliveries answered >= 500 or lost (request, status, body) for a look."""
        by_id = {key(d.request_id): d for d in deliveries}
        path = self.folder / f"{scenario}-cases.jsonl"
        with path.open("w") as out:
            for outcome in sent.outcomes:
                request_key = key(outcome.request_id)
                if outcome.status >= 500 or request_key in lost:
                    delivery = by_id[request_key]
                    case = {
                        "kind": "lost" if request_key in lost else f"answered {outcome.status}",
                        "request_id": delivery.request_id,
                        "path": delivery.path,
                        "chunked": delivery.chunked,
                        "body": delivery.body[:2000].decode("utf-8", "backslashreplace"),
                    }
                    out.write(json.dumps(case) + "\n")
        return str(path.relative_to(ROOT))

    def logs_of(self, prefix: str) -> list[tuple]:
        return self.pg.query(
            "SELECT request_id, status FROM webhook_logs WHERE request_id LIKE %s", (prefix + "%",)
        )

    def after_settling(self, scenario: str) -> list[str]:
        notes = []
        if down := self.stack.not_running():
            notes.append(f"FAIL not running: {', '.join(down)}")
        redis = RedisClient.from_url(self.redis.url)
        for job in PERIODIC_JOBS:
            doubled = [s for s, n in Counter(enqueued_slots(redis, job)).items() if n > 1]
            if doubled:
                notes.append(f"FAIL {job.id} enqueued twice for {len(doubled)} slot(s)")
        if scenario == "scheduler_restarts" and not any(n.startswith("FAIL") for n in notes):
            notes.append("no periodic job doubled")
        if scenario.startswith("redis") and not notes:
            notes.append("every process up")
        return notes


def pg_down(world: World, quick: bool, notes: list[str]) -> None:
    time.sleep(LEAD[quick])
    world.pg.kill()
    time.sleep(OUTAGE[quick])
    world.pg.start()
    notes.append(f"PostgreSQL down {OUTAGE[quick]} s")


def redis_down(world: World, quick: bool, notes: list[str]) -> None:
    time.sleep(LEAD[quick])
    world.redis.kill()
    time.sleep(OUTAGE[quick])
    world.redis.start()
    notes.append(f"Redis down {OUTAGE[quick]} s")


def pg_down_redis_restart(world: World, quick: bool, notes: list[str]) -> None:
    time.sleep(LEAD[quick])
    world.pg.kill()
    time.sleep(OUTAGE[quick] / 2)
    world.redis.kill()  # the spool lives on in the append-only file
    time.sleep(2)
    world.redis.start()
    time.sleep(OUTAGE[quick] / 2)
    world.pg.start()
    notes.append(f"PostgreSQL down {OUTAGE[quick]} s, Redis killed and restarted meanwhile")


def worker_kills(world: World, quick: bool, notes: list[str]) -> None:
    redis = RedisClient.from_url(world.redis.url)
    at_take = 0
    for number in range(WORKER_KILLS[quick]):
        time.sleep(KILL_EVERY[quick])
        ours = {world.stack.pid(f"worker:worker-{n}") for n in range(world.workers)} - {0}
        # Every other kill waits for a worker that has just taken a job (busy in Redis).
        pid, deadline = 0, time.monotonic() + (2 if number % 2 == 0 else 0)
        while not pid and time.monotonic() < deadline:
            busy = [w.pid for w in Worker.all(connection=redis) if w.get_state() == "busy"]
            pid = next((p for p in busy if p in ours), 0)
        try:
            if pid:
                os.kill(pid, signal.SIGKILL)
                at_take += 1
            else:
                world.stack.kill(f"worker:worker-{number % world.workers}")
        except ProcessLookupError:
            pass  # it had just exited: supervisord is starting it again
    notes.append(f"{WORKER_KILLS[quick]} worker SIGKILLs, {at_take} while busy with a job")


def scheduler_restarts(world: World, quick: bool, notes: list[str]) -> None:
    for _ in range(2):
        time.sleep(LEAD[quick])
        world.stack.kill("scheduler")  # supervisord starts it again
    notes.append("scheduler SIGKILLed twice")


FAULTS = {
    "pg_down": pg_down,
    "redis_down": redis_down,
    "pg_down_redis_restart": pg_down_redis_restart,
    "worker_kills": worker_kills,
    "scheduler_restarts": scheduler_restarts,
}
