"""A minute of the demo as an operator sees it: worker processes beside the in-thread simulator
and receiver, the console process started at once (ready when the minute is over), the
pipeline's /metrics and a screenshot of every console page."""

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from scripts.console_screenshots import chromium_missing, open_browser, sign_in, visit_every_page
from tests.console.conftest import PAGES, PASSWORD, USERS
from tests.jobs.monitoring.test_grafana_dashboard import DASHBOARD, panel_metrics
from tests.scripts.supervised import process_env
from tests.support.console_process import start_console, stop_console, wait_for_console

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots" / "demo-1min"
DEMO_SECONDS = 60  # the console and /metrics are read once the demo has run this long
TRAFFIC_SECONDS = 40  # edits at the demo's pace; then the catalogues converge
DEMO_INTERVAL = 0.5  # scripts.demo's default --interval
# What `scripts/up.sh` runs: the webhooks worker (with housekeeping here: no scheduler) and sync's.
WORKER_QUEUES = (("webhooks", "default", "housekeeping"), ("sync",))
STOP_TIMEOUT = 15


@contextlib.contextmanager
def demo_processes(settings, logs: Path) -> Iterator[tuple[subprocess.Popen, str]]:
    """The demo's workers and its console (process and URL yielded), stopped on exit."""
    env = process_env(settings)
    stack = contextlib.ExitStack()  # the workers' log files
    workers = []
    for number, queues in enumerate(WORKER_QUEUES):
        log = stack.enter_context((logs / f"worker-{number}.log").open("wb"))
        command = [sys.executable, "-m", "scripts.worker", "--queues", *queues]
        workers.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log))
    console, url = start_console(settings, USERS)
    try:
        yield console, url
    finally:
        stop_console(console)
        for worker in workers:  # SIGTERM: the job in hand is finished first
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=STOP_TIMEOUT)
        stack.close()


def samples(base_url: str) -> dict[tuple[str, tuple], float]:
    text = requests.get(f"{base_url.rstrip('/')}/metrics", timeout=30).text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def assert_worker_metrics(base_url: str) -> None:
    """The workers' side of /metrics counts what the minute did; every panel's metric exists."""
    got = samples(base_url)

    def value(name: str, **labels: str) -> float | None:
        return got.get((name, tuple(sorted(labels.items()))))

    assert value("webhook_pipeline_metrics_up") == 1
    assert value("webhook_processing_seconds_count") > 0
    assert value("webhook_processing_seconds_sum") > 0
    assert value("webhook_processing_outcomes_total", outcome="completed") > 0
    assert value("webhook_logs_last_hour", status="completed") > 0
    assert value("webhook_logs_last_hour", status="rejected") > 0  # the demo's bad deliveries
    assert value("webhook_rq_workers", queue="webhooks") >= 1
    assert value("webhook_rq_workers", queue="sync") >= 1
    assert value("sync_tasks", status="completed") > 0
    assert value("sync_executor_latency_seconds", quantile="0.95") > 0
    # Caught up by now, the depths are mostly 0 (a verify or a retry may wait): there, not > 0.
    assert all(value("webhook_queue_depth", queue=q) >= 0 for q in ("webhooks", "sync", "default"))
    exposed = {name for name, _ in got}
    dashboard = json.loads(DASHBOARD.read_text())
    missing = {
        panel["title"]: sorted(panel_metrics(panel) - exposed)
        for panel in dashboard["panels"]
        if panel_metrics(panel) - exposed
    }
    assert missing == {}


def screenshot_every_page(console: subprocess.Popen, console_url: str) -> None:
    """Every page as an operator, in headless Chromium: PageError on an error element, a raw
    value in a table or no verdict; one PNG per page in artifacts/screenshots/demo-1min/."""
    if missing := chromium_missing():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            raise RuntimeError(missing)
        pytest.skip(f"no screenshots of the demo: {missing}")
    wait_for_console(console, console_url)  # started with the demo: up long ago
    driver = open_browser()
    try:
        sign_in(driver, console_url, "olga", PASSWORD)
        saved = visit_every_page(driver, SCREENSHOTS)
    finally:
        driver.quit()
    assert [path.stem for path in saved] == list(PAGES)
    assert all(path.stat().st_size > 10_000 for path in saved)
