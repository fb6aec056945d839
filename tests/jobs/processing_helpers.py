"""A franchise (main + children) in the real database and deliveries about its entities."""

import contextlib
import dataclasses
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from jobs.context import configure
from scripts.simulator import Simulator, running_simulator
from store.accounts import add_account, link_child
from store.logs import Delivery, record_delivery
from store.models import SyncSettings

HREF = "https://api.moysklad.ru/api/remap/1.2/entity/{}/{}"


@dataclass(frozen=True)
class Franchise:
    main: str
    children: list[str]


def make_franchise(secret: str, children: int = 3, token_prefix: str = "token") -> Franchise:
    main = str(uuid.uuid4())
    add_account(main, "Main", f"{token_prefix}-main", "main", secret)
    child_ids = []
    for number in range(children):
        child = str(uuid.uuid4())
        add_account(child, f"Child {number}", f"{token_prefix}-child-{number}", "child", secret)
        link_child(main, child)
        child_ids.append(child)
    return Franchise(main, child_ids)


@dataclass(frozen=True)
class SimulatedFranchise(Franchise):
    sim: Simulator
    settings: object


@contextlib.contextmanager
def simulated_franchise(settings, redis, children: int = 3) -> Iterator[SimulatedFranchise]:
    """The franchise in our database and in a running simulator the jobs talk to."""
    sim = Simulator()
    with running_simulator(sim) as api_url:
        configured = dataclasses.replace(settings, moysklad_api_url=api_url)
        configure(configured, redis)
        franchise = make_franchise(settings.app_secret, children)
        sim.add_account(franchise.main, "token-main")
        for number, child in enumerate(franchise.children):
            sim.add_account(child, f"token-child-{number}")
        yield SimulatedFranchise(franchise.main, franchise.children, sim, configured)


def assert_loop_guard(franchise: SimulatedFranchise) -> None:
    """Every request the simulator got from us carried our loop-guard prefix."""
    prefix = franchise.settings.loop_guard_prefix
    headers = [r.headers.get("x-lognex-webhook-disablebyprefix") for r in franchise.sim.requests]
    assert headers == [prefix] * len(headers)


def set_child_settings(child_id: str, **values) -> None:
    SyncSettings.update(**values).where(SyncSettings.child_account == child_id).execute()


def event(account_id: str, entity_type: str, entity_id: str, action: str, fields=None) -> dict:
    body = {
        "meta": {"type": entity_type, "href": HREF.format(entity_type, entity_id)},
        "action": action,
        "accountId": account_id,
    }
    if fields is not None:
        body["updatedFields"] = list(fields)
    return body


def deliver(account_id: str, events: list[dict], request_id: str | None = None) -> int:
    """Store a delivery as the receiver would; its log id."""
    body = json.dumps({"events": events})
    log_id = record_delivery(
        Delivery(
            request_id=request_id or str(uuid.uuid4()),
            account_id=account_id,
            entity_type=",".join(sorted({e["meta"]["type"] for e in events})),
            action=",".join(sorted({e["action"] for e in events})),
            entity_ids=[e["meta"]["href"].rsplit("/", 1)[-1] for e in events],
            events_count=len(events),
            body=body,
        ),
        receive_ms=1.0,
    )
    assert log_id is not None
    return log_id


def new_id() -> str:
    return str(uuid.uuid4())
