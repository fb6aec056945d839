"""Processes the processor benchmark runs: the simulator and the gunicorn receiver (ports
8300–8399), and the franchise seeded in the simulator through its /_sim controls."""

import os
import subprocess
import sys
import time
import uuid

import requests

from scripts.bench_processor_setup import ROOT, make_franchise, worker_env
from store.settings import Settings

# BENCH_RECEIVER_PORT / BENCH_SIMULATOR_PORT: other ports on a machine shared with other runs.
RECEIVER_PORT = int(os.environ.get("BENCH_RECEIVER_PORT", "8301"))
SIMULATOR_PORT = int(os.environ.get("BENCH_SIMULATOR_PORT", "8302"))
SIM = f"http://127.0.0.1:{SIMULATOR_PORT}"
SIM_API = SIM + "/api/remap/1.2"


def _wait_http(url: str, process: subprocess.Popen, what: str) -> subprocess.Popen:
    for _ in range(200):
        try:
            requests.get(url, timeout=1)
            return process
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{what} did not start")


def start_simulator(latency: float) -> subprocess.Popen:
    command = [sys.executable, "-m", "scripts.simulator", "--port", str(SIMULATOR_PORT)]
    command += ["--latency", str(latency)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    return _wait_http(SIM + "/_sim/health", process, "the simulator")


def start_receiver(settings: Settings) -> subprocess.Popen:
    env = worker_env(settings) | {
        "RECEIVER_BIND": f"127.0.0.1:{RECEIVER_PORT}",
        "RECEIVER_ACCESS_LOG": "",
        "WEB_CONCURRENCY": "2",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "receiver.app:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return _wait_http(f"http://127.0.0.1:{RECEIVER_PORT}/healthz", process, "the receiver")


def simulated_franchise(secret: str, children: int) -> tuple[str, list[str]]:
    """The franchise in our database and in the simulator, with known tokens."""
    requests.post(SIM + "/_sim/reset", timeout=10)
    main, child_ids = str(uuid.uuid4()), [str(uuid.uuid4()) for _ in range(children)]
    tokens = {main: "bench-main"} | {c: f"bench-child-{n}" for n, c in enumerate(child_ids)}
    for account_id, token in tokens.items():
        requests.post(SIM + "/_sim/accounts", json={"account_id": account_id, "token": token})
    return make_franchise(secret, children, tokens, ids=(main, child_ids))


def sim_requests() -> list[dict]:
    return requests.get(SIM + "/_sim/requests", timeout=30).json()
