"""python -m scripts.webhooks as operators run it: tables, exit status, dry runs, help."""

import io
import os
import re
import subprocess
import sys
from contextlib import redirect_stdout
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rq import Queue

from jobs import defaults
from jobs.lifecycle.setup import setup_account
from scripts.webhooks import build_parser
from store.accounts import add_account
from store.action_reports import recent_reports
from store.audit import recent_actions
from store.models import WebhookHealthStat, WebhookLog
from tests.jobs import lifecycle_fixtures
from tests.jobs.lifecycle_fixtures import CHILD, FOREIGN_URL, MAIN
from tests.jobs.log_rows import add_logs
from tests.jobs.monitoring.test_health_verdict import start_worker

ROOT = Path(__file__).resolve().parents[2]
franchise = lifecycle_fixtures.franchise


def run(settings, *args):
    env = os.environ | {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "APP_SECRET": settings.app_secret,
        "PUBLIC_BASE_URL": settings.public_base_url,
        "MOYSKLAD_API_URL": settings.moysklad_api_url,
    }
    return subprocess.run(
        [sys.executable, "-m", "scripts.webhooks", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_exits_1_when_wrong_setup_fixes_and_check_then_exits_0(franchise, redis):
    settings = franchise.settings
    franchise.sim.add_webhook(MAIN, FOREIGN_URL, "product", "UPDATE")
    check = run(settings, "check", "--verbose")
    assert check.returncode == 1, check.stderr
    assert "15 missing" in check.stdout and "13 missing" in check.stdout and MAIN in check.stdout
    assert re.search(r"product\s+UPDATE\s+missing", check.stdout)  # the per-webhook table

    dry = run(settings, "setup", "--dry-run")
    assert dry.returncode == 0 and "would create" in dry.stdout and "dry run" in dry.stdout
    assert len(franchise.hooks(MAIN)) == 1

    setup = run(settings, "setup", "-v")
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert "15 created" in setup.stdout and "13 created" in setup.stdout
    assert len(franchise.ours(MAIN)) == 15 and len(franchise.ours(CHILD)) == 13

    start_worker(redis)  # no worker: the pipeline is down
    add_logs(1, MAIN, "completed")  # silent accounts degrade it
    add_logs(1, CHILD, "completed")
    ok = run(settings, "check", "--account", MAIN)
    assert ok.returncode == 0, ok.stdout
    assert "pipeline: healthy" in ok.stdout
    assert len(franchise.hooks(MAIN)) == 16  # the foreign one is still there


def test_check_exits_1_when_the_pipeline_is_degraded_though_webhooks_match(franchise, redis):
    setup_account(MAIN)
    setup_account(CHILD)
    start_worker(redis)
    add_logs(18, MAIN, "completed")
    add_logs(3, MAIN, "failed")  # product UPDATE over the failure-rate limit
    add_logs(1, CHILD, "completed")
    result = run(franchise.settings, "check")
    assert result.returncode == 1, result.stdout
    assert "pipeline: degraded" in result.stdout
    assert "product UPDATE: failure rate 14.3% in the last hour" in result.stdout


def test_reinstall_dry_run_changes_nothing_and_reinstall_recreates(franchise):
    setup_account(MAIN)
    before = {w["id"] for w in franchise.ours(MAIN)}
    dry = run(franchise.settings, "reinstall", "--account", MAIN, "--dry-run")
    assert dry.returncode == 0 and {w["id"] for w in franchise.ours(MAIN)} == before
    done = run(franchise.settings, "reinstall", "--account", MAIN)
    assert done.returncode == 0 and "15 deleted" in done.stdout
    after = {w["id"] for w in franchise.ours(MAIN)}
    assert len(after) == 15 and not after & before


def test_an_unknown_account_is_refused_with_the_known_ones_listed(franchise):
    result = run(franchise.settings, "setup", "--account", "9171a53c-b719-11eb-c0a8-800d0000ffff")
    assert result.returncode == 2
    assert "--account: unknown account 9171a53c-b719-11eb-c0a8-800d0000ffff" in result.stderr
    assert f"Франчайзер ({MAIN})" in result.stderr and f"Франчайзи ({CHILD})" in result.stderr
    nope = run(franchise.settings, "setup", "--account", "nope")
    assert nope.returncode == 2 and "no account named 'nope'; known: Франчайзер" in nope.stderr


def test_an_account_is_taken_by_its_name_in_any_case(franchise):
    result = run(franchise.settings, "setup", "--account", "франчайзер", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert MAIN in result.stdout and CHILD not in result.stdout


def test_an_unknown_entity_type_is_refused_with_the_valid_ones(settings, db, redis):
    result = run(settings, "retry-failed", "--entity-type", "prodcut")
    assert result.returncode == 2
    assert "invalid choice: 'prodcut'" in result.stderr and "product" in result.stderr


def test_since_and_until_take_relative_times(settings, db, redis):
    now = datetime.now(UTC)
    add_logs(1, MAIN, "failed", now - timedelta(hours=3))
    add_logs(1, MAIN, "failed", now - timedelta(minutes=30))
    add_logs(1, MAIN, "failed", now - timedelta(days=3))
    assert "2 failed log(s) match" in run(settings, "retry-failed", "--since", "yesterday",
                                          "--dry-run").stdout  # fmt: skip
    assert "1 failed log(s) match" in run(settings, "retry-failed", "--since", "2h",
                                          "--dry-run").stdout  # fmt: skip
    assert "2 failed log(s) match" in run(settings, "retry-failed", "--since", "1w", "--until",
                                          "2h", "--dry-run").stdout  # fmt: skip
    bad = run(settings, "retry-failed", "--since", "last tuesday")
    assert bad.returncode == 2 and "not a time: 'last tuesday'" in bad.stderr


def test_cleanup_logs_dry_run_counts_and_cleanup_deletes(settings, db, redis):
    old = datetime.now(UTC) - timedelta(days=settings.log_retention_days + 1)
    add_logs(7, MAIN, "completed", old)
    add_logs(2, MAIN, "completed")
    dry = run(settings, "cleanup-logs", "--dry-run")
    assert dry.returncode == 0 and "would delete 7 finished" in dry.stdout
    assert WebhookLog.select().count() == 9
    done = run(settings, "cleanup-logs")
    assert done.returncode == 0 and WebhookLog.select().count() == 2


def test_update_stats_writes_the_current_hour(settings, db, redis):
    add_logs(3, MAIN, "completed")
    result = run(settings, "update-stats")
    assert result.returncode == 0, result.stderr
    assert WebhookHealthStat.get().completed == 3


def test_retry_failed_requeues_by_account_type_and_window(settings, db, redis):
    add_account(MAIN, "Франчайзер", "token-main", "main", settings.app_secret)
    now = datetime.now(UTC)
    add_logs(2, MAIN, "failed", now - timedelta(hours=1), entity_type="product")
    add_logs(1, MAIN, "failed", now - timedelta(hours=1), entity_type="service")
    add_logs(1, CHILD, "failed", now - timedelta(hours=1), entity_type="product")
    add_logs(1, MAIN, "failed", now - timedelta(days=3), entity_type="product")
    since = (now - timedelta(hours=2)).isoformat()
    args = ("retry-failed", "--account", MAIN, "--entity-type", "product", "--since", since)
    dry = run(settings, *args, "--dry-run")
    assert "2 failed log(s) match" in dry.stdout
    assert WebhookLog.select().where(WebhookLog.status == "received").count() == 0
    done = run(settings, *args)
    assert done.returncode == 0 and "2 failed log(s) queued again" in done.stdout
    assert WebhookLog.select().where(WebhookLog.status == "received").count() == 2
    assert Queue(defaults.WEBHOOKS_QUEUE, connection=redis).count == 2
    (report,) = recent_reports(kinds=("retry-all",))
    assert report["summary"]["outcome"] == "2 of 2 re-queued" and len(report["rows"]) == 2
    assert recent_actions(target="logs")[0]["id"] == report["audit_id"]


def test_every_command_has_clear_help(settings):
    top = run(settings, "--help")
    assert top.returncode == 0
    commands = ("setup", "reinstall", "check", "cleanup-logs", "update-stats", "retry-failed")
    for command in commands:
        assert command in top.stdout
        with pytest.raises(SystemExit), redirect_stdout(io.StringIO()) as out:
            build_parser().parse_args([command, "--help"])
        assert "usage: python -m scripts.webhooks " + command in out.getvalue()
    assert "--dry-run" in run(settings, "setup", "--help").stdout
    assert "--since" in run(settings, "retry-failed", "--help").stdout


def test_setup_keeps_its_report_and_audit_entry_and_prints_no_bar_into_a_pipe(franchise):
    result = run(franchise.settings, "setup", "--account", MAIN)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "it/s" not in result.stderr and "account/s" not in result.stderr  # no tqdm bar
    (report,) = recent_reports(MAIN)
    assert (report["kind"], report["status"], report["summary"]["counts"]) == (
        "setup",
        "done",
        {"created": 15},
    )
    assert report["requested_by"].startswith("cli:") and len(report["rows"]) == 15
    (entry,) = recent_actions(target=f"webhooks:{MAIN}")
    assert entry["id"] == report["audit_id"] and entry["role"] == "cli"
    assert entry["result"] == f"ok: report #{report['id']}, 15 created"
