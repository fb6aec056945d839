"""python -m scripts.demo — a franchise in the МойСклад simulator and live traffic for the console.

Needs a running simulator (MOYSKLAD_API_URL points at it), our receiver at PUBLIC_BASE_URL, the
database and Redis, the workers (webhooks and sync) and the scheduler. Creates one main and two
child accounts (syncing live, as main does for their orders) in the simulator and in our
database, links them, installs their webhooks through our own setup, creates the catalogue in
main (which the children receive through the sync executor), then edits it, places franchisees'
orders of the synced goods (copied into main) and edits a child's copy by hand now and then
(found and repaired by the verify the demo runs every VERIFY_SECONDS, as the nightly job would)
until SIGTERM, --duration or --max-actions.
"""

import argparse
import random
import signal
import sys
import time
from collections.abc import Callable

import requests

from jobs.context import configure
from jobs.lifecycle.setup import setup_account
from jobs.monitoring.stats import update_stats
from jobs.sync.verify import verify_all
from scripts.demo_traffic import SimulatorControl, Traffic
from store.account_edits import update_sync_settings
from store.accounts import add_account, link_child
from store.settings import Settings, load_settings
from store.sync_tasks import start_syncing

MAIN = ("1a000000-0000-4000-8000-00000000000a", "Франчайзер (main)", "demo-main-token")
CHILDREN = (
    ("1b000000-0000-4000-8000-00000000000b", "Франчайзи Москва (child)", "demo-child-1-token"),
    ("1c000000-0000-4000-8000-00000000000c", "Франчайзи Казань (child)", "demo-child-2-token"),
)
FOLDERS = ("Кофе", "Чай", "Десерты")
FILTERED_CHILD_FOLDERS = ("Кофе", "Чай")
PRODUCTS_PER_FOLDER = 8
WAIT_SECONDS = 60  # for the simulator and the receiver to come up
FIRST_ROLLUP_SECONDS = 10
VERIFY_SECONDS = 120  # the demo verifies every child this often (production: nightly)
CHILD_INNS = ("7701000001", "1655000002")


def simulator_url(settings: Settings) -> str:
    """The simulator's root (MOYSKLAD_API_URL without /api/remap/1.2)."""
    return settings.moysklad_api_url.split("/api/remap/")[0]


