"""The /_sim control endpoints drive the simulator from another process; it runs as one too."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.simulator.conftest import PREFIX

ROOT = Path(__file__).resolve().parents[2]


def test_control_endpoints_seed_edit_record_and_reset(base_url, receiver):
    control = base_url.replace("/api/remap/1.2", "/_sim")
    account = requests.post(f"{control}/accounts", json={"token": "t-ctl"}).json()["account_id"]
    product = requests.post(
        f"{control}/accounts/{account}/entities/product", json={"name": "A"}
    ).json()
    requests.post(
        f"{control}/accounts/{account}/webhooks",
        json={
            "url": receiver.url(),
            "entityType": "product",
            "action": "UPDATE",
            "diffType": "FIELDS",
        },
    )
    edited = requests.post(
        f"{control}/accounts/{account}/changes",
        json={
            "action": "UPDATE",
            "entityType": "product",
            "id": product["id"],
            "data": {"name": "B"},
        },
    )
    assert edited.json()["name"] == "B"
    assert requests.post(f"{control}/flush", json={"timeout": 5}).json() == {"done": True}
    assert receiver.received[0]["body"]["events"][0]["updatedFields"] == ["name"]
    assert requests.get(f"{control}/deliveries").json()[0]["outcome"] == "ok"
    requests.post(f"{control}/config", json={"latency": 0.0})
    requests.post(f"{control}/faults", json={"count": 1, "status": 503})
    headers = {"Authorization": "Bearer t-ctl", "Accept-Encoding": "gzip"}
    assert requests.get(f"{base_url}/entity/product", headers=headers).status_code == 503
    recorded = requests.get(f"{control}/requests").json()
    assert recorded[-1]["status"] == 503 and recorded[-1]["path"] == "/entity/product"
    product_id = edited.json()["id"]
    broken = {"entity_id": product_id, "status": 500}
    assert requests.post(f"{control}/faults", json=broken).json() == {"broken": product_id}
    product_url = f"{base_url}/entity/product/{product_id}"
    assert requests.get(product_url, headers=headers).status_code == 500
    assert requests.delete(f"{control}/requests").status_code == 200
    assert requests.get(f"{control}/requests").json() == []
    requests.post(f"{control}/reset")
    assert requests.get(f"{base_url}/entity/product", headers=headers).status_code == 401


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_runs_as_a_process_with_the_demo_seed():
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "scripts.simulator", "--port", str(port), "--seed", "demo"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                requests.get(f"{base}/_sim/health", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        headers = {
            "Authorization": "Bearer demo-main-token",
            "Accept-Encoding": "gzip",
            "X-Lognex-WebHook-DisableByPrefix": PREFIX,
        }
        page = requests.get(f"{base}/api/remap/1.2/entity/product", headers=headers).json()
        assert page["meta"]["size"] == 30
        assert page["rows"][0]["meta"]["href"].startswith(f"{base}/api/remap/1.2/")
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=5) == 0
        process.stdout.close()


def test_control_bulk_create_is_one_call_and_seed_fires_nothing(base_url, sim, receiver):
    from tests.simulator.conftest import ACCOUNT

    control = base_url.replace("/api/remap/1.2", "/_sim")
    sim.add_webhook(ACCOUNT, receiver.url(), "product", "CREATE")
    requests.post(f"{control}/accounts/{ACCOUNT}/entities/product", json=[{"name": "seed"}])
    created = requests.post(
        f"{control}/accounts/{ACCOUNT}/changes",
        json={"action": "CREATE", "entityType": "product", "data": [{"name": "a"}, {"name": "b"}]},
    )
    assert [p["name"] for p in created.json()] == ["a", "b"]
    sim.flush_deliveries(5)
    assert [len(r["body"]["events"]) for r in receiver.received] == [2]
