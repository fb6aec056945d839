"""Every alert rule opens on its condition and resolves when it clears; one alert per subject."""

import dataclasses
import json
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import Queue, Worker

from jobs import defaults
from jobs.context import configure
from jobs.lifecycle.webhook_sets import wanted_pairs
from jobs.monitoring.alerts import evaluate_alerts
from jobs.monitoring.health import account_health
from store.account_edits import set_webhooks_enabled
from store.accounts import add_account, set_account_type
from store.alerts import active_alert, open_alert
from store.models import Alert, Webhook, WebhookLog
from store.webhooks import save_webhook
from tests.jobs.log_rows import add_logs

ROOT = Path(__file__).resolve().parents[3]
ACCOUNT = "9171a53c-b719-11eb-c0a8-800d00000001"


def active(rule: str) -> dict[str, str]:
    return {
        a.subject: a.severity
        for a in Alert.select().where((Alert.rule == rule) & (Alert.status != "resolved"))
    }


def evaluate(rule: str, now: datetime | None = None) -> dict:
    from jobs.monitoring.alert_rules import RULES

    return evaluate_alerts(now=now, rules={rule: RULES[rule]})[rule]


def test_failure_rate_above_5_percent_opens_warning_above_10_critical_and_recovery_resolves(
    db, redis
):
    add_logs(95, ACCOUNT, "completed")
    add_logs(6, ACCOUNT, "failed")
    assert evaluate("failure_rate")["opened"] == [f"account:{ACCOUNT}"]
    assert active("failure_rate") == {f"account:{ACCOUNT}": "warning"}
    add_logs(10, ACCOUNT, "failed")
    assert evaluate("failure_rate")["opened"] == []  # refreshed, not a second alert
    assert active("failure_rate") == {f"account:{ACCOUNT}": "critical"}
    assert Alert.select().count() == 1
    add_logs(500, ACCOUNT, "completed")  # recovery: 16 of 611 = 2.6 %
    assert evaluate("failure_rate")["resolved"] == [f"account:{ACCOUNT}"]
    assert active("failure_rate") == {}


def test_failures_older_than_an_hour_do_not_count(db, redis):
    add_logs(50, ACCOUNT, "failed", datetime.now(UTC) - timedelta(hours=2))
    add_logs(50, ACCOUNT, "completed")
    assert evaluate("failure_rate")["firing"] == 0


def test_receive_p95_above_100_ms_opens_and_a_fast_window_resolves(db, redis):
    add_logs(20, ACCOUNT, "completed", receive_ms=250.0)
    assert evaluate("receive_latency")["opened"] == ["receiver"]
    later = datetime.now(UTC) + timedelta(seconds=defaults.RECEIVE_LATENCY_WINDOW_SECONDS + 1)
    add_logs(20, ACCOUNT, "completed", later - timedelta(seconds=5), receive_ms=3.0)
    assert evaluate("receive_latency", later)["resolved"] == ["receiver"]


def test_queue_depth_over_100_warns_over_500_is_critical_and_drained_resolves(db, redis):
    queue = Queue(defaults.WEBHOOKS_QUEUE, connection=redis)

    def fill(count):
        with redis.pipeline() as pipe:
            for _ in range(count):
                queue.enqueue("jobs.housekeeping.sweeper.sweep", pipeline=pipe)
            pipe.execute()

    fill(defaults.QUEUE_DEPTH_WARNING + 1)
    evaluate("queue_depth")
    assert active("queue_depth") == {"queue:webhooks": "warning"}
    fill(defaults.QUEUE_DEPTH_CRITICAL - defaults.QUEUE_DEPTH_WARNING)
    evaluate("queue_depth")
    assert active("queue_depth") == {"queue:webhooks": "critical"}
    queue.empty()
    assert evaluate("queue_depth")["resolved"] == ["queue:webhooks"]


def test_delivery_waiting_over_60_s_opens_and_its_processing_resolves(db, redis):
    add_logs(1, ACCOUNT, "received", datetime.now(UTC) - timedelta(seconds=5))
    assert evaluate("oldest_unprocessed")["firing"] == 0
    add_logs(1, ACCOUNT, "received", datetime.now(UTC) - timedelta(seconds=90))
    assert evaluate("oldest_unprocessed")["opened"] == ["webhook_logs"]
    WebhookLog.update(status="completed").execute()
    assert evaluate("oldest_unprocessed")["resolved"] == ["webhook_logs"]


def test_processing_over_10_minutes_opens_critical_and_finishing_resolves(db, redis):
    started = datetime.now(UTC) - timedelta(minutes=11)
    add_logs(2, ACCOUNT, "processing", started, started_at=started)
    evaluate("stuck_processing")
    assert active("stuck_processing") == {"webhook_logs": "critical"}
    WebhookLog.update(status="failed").execute()
    assert evaluate("stuck_processing")["resolved"] == ["webhook_logs"]


def test_no_worker_opens_resolves_when_a_worker_runs_and_reopens_when_it_stops(settings, db, redis):
    assert sorted(evaluate("no_worker")["opened"]) == ["queue:housekeeping", "queue:webhooks"]
    env = os.environ | {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "APP_SECRET": settings.app_secret,
    }
    command = [sys.executable, "-m", "scripts.worker", "--queues", "webhooks", "housekeeping"]
    worker = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 20
        # Idle = its signal handlers are installed: a SIGTERM now unregisters it.
        while time.monotonic() < deadline and not [
            w for w in Worker.all(connection=redis) if w.get_state() == "idle"
        ]:
            time.sleep(0.1)
        assert sorted(evaluate("no_worker")["resolved"]) == ["queue:housekeeping", "queue:webhooks"]
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    assert sorted(evaluate("no_worker")["opened"]) == ["queue:housekeeping", "queue:webhooks"]