def wait_until_up(urls: list[str], timeout: float = WAIT_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    for url in urls:
        while True:
            try:
                if requests.get(url, timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"demo: {url} did not answer within {timeout:.0f} s")
            time.sleep(0.5)


def create_franchise(sim: SimulatorControl, settings: Settings) -> dict:
    """Accounts in the simulator and in our database (children syncing live), webhooks set up,
    then the catalogue created in main as a user would — so it reaches the children through
    the webhooks, the tasks and the sync executor. Main syncs live too: the children's orders
    are written into it. The children's verify repairs what it finds (their verify_repair)."""
    for account_id, _, token in (MAIN, *CHILDREN):
        sim.call("POST", "/accounts", {"account_id": account_id, "token": token})
    main_id = MAIN[0]
    # The simulator's tokens are app tokens: registered as such, the limiter allows their 45
    # requests per 3 s (a user token's weight would allow 11).
    secrets = settings.encryption_secrets
    add_account(main_id, MAIN[1], MAIN[2], "main", secrets, token_kind="app")
    for child_id, name, token in CHILDREN:
        add_account(child_id, name, token, "child", secrets, token_kind="app")
        link_child(main_id, child_id)
        update_sync_settings(child_id, {"verify_repair": True})
    start_syncing([main_id, *(child_id for child_id, *_ in CHILDREN)], "live")
    seed_parties(sim)
    reports = {
        account_id: setup_account(account_id, "setup") for account_id, *_ in (MAIN, *CHILDREN)
    }
    for account_id, report in reports.items():
        print(f"demo: setup of {account_id}: {report['status']}, {report['counts']},"
              f" errors: {report['errors'] or 'none'}", flush=True)  # fmt: skip
    folders = sim.call("GET", f"/accounts/{main_id}/entities/productfolder")
    if not folders:
        data = [{"name": name} for name in FOLDERS]
        folders = sim.change(main_id, "CREATE", "productfolder", data=data)
    # Казань sells coffee and tea only: its creates need the entity read from МойСклад.
    wanted = [f["id"] for f in folders if f["name"] in FILTERED_CHILD_FOLDERS]
    condition = {"field": "folder", "op": "in", "values": wanted, "include_subfolders": True}
    update_sync_settings(
        CHILDREN[1][0], {"product_filter": {"mode": "whitelist", "conditions": [condition]}}
    )
    if not sim.call("GET", f"/accounts/{main_id}/entities/product"):
        for folder in folders:
            products = [
                {"name": f"{folder['name']} №{n}",
                 "article": f"{folder['name'][:3].upper()}-{n:03d}",
                 "productFolder": folder["id"], "buyPrice": 5000 * n,
                 "salePrices": [{"value": 10000 * n, "priceType": "Цена продажи"}]}
                for n in range(1, PRODUCTS_PER_FOLDER + 1)
            ]  # fmt: skip
            sim.change(main_id, "CREATE", "product", data=products)
        sim.change(main_id, "CREATE", "service", data={"name": "Доставка"})
    return reports


def seed_parties(sim: SimulatorControl) -> None:
    """Main's organization (its orders' organization); each franchisee's own organization (with
    the INN main finds it by) and a customer — seeded, no webhook, once."""
    accounts = [(MAIN[0], {"name": "ООО Франчайзер", "inn": "7700000000"})] + [
        (child_id, {"name": name, "legalTitle": f"ИП {name}", "inn": inn})
        for (child_id, name, _), inn in zip(CHILDREN, CHILD_INNS, strict=True)
    ]
    for account_id, organization in accounts:
        if not sim.call("GET", f"/accounts/{account_id}/entities/organization"):
            sim.call("POST", f"/accounts/{account_id}/entities/organization", organization)
    for child_id, *_ in CHILDREN:
        if not sim.call("GET", f"/accounts/{child_id}/entities/counterparty"):
            sim.call("POST", f"/accounts/{child_id}/entities/counterparty", {"name": "Покупатель"})


def run_traffic(
    traffic: Traffic,
    interval: float,
    duration: float,
    max_actions: int,
    stop: Callable[[], bool],
    first_rollup_after: float = FIRST_ROLLUP_SECONDS,
    verify_every: float = VERIFY_SECONDS,
) -> int:
    """Act every `interval` seconds until stopped or a bound is reached; the number of actions.
    Every `verify_every` seconds every child is verified (and repaired, by its setting)."""
    started, count, rolled_up = time.monotonic(), 0, False
    verified = started
    while not stop():
        if not rolled_up and time.monotonic() - started >= first_rollup_after:
            # The scheduler rolls up every minute; one early roll-up fills the 24 h tiles sooner.
            update_stats()
            rolled_up = True
        if time.monotonic() - verified >= verify_every:
            # The nightly job's work, sooner: the hand edits show as drift and are repaired.
            print(f"demo: verify: {summarize(verify_all())}", flush=True)
            verified = time.monotonic()
        if (max_actions and count >= max_actions) or (
            duration and time.monotonic() - started >= duration
        ):
            break
        try:
            traffic.step()
        except requests.RequestException as exc:  # the simulator restarting: try again later
            print(f"demo: simulator request failed: {exc}", file=sys.stderr, flush=True)
        count += 1
        time.sleep(interval * traffic.rng.uniform(0.5, 1.5))
    return count


def summarize(results: dict) -> str:
    return "; ".join(
        f"{child}: {r['error']}" if "error" in r else
        f"{child}: {r['different']} different, {r['tasks_written']} repair task(s)"
        for child, r in results.items()
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.demo", description=__doc__)
    parser.add_argument("--interval", type=float, default=0.5, help="mean seconds between edits")
    parser.add_argument(
        "--duration", type=float, default=0, help="seconds to run (0: until SIGTERM)"
    )
    parser.add_argument(
        "--max-actions", type=int, default=0, help="stop after N edits (0: no limit)"
    )
    parser.add_argument("--seed", type=int, help="random seed, for a repeatable run")
    args = parser.parse_args(argv)
    settings = load_settings()
    configure(settings)
    sim = SimulatorControl(simulator_url(settings))
    wait_until_up(
        [f"{sim.base_url}/_sim/health", settings.public_base_url.rstrip("/") + "/healthz"]
    )
    create_franchise(sim, settings)
    stopping = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.append(True))
    traffic = Traffic(sim, MAIN[0], [c[0] for c in CHILDREN], random.Random(args.seed))
    count = run_traffic(
        traffic, args.interval, args.duration, args.max_actions, lambda: bool(stopping)
    )
    print(f"demo: stopped after {count} actions: {traffic.done}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
