"""Load generation for the benchmarks: realistic МойСклад bodies, open-loop, closed-loop, burst."""

import http.client
import itertools
import json
import random
import re
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

API = "https://api.moysklad.ru/api/remap/1.2"
# How many events bodies carry: mostly single edits, some bulk edits, rare imports of 100.
EVENT_COUNTS = [1] * 70 + [2, 3, 5, 8, 10] * 4 + [20, 30, 50] * 3 + [100]
FIELDS = [["salePrices"], ["name"], ["name", "description"], ["buyPrice", "salePrices"], ["code"]]


def make_bodies(account_id: str, count: int = 200, seed: int = 7) -> list[bytes]:
    rng = random.Random(seed)
    bodies = []
    for _ in range(count):
        entity_type = rng.choice(["product", "product", "product", "variant", "service", "bundle"])
        action = rng.choice(["UPDATE", "UPDATE", "UPDATE", "CREATE", "DELETE"])
        events = []
        for _ in range(rng.choice(EVENT_COUNTS)):
            event = {
                "meta": {"type": entity_type, "href": f"{API}/entity/{entity_type}/{uuid.uuid4()}"},
                "action": action,
                "accountId": account_id,
            }
            if action == "UPDATE":
                event["updatedFields"] = rng.choice(FIELDS)
            events.append(event)
        audit = {
            "meta": {"type": "audit", "href": f"{API}/audit/{uuid.uuid4()}"},
            "moment": "2026-11-28 12:00:00",
            "uid": "admin@franchise",
        }
        bodies.append(
            json.dumps({"auditContext": audit, "events": events}, ensure_ascii=False).encode()
        )
    return bodies


def percentiles(latencies_ms: list[float]) -> dict[str, float]:
    ordered = sorted(latencies_ms) or [0.0]

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {
        "p50": at(0.5),
        "p95": at(0.95),
        "p99": at(0.99),
        "p99.9": at(0.999),
        "max": ordered[-1],
    }


class _Sender:
    """One keep-alive connection per thread; POSTs a body with a fresh requestId."""

    def __init__(self, url: str):
        self._url = urlparse(url)
        self._local = threading.local()

    def post(self, body: bytes) -> tuple[int, dict]:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = http.client.HTTPConnection(self._url.hostname, self._url.port, timeout=10)
            self._local.connection = connection
        try:
            connection.request(
                "POST",
                f"{self._url.path}?requestId={uuid.uuid4()}",
                body,
                {"Content-Type": "application/json"},
            )
            response = connection.getresponse()
            payload = response.read()
            return response.status, json.loads(payload or b"{}")
        except (OSError, http.client.HTTPException):
            connection.close()
            self._local.connection = None
            return 0, {}


def open_loop(url: str, rate: int, seconds: int, bodies: list[bytes]) -> dict:
    """Send at a fixed rate whatever the answers; latency counts from the scheduled send time."""
    sender, total = _Sender(url), rate * seconds
    start = time.perf_counter() + 0.2
    latencies, errors = [], 0
    lock = threading.Lock()
    counter = itertools.count()

    def run():
        nonlocal errors
        while (i := next(counter)) < total:
            scheduled = start + i / rate
            if (delay := scheduled - time.perf_counter()) > 0:
                time.sleep(delay)
            status, _ = sender.post(bodies[i % len(bodies)])
            with lock:
                latencies.append((time.perf_counter() - scheduled) * 1000)
                errors += status != 200

    with ThreadPoolExecutor(32) as pool:
        for _ in range(32):
            pool.submit(run)
    return {"latencies": latencies, "errors": errors}


def burst(url: str, count: int, connections: int, bodies: list[bytes]) -> dict:
    """`count` deliveries at once over `connections` connections, as fast as they are answered."""
    sender = _Sender(url)

    def send(i):
        began = time.perf_counter()
        status, answer = sender.post(bodies[i % len(bodies)])
        return (time.perf_counter() - began) * 1000, status, answer.get("status")

    with ThreadPoolExecutor(connections) as pool:
        results = list(pool.map(send, range(count)))
    latencies = [r[0] for r in results]
    return {
        "latencies": latencies,
        "max_ms": max(latencies),
        "slow": sum(ms > 1500 for ms in latencies),
        "ok": sum(r[1] == 200 for r in results),
        "errors": sum(r[1] != 200 for r in results),
        "duplicates": sum(r[2] == "duplicate" for r in results),
    }


WRK_SCRIPT = """
local counter, bodies = 0, {}
init = function(args)
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
end
request = function()
  counter = counter + 1
  local body = bodies[(counter % #bodies) + 1]
  return wrk.format("POST", wrk.path .. "?requestId=" .. wrk.thread_id .. "-" .. counter,
                    {["Content-Type"] = "application/json"}, body)
end
"""
WRK_SETUP = """
local next_id = 0
setup = function(thread)
  next_id = next_id + 1
  thread:set("wrk_thread_id", tostring(next_id) .. "-" .. tostring(os.time()))
end
"""


def closed_loop(base: str, path: str, seconds: int, connections: int, bodies: list[bytes]) -> dict:
    """Maximum throughput with `connections` always busy (wrk when installed: least CPU)."""
    if shutil.which("wrk"):
        return _wrk(base + path, seconds, connections, bodies)
    sender, deadline = _Sender(base + path), time.monotonic() + seconds
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()

    def run(n):
        while time.monotonic() < deadline:
            status, _ = sender.post(bodies[n % len(bodies)])
            with lock:
                counts["ok" if status == 200 else "errors"] += 1

    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(run, range(connections)))
    return {"rps": counts["ok"] / seconds, "errors": counts["errors"], "tool": "python threads"}


def _wrk(url: str, seconds: int, connections: int, bodies: list[bytes]) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        body_file = Path(folder) / "bodies.jsonl"
        body_file.write_bytes(b"\n".join(bodies) + b"\n")
        script = Path(folder) / "post.lua"
        script.write_text(
            WRK_SETUP
            + WRK_SCRIPT.replace("wrk.thread_id", "wrk_thread_id").replace(
                "wrk.path", f'"{urlparse(url).path}"'
            )
        )
        output = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(connections),
                "-d",
                f"{seconds}s",
                "-s",
                str(script),
                url,
                "--",
                str(body_file),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return {"rps": rps, "errors": errors, "tool": "wrk"}
