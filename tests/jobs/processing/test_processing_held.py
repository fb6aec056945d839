"""Paused, not dropped: a loop-paused entity's tasks are held, then released or discarded."""

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jobs import defaults
from jobs.context import configure
from jobs.processing.held import decide_loop_alert
from jobs.processing.webhook import process_webhook
from store.alerts import active_alert
from store.audit import recent_actions
from store.logs import get_log
from store.mappings import add_mapping
from store.models import Alert
from store.tasks import held_counts, list_tasks
from tests.jobs.processing_helpers import (
    assert_loop_guard,
    deliver,
    event,
    new_id,
    simulated_franchise,
)

ROOT = Path(__file__).resolve().parents[3]
FIELDS = ["name", "code", "article", "description", "weight", "volume", "vat"]


@pytest.fixture
def franchise(settings, db, redis, monkeypatch):
    monkeypatch.setattr(defaults, "LOOP_MAX_CHANGES", 3)
    with simulated_franchise(settings, redis) as franchise:
        yield franchise
    assert_loop_guard(franchise)


@pytest.fixture
def product(franchise):
    product = new_id()
    for child in franchise.children:
        add_mapping(child, "product", product, new_id())
    return product


def _change(franchise, product, field: str) -> int:
    log_id = deliver(franchise.main, [event(franchise.main, "product", product, "UPDATE", [field])])
    process_webhook(log_id)
    return log_id


def _loop(franchise, product) -> tuple[Alert, list[int]]:
    """Seven changes: the first three pending, the fourth opens the alert, all from then held."""
    logs = [_change(franchise, product, field) for field in FIELDS]
    alert = active_alert("loop_suspected", f"{franchise.main}:product:{product}")
    assert alert is not None
    return alert, logs


def test_paused_entitys_events_are_held_and_released_into_the_pending_task(
    settings, franchise, product
):
    alert, logs = _loop(franchise, product)
    held = list_tasks(status="held")
    assert sorted(str(t.target_account_id) for t in held) == sorted(franchise.children)
    assert {tuple(t.payload["updated_fields"]) for t in held} == {tuple(sorted(FIELDS[3:]))}
    assert held_counts([alert.subject]) == {alert.subject: (3, 4)}
    assert {get_log(i).status for i in logs[3:]} == {"completed"}
    assert "3 task(s) held" in get_log(logs[-1]).reason
    listed = held_command(settings, "list")
    assert listed.returncode == 0 and alert.subject in listed.stdout
    released = held_command(settings, "release", str(alert.id), "--actor", "olga")
    assert released.returncode == 0, released.stderr
    assert "3 held task(s) released, alert resolved" in released.stdout
    pending = list_tasks()
    assert len(pending) == 3 and list_tasks(status="held") == []
    for task in pending:  # nothing lost: every change's field and delivery are in the one task
        assert task.payload["updated_fields"] == sorted(FIELDS)
        assert task.payload["log_ids"] == sorted(logs)
    assert Alert.get_by_id(alert.id).status == "resolved"
    (entry,) = recent_actions(target=f"alert:{alert.id}")
    assert (entry["actor"], entry["action"], entry["details"]["tasks"]) == (
        "olga",
        "release held work",
        3,
    )
    after = _change(franchise, product, "barcodes")  # the pause is lifted
    assert "held" not in (get_log(after).reason or "") and list_tasks(status="held") == []


def test_released_work_becomes_pending_itself_when_nothing_is_pending(franchise, product):
    alert, _ = _loop(franchise, product)
    for task in list_tasks():  # the executor applied the first three changes meanwhile
        task.status = "completed"
        task.save()
    decide_loop_alert(franchise_redis(), alert.id, "release", "olga", "operator")
    pending = list_tasks()
    assert {tuple(t.payload["updated_fields"]) for t in pending} == {tuple(sorted(FIELDS[3:]))}
    assert {t.hold_subject for t in pending} == {None}


def test_discarded_held_work_is_cancelled_and_recorded(settings, franchise, product):
    alert, _ = _loop(franchise, product)
    pending_before = {t.id: t.payload for t in list_tasks()}
    assert held_command(settings, "discard", str(alert.id), "--actor", "olga").returncode == 0
    assert list_tasks(status="held") == []
    cancelled = list_tasks(status="cancelled")
    assert len(cancelled) == 3
    assert {t.error for t in cancelled} == {f"discarded by olga (alert {alert.id})"}
    assert {t.id: t.payload for t in list_tasks()} == pending_before
    (entry,) = recent_actions(target=f"alert:{alert.id}")
    assert entry["action"] == "discard held work" and entry["result"].startswith("ok: 3 held")


def test_the_pause_expires_and_a_loop_still_going_on_opens_a_new_alert(
    settings, franchise, product, redis
):
    configure(dataclasses.replace(franchise.settings, loop_pause_seconds=120), redis)
    alert, _ = _loop(franchise, product)
    paused_key = f"loop:paused:{franchise.main}:product:{product}"
    assert 0 < redis.ttl(paused_key) <= 120
    redis.delete(paused_key)  # as if the 120 s had passed
    later = _change(franchise, product, "barcodes")
    old = Alert.get_by_id(alert.id)
    assert (old.status, old.resolved_by) == (
        "resolved",
        "loop detector: pause expired, loop goes on",
    )
    new = active_alert("loop_suspected", alert.subject)
    assert new is not None and new.id != alert.id
    assert "held" in get_log(later).reason
    # The earlier held work stays held (with the new alert) until an operator decides.
    assert held_counts([alert.subject]) == {alert.subject: (3, 5)}


def test_an_unknown_or_non_loop_alert_is_refused(settings, franchise):
    refused = held_command(settings, "release", "999")
    assert refused.returncode == 1 and "is not a loop_suspected alert" in refused.stderr
    with pytest.raises(ValueError, match="choice must be"):
        decide_loop_alert(franchise_redis(), 1, "maybe", "olga", "operator")


def held_command(settings, *args) -> subprocess.CompletedProcess:
    """python -m scripts.held as an operator runs it, against the test database and Redis."""
    env = os.environ | {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "APP_SECRET": settings.app_secret,
    }
    return subprocess.run(
        [sys.executable, "-m", "scripts.held", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def franchise_redis():
    from jobs.context import current

    return current().redis
