"""python -m scripts.sync as operators run it: tables, exit status, retries, modes, help."""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

from rq import Queue, Worker

from jobs import defaults
from jobs.queues import sync_job_id
from store.audit import recent_actions
from store.models import Account, SyncTask
from tests.store.sync_rows import KAZAN, MOSCOW, add_franchise, add_task

ROOT = Path(__file__).resolve().parents[2]
REASON = "child Москва has no price type 'Оптовая'"


def run(settings, *args):
    env = os.environ | {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "APP_SECRET": settings.app_secret,
        "PUBLIC_BASE_URL": settings.public_base_url,
        "MOYSKLAD_API_URL": settings.moysklad_api_url,
    }
    return subprocess.run(
        [sys.executable, "-m", "scripts.sync", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_status_shows_each_child_and_exits_1_while_tasks_are_failed(settings, db, redis):
    add_franchise()
    add_task(MOSCOW, scheduled_ago=90)
    add_task(MOSCOW, "completed", finished_ago=30, latency=1.5)
    failed = add_task(MOSCOW, "failed", finished_ago=10, error=REASON, attempts=3)
    add_task(KAZAN, "held")
    status = run(settings, "status")
    assert status.returncode == 1, status.stderr
    lines = status.stdout.splitlines()
    moscow = next(line for line in lines if line.startswith("Москва"))
    assert moscow.split()[:9] == ["Москва", "live", "1", "0", "0", "1", "1", "0", "1"]
    assert re.search(r" 9\d\.\d s$", moscow)  # the lag: 90 s and the time the command took
    assert any(line.startswith("Казань") and " shadow " in line for line in lines)
    assert "last hour: 1 completed, 1 failed; main change → child write p50 1.5 s" in status.stdout
    assert REASON in status.stdout and str(failed) in status.stdout

    assert "executor:\n  down: no RQ worker is listening on queue sync" in status.stdout
    assert "  degraded: sync lag of Москва: 1 due task(s)" in status.stdout

    SyncTask.update(status="completed").where(SyncTask.id == failed).execute()
    only_kazan = run(settings, "status", "--child", "казань")  # a name, any case
    assert only_kazan.returncode == 1, "no sync worker: the executor is down"
    Worker([Queue(defaults.SYNC_QUEUE, connection=redis)], connection=redis).register_birth()
    only_kazan = run(settings, "status", "--child", "казань")
    assert only_kazan.returncode == 0, only_kazan.stdout + only_kazan.stderr
    targets = [line.split()[0] for line in only_kazan.stdout.splitlines()[2:] if line.strip()]
    assert targets[0] == "Казань" and "Москва" not in targets


def test_an_unknown_child_is_refused_with_the_known_ones(settings, db, redis):
    add_franchise()
    result = run(settings, "status", "--child", "Тверь")
    assert result.returncode == 2
    assert "no account 'Тверь'; known accounts: Main shop" in result.stderr
    assert f"Москва ({MOSCOW})" in result.stderr


def test_retry_dry_run_then_retry_requeues_queues_the_job_and_is_audited(settings, db, redis):
    add_franchise()
    failed = [add_task(MOSCOW, "failed", error=REASON), add_task(MOSCOW, "failed", error=REASON)]
    kazan = add_task(KAZAN, "failed", error="HTTP 500")
    dry = run(settings, "retry", "--child", "Москва", "--dry-run")
    assert dry.returncode == 0 and "2 failed task(s) would be re-queued, 0 left" in dry.stdout
    assert SyncTask.select().where(SyncTask.status == "failed").count() == 3

    done = run(settings, "retry", "--child", "Москва", "--actor", "ivan")
    assert done.returncode == 0, done.stderr
    assert "2 failed task(s) re-queued; executor woken for: Москва\n" in done.stdout
    assert {SyncTask.get_by_id(i).status for i in failed} == {"pending"}
    assert SyncTask.get_by_id(kazan).status == "failed"
    assert Queue(defaults.SYNC_QUEUE, connection=redis).job_ids == [sync_job_id(MOSCOW)]
    (entry,) = recent_actions(target="sync:tasks")
    assert (entry["actor"], entry["role"], entry["action"]) == ("ivan", "cli", "retry sync tasks")
    assert entry["details"] == {"target_account_id": MOSCOW}


def test_retry_of_one_task_that_is_not_failed_exits_1(settings, db, redis):
    add_franchise()
    task = add_task(MOSCOW, "completed")
    result = run(settings, "retry", "--task", str(task))
    assert result.returncode == 1
    assert f"task {task} cannot be retried: its status is completed" in result.stderr
    one = add_task(MOSCOW, "failed", error=REASON)
    assert run(settings, "retry", "--task", str(one)).returncode == 0
    assert SyncTask.get_by_id(one).status == "pending"


def test_mode_shows_switches_and_audits(settings, db, redis):
    add_franchise()
    assert run(settings, "mode", "--child", "Казань").stdout.strip() == "shadow"
    switched = run(settings, "mode", "--child", KAZAN, "live", "--actor", "ivan")
    assert switched.returncode == 0 and "Казань: sync mode shadow → live" in switched.stdout
    assert Account.get_by_id(KAZAN).sync_mode == "live"
    (entry,) = recent_actions(target=f"sync:mode:{KAZAN}")
    assert (entry["actor"], entry["details"]) == ("ivan", {"from": "shadow", "to": "live"})
    wrong = run(settings, "mode", "--child", KAZAN, "on")
    assert wrong.returncode == 2 and "invalid choice: 'on'" in wrong.stderr


def test_apply_refuses_a_child_in_off_mode(settings, db, redis):
    add_franchise(modes=("off", "shadow"))
    add_task(MOSCOW)
    result = run(settings, "apply", "--child", "Москва")
    assert result.returncode == 1
    if importlib.util.find_spec("jobs.sync.executor") is None:
        assert "the sync executor (jobs.sync.executor) is not in this checkout" in result.stderr
    else:
        assert "Москва is in sync mode off: nothing is applied" in result.stderr
    assert SyncTask.select().where(SyncTask.status == "pending").count() == 1


def test_help_names_every_command(settings):
    result = run(settings, "--help")
    assert result.returncode == 0
    for command in ("status", "retry", "apply", "mode"):
        assert command in result.stdout
