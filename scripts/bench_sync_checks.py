"""What the sync benchmark measures after a scenario: task statuses and times, requests per
token, 429s, duplicates, and whether every child's copy equals the main product."""

import time
from collections import Counter

from scripts.bench_sync_setup import ATTRIBUTE, CHILD_PRICE_TYPE, Bench
from store.db import database

MAIN_PRICE_TYPE = "Цена продажи"


def wait_tasks_final(expected: int, timeout: float) -> bool:
    """Until `expected` tasks exist and none is pending/running (or the timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        total, open_ = database.execute_sql(
            "SELECT count(*), count(*) FILTER (WHERE status IN ('pending', 'running'))"
            " FROM sync_queue"
        ).fetchone()
        if total >= expected and open_ == 0:
            return True
        time.sleep(0.25)
    return False


def task_statuses() -> dict[str, int]:
    rows = database.execute_sql("SELECT status, count(*) FROM sync_queue GROUP BY status")
    return dict(rows.fetchall())


def span_seconds() -> float | None:
    """First delivery received → last task finished."""
    value = database.execute_sql(
        "SELECT extract(epoch FROM (SELECT max(finished_at) FROM sync_queue)"
        " - (SELECT min(received_at) FROM webhook_logs))"
    ).fetchone()[0]
    return float(value) if value is not None else None


def requests_by_token(bench: Bench, since: int = 0) -> dict[str, Counter]:
    """account id → Counter of requests (total, GET, POST, PUT, 429) since a request index."""
    by_token = {token: account for account, token in bench.tokens.items()}
    counts: dict[str, Counter] = {account: Counter() for account in bench.tokens}
    for request in bench.sim("GET", "/_sim/requests", since=since):
        account = by_token.get(request.get("token"))
        if account is None:
            continue
        counts[account]["total"] += 1
        counts[account][request["method"]] += 1
        if request["status"] == 429:
            counts[account]["429"] += 1
    return counts


def request_count(bench: Bench) -> int:
    return len(bench.sim("GET", "/_sim/requests"))


def duplicates(bench: Bench, child: str) -> int:
    """Entities beyond the first of each name in the child."""
    names = Counter(p["name"] for p in bench.sim("GET", f"/_sim/accounts/{child}/entities/product"))
    return sum(n - 1 for n in names.values() if n > 1)


def differences(bench: Bench, child: str, number: int) -> list[str]:
    """Main products missing or unequal in the child: name, price (through the child's price
    type mapping), folder (by name), the attribute's value."""
    main = _products(bench, bench.main)
    copies = _products(bench, child)
    price_type = CHILD_PRICE_TYPE if number == 0 else MAIN_PRICE_TYPE
    wrong = []
    for name, product in main.items():
        copy = copies.get(name)
        if copy is None:
            wrong.append(f"{name}: missing")
            continue
        checks = {
            "price": (_price(product, MAIN_PRICE_TYPE), _price(copy, price_type)),
            "folder": (product["folder"], copy["folder"]),
            "attribute": (product["attribute"], copy["attribute"]),
        }
        wrong += [f"{name}: {what} {a!r} ≠ {b!r}" for what, (a, b) in checks.items() if a != b]
    return wrong


def _products(bench: Bench, account: str) -> dict[str, dict]:
    folders = {
        f["id"]: f["name"]
        for f in bench.sim("GET", f"/_sim/accounts/{account}/entities/productfolder")
    }
    out = {}
    for product in bench.sim("GET", f"/_sim/accounts/{account}/entities/product"):
        folder_href = ((product.get("productFolder") or {}).get("meta") or {}).get("href", "")
        attributes = {a.get("name"): a.get("value") for a in product.get("attributes") or []}
        out[product["name"]] = {
            "prices": product.get("salePrices") or [],
            "folder": folders.get(folder_href.rsplit("/", 1)[-1]),
            "attribute": attributes.get(ATTRIBUTE),
        }
    return out


def _price(product: dict, price_type: str):
    for price in product["prices"]:
        if (price.get("priceType") or {}).get("name") == price_type:
            return price.get("value")
    return None


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {"n": len(ordered), "p50": at(0.5), "p95": at(0.95), "p99": at(0.99)}


def describe(stats: dict, unit: str = "ms") -> str:
    if not stats.get("n"):
        return "no samples"
    return (
        f"p50 {stats['p50']:.0f} {unit}, p95 {stats['p95']:.0f} {unit}, "
        f"p99 {stats['p99']:.0f} {unit} (n={stats['n']})"
    )
