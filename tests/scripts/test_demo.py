"""The demo: a franchise in the simulator and our database, webhooks installed by our setup,
and traffic that reaches our receiver as deliveries of every kind."""

import dataclasses
import random
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from rq import Queue, SimpleWorker

from jobs.context import configure
from jobs.moysklad import MoySkladUnavailable
from jobs.moysklad import defaults as client_defaults
from jobs.processing.webhook import process_webhook
from jobs.sync.orders_documents import order_sync_id
from jobs.sync.verify import verify_all
from receiver.app import create_app
from scripts.demo import CHILDREN, MAIN, create_franchise, run_traffic, simulator_url
from scripts.demo_traffic import SimulatorControl, Traffic
from scripts.simulator.server import running_simulator
from scripts.simulator.simulator import Simulator
from store.account_edits import get_sync_settings
from store.catalog_links import mappings_of
from store.logs import get_log
from store.models import ChildAccount, SyncTask, WebhookLog
from tests.scripts.demo_minute import (
    DEMO_INTERVAL,
    DEMO_SECONDS,
    TRAFFIC_SECONDS,
    assert_worker_metrics,
    demo_processes,
    screenshot_every_page,
)
from tests.support.tcp_proxy import free_port


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        """No access log in the test output."""


@pytest.fixture
def demo_settings(settings, db, redis):
    """A simulator and our receiver, each in a thread; settings pointing at both."""
    sim = Simulator()
    port = free_port()
    demo = dataclasses.replace(settings, public_base_url=f"http://127.0.0.1:{port}")
    receiver = make_server("127.0.0.1", port, create_app(demo, redis), handler_class=QuietHandler)
    thread = threading.Thread(target=receiver.serve_forever, daemon=True)
    thread.start()
    with running_simulator(sim) as api_url:
        demo = dataclasses.replace(demo, moysklad_api_url=api_url)
        configure(demo, redis)
        yield sim, demo
    sim.close()
    receiver.shutdown()
    receiver.server_close()


def test_demo_installs_webhooks_and_its_traffic_reaches_the_receiver(demo_settings):
    sim, settings = demo_settings
    control = SimulatorControl(simulator_url(settings))
    reports = create_franchise(control, settings)
    assert all(report["ok"] for report in reports.values()), reports
    main_hooks = sim.webhooks(MAIN[0])
    assert len(main_hooks) == 15
    assert all(h["url"].startswith(settings.receive_prefix) for h in main_hooks)
    assert all(len(sim.webhooks(child[0])) == 13 for child in CHILDREN)
    assert ChildAccount.select().where(ChildAccount.status == "active").count() == 2

    for child, *_ in CHILDREN:  # no worker runs here: a franchisee's own goods to sell
        sim.add_entity(child, "product", {"name": "Своё", "salePrices": []})
    traffic = Traffic(control, MAIN[0], [c[0] for c in CHILDREN], random.Random(7))
    assert run_traffic(traffic, 0, 0, 60, lambda: False) == 60
    assert sim.flush_deliveries(timeout=20)
    assert {"price_edit", "child_order", "bulk_price_edit", "bad_delivery"} <= set(traffic.done)
    logs = list(
        WebhookLog.select(WebhookLog.account_id, WebhookLog.status, WebhookLog.events_count)
    )
    accounts = {str(log.account_id) for log in logs if log.account_id}
    assert MAIN[0] in accounts and accounts & {c[0] for c in CHILDREN}
    assert any(log.status == "rejected" for log in logs)
    assert max(log.events_count for log in logs) >= 5  # a bulk edit arrives as one body


def test_demo_failing_product_fails_its_delivery_where_a_filter_needs_the_read(
    demo_settings, monkeypatch
):
    monkeypatch.setattr(client_defaults, "BACKOFF_BASE", 0.01)
    sim, settings = demo_settings
    control = SimulatorControl(simulator_url(settings))
    create_franchise(control, settings)
    product_filter = get_sync_settings(CHILDREN[1][0])["product_filter"]
    assert [c["field"] for c in product_filter["conditions"]] == ["folder"]

    traffic = Traffic(control, MAIN[0], [c[0] for c in CHILDREN], random.Random(3))
    traffic.failing_product()
    assert traffic.broken and not traffic.broken & {p["id"] for p in traffic.editable_products()}
    assert sim.flush_deliveries(timeout=20)
    [broken] = traffic.broken
    log = WebhookLog.get(WebhookLog.entity_ids.contains(broken))
    with pytest.raises(MoySkladUnavailable):
        process_webhook(log.id)  # outside RQ no try is left: the log fails with the error
    failed = get_log(log.id)
    assert failed.status == "failed" and "MoySkladUnavailable" in failed.error
    reads = [r for r in sim.requests if r.method == "GET" and r.path == "/entity/product"]
    assert reads and {r.status for r in reads} == {500}


def test_demo_stops_at_its_bounds(demo_settings):
    _, settings = demo_settings
    control = SimulatorControl(simulator_url(settings))
    create_franchise(control, settings)
    traffic = Traffic(control, MAIN[0], [c[0] for c in CHILDREN], random.Random(1))
    assert run_traffic(traffic, 0, 0, 0, lambda: sum(traffic.done.values()) >= 3) == 3


