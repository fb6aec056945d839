"""The demo: a franchise in the simulator and our database, webhooks installed by our setup,
and traffic that reaches our receiver as deliveries of every kind."""

import dataclasses
import random
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from jobs.context import configure
from jobs.moysklad import MoySkladUnavailable
from jobs.moysklad import defaults as client_defaults
from jobs.processing.webhook import process_webhook
from receiver.app import create_app
from scripts.demo import CHILDREN, MAIN, create_franchise, run_traffic, simulator_url
from scripts.demo_traffic import SimulatorControl, Traffic
from scripts.simulator.server import running_simulator
from scripts.simulator.simulator import Simulator
from store.account_edits import get_sync_settings
from store.logs import get_log
from store.models import ChildAccount, WebhookLog
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
    log = WebhookLog.get(WebhookLog.action == "CREATE")
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
