"""Our client against a user token's 11 requests per 3 s: 4 worker processes hammer one account.

    python -m scripts.bench_rate_limit [--seconds 60] [--workers 4] [--baseline-seconds 15]

Starts the simulator (port 8303), gives one account a `user` token, then runs the workers twice
through the shared Redis limiter (BENCH_REDIS_URL, else REDIS_URL, else redis://127.0.0.1:6379/0;
only this run's keys are used): first as a baseline with no token kind known (the limiter
starts at an app's 45 per 3 s and has only the answers' headers to go by), then told the kind
(11 per 3 s). Prints requests made and refused (429) and latency percentiles of each; the promise
is 0 refused with the kind known.
"""

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
import uuid

import requests
from redis import Redis

from jobs.moysklad import MoySkladClient

PORT = 8303
SIM = f"http://127.0.0.1:{PORT}"
API = SIM + "/api/remap/1.2"
ACCOUNT = "4b000000-0000-4000-8000-00000000004b"


def _redis_url() -> str:
    return (
        os.environ.get("BENCH_REDIS_URL")
        or os.environ.get("REDIS_URL")
        or "redis://127.0.0.1:6379/0"
    )


def _hammer(token: str, token_kind: str, seconds: float, results) -> None:
    client = MoySkladClient(
        token, api_url=API, loop_guard_prefix="http://bench.local/api/webhooks/",
        redis=Redis.from_url(_redis_url()), token_kind=token_kind,
    )  # fmt: skip
    durations, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        client.get("/entity/product", {"limit": 1})
        durations.append(time.monotonic() - started)
    results.put(durations)


def run(token_kind: str, workers: int, seconds: float) -> dict:
    token = f"bench-user-{uuid.uuid4().hex[:8]}"  # fresh limiter keys for each phase
    requests.post(SIM + "/_sim/accounts", json={"account_id": ACCOUNT, "token": token,
                                                "token_kind": "user"}, timeout=10)  # fmt: skip
    since = len(requests.get(SIM + "/_sim/requests", timeout=30).json())
    results = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(target=_hammer, args=(token, token_kind, seconds, results))
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    durations = [d for _ in processes for d in results.get()]
    for process in processes:
        process.join()
    recorded = requests.get(SIM + f"/_sim/requests?since={since}", timeout=30).json()
    statuses = [r["status"] for r in recorded if r["token"] == token]
    cuts = statistics.quantiles(durations, n=100) if len(durations) > 1 else [0.0] * 99
    return {
        "made": len(statuses),
        "refused": statuses.count(429),
        "answered": len(durations),
        "per_3s": round(statuses.count(200) / seconds * 3, 2),
        "p50_ms": round(cuts[49] * 1000),
        "p95_ms": round(cuts[94] * 1000),
        "p99_ms": round(cuts[98] * 1000),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench_rate_limit", description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--baseline-seconds", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    simulator = subprocess.Popen([sys.executable, "-m", "scripts.simulator", "--port", str(PORT)],
                                 stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        for _ in range(100):
            try:
                requests.get(SIM + "/_sim/health", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        baseline = run("app", args.workers, args.baseline_seconds)
        ours = run("user", args.workers, args.seconds)
    finally:
        simulator.terminate()
        simulator.wait(timeout=10)
    for name, result in (("baseline (kind unknown)", baseline), ("user token kind", ours)):
        print(f"{name:24} " + "  ".join(f"{k}={v}" for k, v in result.items()))
    rate = ours["refused"] / max(ours["made"], 1)
    base_rate = baseline["refused"] / max(baseline["made"], 1)
    print(f"refused share: {rate:.2%} vs baseline {base_rate:.2%}")
    return 0 if ours["refused"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