def test_a_minute_of_the_demo_converges_and_shows_on_every_console_page_and_in_metrics(
    demo_settings, redis, tmp_path
):
    """The demo for a minute, at its own pace, with worker processes: every main product then
    has its copy in each child that its filter lets through (Казань: coffee and tea only), and
    nothing else — a franchisee's hand edits included, found and repaired by the demo's verify.
    At a minute, /metrics shows the workers' work and every Grafana panel's metric, and every
    console page renders in Chromium without an error (artifacts/screenshots/demo-1min/)."""
    sim, settings = demo_settings
    started = time.monotonic()
    control = SimulatorControl(simulator_url(settings))
    create_franchise(control, settings)
    with demo_processes(settings, tmp_path) as console:
        traffic = Traffic(control, MAIN[0], [c[0] for c in CHILDREN], random.Random(5))
        run_traffic(traffic, DEMO_INTERVAL, TRAFFIC_SECONDS, 0, lambda: False)
        folders = {f["id"]: f["name"] for f in sim.entities(MAIN[0], "productfolder")}
        deadline = time.monotonic() + 60
        while True:
            work(sim, redis)
            expected = _expected(sim, folders)
            copies = {child: _names(sim, child) for child, *_ in CHILDREN}
            if all(copies[child] == expected[child] for child in copies):
                break
            assert time.monotonic() < deadline, {c: expected[c] ^ copies[c] for c in copies}
            verify_all()  # what the demo runs every VERIFY_SECONDS: hand edits repaired
        applied = SyncTask.select().where(SyncTask.status == "completed").count()
        assert applied >= sum(len(names) for names in expected.values())
        for child, *_ in CHILDREN:
            diff = sim.catalog_diff(MAIN[0], child, "product", fields=["name", "salePrices"])
            assert set(diff["different"]) == set(), diff["different"]

        time.sleep(max(0.0, DEMO_SECONDS - (time.monotonic() - started)))
        assert_worker_metrics(settings.public_base_url)
        screenshot_every_page(*console)


def test_demo_franchisee_order_reaches_main_and_a_hand_edit_is_found_and_repaired(
    demo_settings, redis
):
    """The demo's traffic steps against the simulator, our receiver, processing and the
    executor: a franchisee's order of synced goods becomes one main customerorder with the same
    positions and sum; a hand edit of a copy brings no webhook, the demo's verify (the nightly
    job's function) finds it and, by the children's verify_repair, repairs it."""
    sim, settings = demo_settings
    control = SimulatorControl(simulator_url(settings))
    create_franchise(control, settings)
    moscow = CHILDREN[0][0]
    synced = len(sim.entities(MAIN[0], "product")) + len(sim.entities(MAIN[0], "service"))
    deadline = time.monotonic() + 30
    while len(mappings_of(moscow, "product")) + len(mappings_of(moscow, "service")) < synced:
        assert time.monotonic() < deadline, "the catalogue did not reach Москва"
        work(sim, redis)
    traffic = Traffic(control, MAIN[0], [moscow], random.Random(11))

    traffic.child_order()
    [order] = sim.entities(moscow, "customerorder")
    work(sim, redis)

    [copy] = sim.entities(MAIN[0], "customerorder")
    assert copy["syncId"] == order_sync_id(moscow, "customerorder", order["id"])
    assert copy["sum"] == order["sum"] > 0
    assert len(copy["positions"]) == len(order["positions"])
    task = SyncTask.get(SyncTask.entity_id == order["id"], SyncTask.status == "completed")
    assert task.applied_mode == "live"

    logs_before = WebhookLog.select().count()
    edit = traffic.hand_edit()
    assert edit is not None
    assert sim.flush_deliveries(timeout=10) and WebhookLog.select().count() == logs_before
    main_id = next(m for m, c in mappings_of(moscow, "product").items() if c == edit["id"])

    found = verify_all()[moscow]

    assert found["different"] == 1 and found["tasks_written"] == 1, found
    work(sim, redis)
    diff = sim.catalog_diff(MAIN[0], moscow, "product", fields=["name", "salePrices"])
    assert not diff["different"], diff["different"]
    assert (
        sim.entity(moscow, "product", edit["id"])["name"]
        == (sim.entity(MAIN[0], "product", main_id)["name"])
    )
    assert verify_all()[moscow]["different"] == 0


def work(sim, redis) -> None:
    """Deliver what the simulator fired and run every job that follows, to the end (retries of
    a delivery that met the demo's outage included, once they are due)."""
    sim.flush_deliveries(timeout=10)
    queues = [Queue(name, connection=redis) for name in QUEUES]
    SimpleWorker(queues, connection=redis).work(burst=True, with_scheduler=True)


QUEUES = ("webhooks", "sync", "default")


def _names(sim, account_id: str) -> set[str]:
    return {p["name"] for p in sim.entities(account_id, "product") if not p.get("archived")}


def _expected(sim, folders: dict[str, str]) -> dict[str, set[str]]:
    """Product names each child should have: all for Москва, coffee and tea for Казань."""
    names = {CHILDREN[0][0]: set(), CHILDREN[1][0]: set()}
    for product in sim.entities(MAIN[0], "product"):
        if product.get("archived") or product["name"].startswith("Битый"):
            continue
        names[CHILDREN[0][0]].add(product["name"])
        href = ((product.get("productFolder") or {}).get("meta") or {}).get("href", "")
        if folders.get(href.rsplit("/", 1)[-1]) in ("Кофе", "Чай"):
            names[CHILDREN[1][0]].add(product["name"])
    return names
