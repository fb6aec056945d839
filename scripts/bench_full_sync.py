"""python -m scripts.bench_full_sync — a child's full sync and verify against the simulator at
100 ms latency (app tokens).

Main holds 5,010 items (10 folders, 3,710 products, 1,000 services, 300 variants); the child
already holds 2,000 of them under its own ids with main's codes, and two entities each for 10
more codes (ambiguous). `full` must link the 2,000 (none duplicated), queue 3,000 creates (and
2,000 updates of what it linked, main winning), report the 10 ambiguous keys; the executor then
applies it all. Baseline in the same run: the floor of writing 3,000 products in bulk (30 POSTs
of 100) through our client to a scratch account. Then verify: 50 random hand edits in the child
→ all found, `repair` queues the fixes, the executor applies them, a second verify finds 0.
Its own database (BENCH_ORDERS_DATABASE_URL) and Redis (BENCH_ORDERS_REDIS_URL), both emptied.
"""

import argparse
import os
import random
import subprocess
import sys
import time
import uuid
from collections import Counter

import requests

from jobs.moysklad.factory import client_for_account
from jobs.sync.executor import apply_sync_tasks
from jobs.sync.full_sync import plan_full_sync
from jobs.sync.verify import verify_child
from scripts.bench_orders import SECRET, prepare, settings_for
from store.accounts import add_account, link_child
from store.models import Account

FOLDERS, PRODUCTS, SERVICES, VARIANTS = 10, 3_710, 1_000, 300
HELD, AMBIGUOUS, EDITS = 2_000, 10, 50


class SimulatorProcess:
    """The simulator as its own process (its CPU is not ours), driven through /_sim."""

    def __init__(self, port: int):
        self.root = f"http://127.0.0.1:{port}"
        self.api_url = f"{self.root}/api/remap/1.2"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scripts.simulator", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                requests.get(f"{self.root}/_sim/health", timeout=1).raise_for_status()
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("the simulator did not start")

    def call(self, method: str, path: str, body=None):
        answer = requests.request(method, f"{self.root}/_sim{path}", json=body, timeout=120)
        answer.raise_for_status()
        return answer.json() if answer.content else None

    def add_account(self, account_id: str, token: str) -> None:
        self.call("POST", "/accounts", {"account_id": account_id, "token": token})

    def add_entities(self, account_id: str, entity_type: str, items: list[dict]) -> list[dict]:
        return self.call("POST", f"/accounts/{account_id}/entities/{entity_type}", items)

    def add_entity(self, account_id: str, entity_type: str, data: dict) -> dict:
        return self.add_entities(account_id, entity_type, [data])[0]

    def entities(self, account_id: str, entity_type: str) -> list[dict]:
        return self.call("GET", f"/accounts/{account_id}/entities/{entity_type}")

    def update_entity(self, account_id: str, entity_type: str, entity_id: str, data: dict):
        change = {"action": "UPDATE", "entityType": entity_type, "id": entity_id, "data": data}
        return self.call("POST", f"/accounts/{account_id}/changes", change)

    def set_latency(self, seconds: float) -> None:
        self.call("POST", "/config", {"latency": seconds})

    def reset_requests(self) -> None:
        self.call("DELETE", "/requests")

    def requests(self) -> list[dict]:
        return self.call("GET", "/requests")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def accounts(sim: SimulatorProcess) -> tuple[str, str, str]:
    ids = [str(uuid.uuid4()) for _ in range(3)]
    for number, (account, kind) in enumerate(zip(ids, ("main", "child", "child"), strict=True)):
        token = f"bench-full-{number}"
        sim.add_account(account, token)
        add_account(account, f"Bench {kind} {number}", token, kind, SECRET, token_kind="app")
    link_child(ids[0], ids[1])
    Account.update(sync_mode="live").execute()
    return ids[0], ids[1], ids[2]


def catalogue(sim: SimulatorProcess, main: str, child: str, rng: random.Random) -> list[tuple]:
    """Main's items [(type, id, code)]; the child's own copies of HELD of them and doubles."""
    names = [{"name": f"Группа {n}"} for n in range(FOLDERS)]
    folders = [f["id"] for f in sim.add_entities(main, "productfolder", names)]
    sim.add_entities(child, "productfolder", names)
    items = [("productfolder", folder, None) for folder in folders]
    products = [
        {"name": f"Товар {n}", "code": f"P-{n:05d}", "productFolder": folders[n % FOLDERS],
         "description": f"описание {n}"}
        for n in range(PRODUCTS)
    ]  # fmt: skip
    made = sim.add_entities(main, "product", products)
    items += [("product", p["id"], p["code"]) for p in made]
    services = [{"name": f"Услуга {n}", "code": f"S-{n:05d}"} for n in range(SERVICES)]
    items += [("service", s["id"], s["code"]) for s in sim.add_entities(main, "service", services)]
    variants = [
        {"product": made[n]["id"], "characteristics": {"Размер": f"R{n}"}, "code": f"V-{n:05d}"}
        for n in range(VARIANTS)
    ]
    items += [("variant", v["id"], v["code"]) for v in sim.add_entities(main, "variant", variants)]
    # The child has the characteristic already (a variant of its own).
    own = sim.add_entity(child, "product", {"name": "своя футболка", "code": "OWN-1"})
    sim.add_entity(child, "variant", {"product": own["id"], "characteristics": {"Размер": "XL"}})
    goods = [i for i in items if i[0] in ("product", "service")]
    rng.shuffle(goods)
    for kind in ("product", "service"):
        held = [{"name": f"своё {code}", "code": code} for k, _, code in goods[:HELD] if k == kind]
        doubles = [
            {"name": f"дубль {copy} {code}", "code": code}
            for k, _, code in goods[HELD : HELD + AMBIGUOUS]
            if k == kind
            for copy in range(2)
        ]
        sim.add_entities(child, kind, held + doubles)
    return items