def test_webhook_missing_or_disabled_at_last_check_opens_and_a_good_check_resolves(
    settings, db, redis
):
    add_account(ACCOUNT, "shop", "token", "main", settings.app_secret)
    install_wanted_webhooks("main")
    save_webhook(ACCOUNT, "product", "UPDATE", None, "u", "FIELDS", False, "disabled")
    save_webhook(ACCOUNT, "product", "CREATE", None, "u", None, True, "wrong url")
    evaluate("webhook_missing_or_disabled")
    assert active("webhook_missing_or_disabled") == {
        f"{ACCOUNT}:product:UPDATE": "critical",
        f"{ACCOUNT}:product:CREATE": "warning",
    }
    Webhook.update(last_check_result="ok", enabled=True).execute()
    assert len(evaluate("webhook_missing_or_disabled")["resolved"]) == 2


def install_wanted_webhooks(account_type: str) -> None:
    for entity_type, action in wanted_pairs(account_type):
        save_webhook(ACCOUNT, entity_type, action, None, "u", None, True, "ok")


def test_a_wanted_webhook_never_installed_is_critical_until_setup_installs_it(settings, db, redis):
    add_account(ACCOUNT, "shop", "token", "child", settings.app_secret)
    evaluate("webhook_missing_or_disabled")
    opened = active("webhook_missing_or_disabled")
    assert len(opened) == 13 and set(opened.values()) == {"critical"}
    assert f"{ACCOUNT}:customerorder:CREATE" in opened
    assert account_health()[ACCOUNT].level == "critical"

    install_wanted_webhooks("child")
    assert len(evaluate("webhook_missing_or_disabled")["resolved"]) == 13
    assert account_health()[ACCOUNT].level != "critical"


def test_an_account_with_webhooks_switched_off_or_without_a_type_wants_none(settings, db, redis):
    add_account(ACCOUNT, "shop", "token", None, settings.app_secret)
    assert evaluate("webhook_missing_or_disabled")["opened"] == []
    set_account_type(ACCOUNT, "main")
    set_webhooks_enabled(ACCOUNT, False)
    assert evaluate("webhook_missing_or_disabled")["opened"] == []


def test_loop_suspected_alerts_are_left_to_the_processing_job(db, redis):
    open_alert("loop_suspected", f"{ACCOUNT}:product:x", "warning", "loop")
    evaluate_alerts()
    assert active_alert("loop_suspected", f"{ACCOUNT}:product:x") is not None


def test_a_rule_whose_source_is_down_does_not_stop_the_others(db, redis):
    def broken(redis, now):
        raise RedisConnectionError("redis away")

    add_logs(1, ACCOUNT, "received", datetime.now(UTC) - timedelta(minutes=5))
    from jobs.monitoring.alert_rules import oldest_unprocessed

    report = evaluate_alerts(
        rules={"queue_depth": broken, "oldest_unprocessed": oldest_unprocessed}
    )
    assert "redis away" in report["queue_depth"]["error"]
    assert report["oldest_unprocessed"]["opened"] == ["webhook_logs"]


@pytest.fixture
def alert_sink():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)  # a free port: the machine is shared
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()
    server.server_close()


def test_opened_and_resolved_alerts_are_posted_with_chat_text(settings, db, redis, alert_sink):
    url, received = alert_sink
    configure(dataclasses.replace(settings, alert_webhook_url=url), redis)
    add_logs(1, ACCOUNT, "received", datetime.now(UTC) - timedelta(minutes=5))
    evaluate("oldest_unprocessed")
    evaluate("oldest_unprocessed")  # still firing: no second message
    WebhookLog.update(status="completed").execute()
    evaluate("oldest_unprocessed")
    assert [m["event"] for m in received] == ["opened", "resolved"]
    assert "oldest_unprocessed" in received[0]["text"] and "waited" in received[0]["text"]
    assert received[1]["text"].startswith("✅ resolved")


def test_unreachable_alert_target_never_breaks_evaluation(settings, db, redis):
    configure(dataclasses.replace(settings, alert_webhook_url="http://127.0.0.1:8412/x"), redis)
    add_logs(1, ACCOUNT, "received", datetime.now(UTC) - timedelta(minutes=5))
    assert evaluate("oldest_unprocessed")["opened"] == ["webhook_logs"]
    assert active("oldest_unprocessed") == {"webhook_logs": "warning"}


def test_an_alert_escalating_from_warning_to_critical_is_delivered_again(
    settings, db, redis, alert_sink
):
    url, received = alert_sink
    configure(dataclasses.replace(settings, alert_webhook_url=url), redis)
    add_logs(95, ACCOUNT, "completed")
    add_logs(6, ACCOUNT, "failed")
    evaluate("failure_rate")
    add_logs(10, ACCOUNT, "failed")
    assert evaluate("failure_rate")["escalated"] == [f"account:{ACCOUNT}"]
    assert evaluate("failure_rate")["escalated"] == []  # still critical: no third message
    assert [(m["event"], m["severity"]) for m in received] == [
        ("opened", "warning"),
        ("escalated", "critical"),
    ]
    assert received[1]["text"].startswith("🔴 escalated to critical failure_rate")
