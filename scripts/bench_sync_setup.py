"""The sync benchmark's processes and franchise: the simulator (latency 100 ms, app tokens), the
gunicorn receiver, webhook and sync workers (scripts.worker), our webhooks installed in the
simulator, and the database and Redis of the run."""

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field

import requests

from scripts.bench_processor_setup import ROOT, worker_env
from store.account_edits import ensure_sync_settings
from store.accounts import add_account, link_child
from store.crypto import webhook_token
from store.db import database
from store.models import SyncSettings
from store.settings import Settings

TABLES = (
    "webhook_logs, sync_queue, entity_mappings, alerts, webhooks, child_accounts,"
    " sync_settings, accounts"
)
HOOKS = (("product", "CREATE", None), ("product", "UPDATE", "FIELDS"))
FOLDER = "Напитки"
ATTRIBUTE = "Бренд"
CHILD_PRICE_TYPE = "Розничная"  # child 1 maps main's "Цена продажи" to its own type of this name


@dataclass
class Bench:
    settings: Settings
    sim_url: str
    main: str = ""
    children: list[str] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)
    folder: str = ""
    processes: list[subprocess.Popen] = field(default_factory=list)
    sync_workers: list[subprocess.Popen] = field(default_factory=list)

    def sim(self, method: str, path: str, body=None, **params):
        response = requests.request(
            method, self.sim_url + path, json=body, params=params or None, timeout=120
        )
        response.raise_for_status()
        return response.json()

    def api(self, account_id: str, method: str, path: str, body=None, params=None):
        response = requests.request(
            method,
            f"{self.sim_url}/api/remap/1.2{path}",
            json=body,
            params=params,
            headers={
                "Authorization": f"Bearer {self.tokens[account_id]}",
                "Accept-Encoding": "gzip",
            },
            timeout=120,
        )
        response.raise_for_status()
        return response.json()


def start(command: list[str], env: dict, health: str | None = None) -> subprocess.Popen:
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(300 if health else 0):
        try:
            requests.get(health, timeout=2)
            return process
        except requests.RequestException:
            time.sleep(0.1)
    if health:
        process.terminate()  # gunicorn's master takes its workers down with it
        raise SystemExit(f"{' '.join(command)} did not start")
    return process


def start_simulator(port: int, latency: float) -> subprocess.Popen:
    command = [sys.executable, "-m", "scripts.simulator", "--port", str(port)]
    command += ["--latency", str(latency)]
    return start(command, os.environ.copy(), f"http://127.0.0.1:{port}/_sim/health")


def start_services(bench: Bench, receiver_port: int, sync_workers: int) -> None:
    env = worker_env(bench.settings)
    receiver_env = env | {
        "RECEIVER_BIND": f"127.0.0.1:{receiver_port}",
        "RECEIVER_ACCESS_LOG": "",
        "WEB_CONCURRENCY": "2",
    }
    receiver = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
    receiver.append("receiver.app:create_app()")
    health = f"http://127.0.0.1:{receiver_port}/healthz"
    bench.processes.append(start(receiver, receiver_env, health))
    for _ in range(2):
        worker = [sys.executable, "-m", "scripts.worker", "--queues", "webhooks", "default"]
        bench.processes.append(start(worker, env))
    for _ in range(sync_workers):
        bench.sync_workers.append(start_sync_worker(bench))


def start_sync_worker(bench: Bench) -> subprocess.Popen:
    command = [sys.executable, "-m", "scripts.worker", "--queues", "sync"]
    return start(command, worker_env(bench.settings))


def stop_all(bench: Bench) -> None:
    for process in bench.processes + bench.sync_workers:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in bench.processes + bench.sync_workers:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    bench.processes.clear()
    bench.sync_workers.clear()


def make_franchise(bench: Bench, children: int) -> None:
    """A fresh franchise (simulator reset, tables emptied): main + children with app tokens,
    a folder and a custom attribute in every account (the folder mapped), our webhooks."""
    bench.sim("POST", "/_sim/reset")
    database.execute_sql(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
    secret = bench.settings.app_secret
    bench.main, bench.children = str(uuid.uuid4()), [str(uuid.uuid4()) for _ in range(children)]
    bench.tokens = {bench.main: f"bench-main-{bench.main[:8]}"}
    bench.tokens |= {c: f"bench-child-{c[:8]}" for c in bench.children}
    for account_id, token in bench.tokens.items():
        bench.sim("POST", "/_sim/accounts", {"account_id": account_id, "token": token})
    add_account(bench.main, "Bench main", bench.tokens[bench.main], "main", secret, "app")
    folder = bench.sim(
        "POST", f"/_sim/accounts/{bench.main}/entities/productfolder", {"name": FOLDER}
    )
    bench.folder = folder["id"]
    attribute = {"name": ATTRIBUTE, "type": "string"}
    bench.api(bench.main, "POST", "/entity/product/metadata/attributes", attribute)
    for number, child in enumerate(bench.children):
        add_account(child, f"Bench child {number + 1}", bench.tokens[child], "child", secret, "app")
        link_child(bench.main, child)
        database.execute_sql("UPDATE accounts SET sync_mode = 'live' WHERE id = %s", (child,))
        copy = bench.sim("POST", f"/_sim/accounts/{child}/entities/productfolder", {"name": FOLDER})
        database.execute_sql(
            "INSERT INTO entity_mappings (child_account_id, entity_type, main_entity_id,"
            " child_entity_id) VALUES (%s, 'productfolder', %s, %s)",
            (child, bench.folder, copy["id"]),
        )
        bench.api(child, "POST", "/entity/product/metadata/attributes", attribute)
        if number == 0:
            _map_price_type(bench, child)
    url = bench.settings.receive_prefix + webhook_token(bench.main, secret)
    for entity_type, action, diff_type in HOOKS:
        hook = {"url": url, "entityType": entity_type, "action": action, "app": "ours"}
        if diff_type:
            hook["diffType"] = diff_type
        bench.sim("POST", f"/_sim/accounts/{bench.main}/webhooks", hook)


def _map_price_type(bench: Bench, child: str) -> None:
    ensure_sync_settings(child)
    types = bench.api(child, "GET", "/context/companysettings/pricetype")
    types.append({"name": CHILD_PRICE_TYPE})
    bench.api(child, "POST", "/context/companysettings/pricetype", types)
    mapping = [{"main_price_type": "Цена продажи", "child_price_type": CHILD_PRICE_TYPE}]
    SyncSettings.update(price_mappings=mapping).where(SyncSettings.child_account == child).execute()