def drain(target: str, context) -> float:
    started = time.monotonic()
    while True:
        summary = apply_sync_tasks(target)
        if not summary.get("remaining") and summary.get("stopped") == "idle":
            return time.monotonic() - started


def floor(context, scratch: str) -> float:
    client = client_for_account(context, scratch)
    started = time.monotonic()
    for batch in range(30):
        client.post("/entity/product", [{"name": f"floor {batch}-{n}"} for n in range(100)])
    return time.monotonic() - started


def child_codes(sim: SimulatorProcess, child: str) -> Counter:
    codes = Counter()
    for kind in ("product", "service", "variant"):
        codes.update(e.get("code") for e in sim.entities(child, kind) if e.get("code"))
    return codes


def hand_edits(sim: SimulatorProcess, child: str, rng: random.Random) -> set[str]:
    """EDITS random edits of synced fields in the child's mapped products: their child ids."""
    from store.catalog_links import mappings_of

    mapped = list(mappings_of(child, "product").values())
    edited = set()
    for child_id in rng.sample(mapped, EDITS):
        field, value = rng.choice(
            (("name", "правка"), ("description", "своя правка"), ("code", f"X-{child_id[:6]}"))
        )
        sim.update_entity(child, "product", child_id, {field: value})
        edited.add(child_id)
    return edited


def bench(port: int, seed: int) -> int:
    rng = random.Random(seed)
    sim = SimulatorProcess(port)
    try:
        return _bench(sim, rng)
    finally:
        sim.stop()


def _bench(sim: SimulatorProcess, rng: random.Random) -> int:
    context = prepare(settings_for(sim.api_url))
    main, child, scratch = accounts(sim)
    items = catalogue(sim, main, child, rng)
    print(f"main {len(items)} items; the child holds {HELD} of them (own ids, main's codes)"
          f" and 2 each for {AMBIGUOUS} more codes; latency 100 ms, app tokens")  # fmt: skip
    sim.reset_requests()
    sim.set_latency(0.1)

    floor_seconds = floor(context, scratch)
    sim.reset_requests()
    sim.set_latency(0.1)
    started = time.monotonic()
    report = plan_full_sync(context, child)
    planned = time.monotonic() - started
    applied = drain(child, context)
    total = time.monotonic() - started
    linked = report.total("linked")
    created = report.total("to_create")
    ambiguous = sum(len(t.ambiguous) for t in report.types)
    codes = child_codes(sim, child)
    wanted = [code for kind, _, code in items if code]
    duplicated = sum(1 for code in wanted if codes[code] > 1) - AMBIGUOUS
    missing = sum(1 for code in wanted if codes[code] == 0)
    recorded = sim.requests()
    refused = sum(1 for r in recorded if r["status"] == 429)
    conflicts = sum(len(t.conflicts) for t in report.types)
    print(f"full: plan {planned:.1f} s (linked {linked}, queued creates {created},"
          f" ambiguous {ambiguous}, conflicts {conflicts})")  # fmt: skip
    print(f"  applied by the executor in {applied:.1f} s; total {total:.1f} s"
          f" (limit 180 s); requests {len(recorded)}, 429 answers {refused}")  # fmt: skip
    print(f"  child now: codes missing {missing}, duplicated {duplicated} (the ambiguous ones"
          f" excluded); floor 3,000 bulk creates {floor_seconds:.1f} s,"
          f" ratio {total / floor_seconds:.2f}")  # fmt: skip
    ok_full = (linked, created, ambiguous, missing, duplicated, refused) == (
        HELD + FOLDERS,
        3_000,
        AMBIGUOUS,
        0,
        0,
        0,
    ) and total <= 180

    sim.reset_requests()
    sim.set_latency(0.1)
    first = time.monotonic()
    clean = verify_child(context, child)
    clean_seconds = time.monotonic() - first
    edited = hand_edits(sim, child, rng)
    second = time.monotonic()
    found = verify_child(context, child, repair=True)
    found_seconds = time.monotonic() - second
    found_ids = {d.child_id for d in found.differences}
    drain(child, context)
    after = verify_child(context, child)
    print(f"verify: clean run {len(clean.differences)} different of {clean.checked}"
          f" ({clean_seconds:.1f} s); after {EDITS} hand edits {len(found.differences)} found"
          f" ({len(edited & found_ids)} of the edited; {found.unchanged} unchanged skipped by"
          f" hash, {found_seconds:.1f} s), repair queued {found.tasks_written};"
          f" the next verify {len(after.differences)} different")  # fmt: skip
    ok_verify = edited <= found_ids and len(found.differences) == EDITS
    ok_verify = ok_verify and after.differences == []
    print("OK" if ok_full and ok_verify else "FAIL")
    return 0 if ok_full and ok_verify else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench_full_sync", description=__doc__)
    port = int(os.environ.get("BENCH_SIMULATOR_PORT", 19411))
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    return bench(args.port, args.seed)


if __name__ == "__main__":
    sys.exit(main())
