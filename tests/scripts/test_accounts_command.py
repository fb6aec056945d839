"""python -m scripts.accounts as operators run it: output, exit status, rows."""

import os
import subprocess
import sys
from pathlib import Path

from rq import Queue

from store.crypto import account_id_from_token
from store.models import Account, ChildAccount

ROOT = Path(__file__).resolve().parents[2]
MAIN = "9171a53c-b719-11eb-c0a8-800d00000001"
CHILD = "9171a53c-b719-11eb-c0a8-800d00000002"


def run(settings, *args):
    env = os.environ | {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "APP_SECRET": settings.app_secret,
        "PUBLIC_BASE_URL": "https://sync.example.com",
    }
    return subprocess.run(
        [sys.executable, "-m", "scripts.accounts", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_add_link_list_and_url(settings, db, redis):
    assert (
        run(
            settings, "add", MAIN, "--name", "Франчайзер", "--token", "t-main", "--type", "main"
        ).returncode
        == 0
    )
    assert (
        run(
            settings, "add", CHILD, "--name", "Франчайзи", "--token", "t-child", "--type", "child"
        ).returncode
        == 0
    )
    setups = [(job.func_name, job.args) for job in Queue("default", connection=redis).jobs]
    setup = "jobs.lifecycle.setup.setup_account"
    assert setups == [(setup, (MAIN,)), (setup, (CHILD,))]
    linked = run(settings, "link", MAIN, CHILD)
    assert linked.returncode == 0, linked.stderr
    account = Account.get_by_id(MAIN)
    assert account.account_type == "main" and "t-main" not in account.api_token_encrypted
    assert ChildAccount.get().status == "active"

    listing = run(settings, "list").stdout
    assert "Франчайзер" in listing and "Франчайзи" in listing and "active" in listing

    url = run(settings, "url", MAIN).stdout
    assert url.count("\n") == 1
    prefix = "https://sync.example.com/api/webhooks/receive/"
    assert url.startswith(prefix) and len(url.strip()) <= 255
    assert account_id_from_token(url.strip()[len(prefix) :], settings.app_secret) == MAIN


def test_set_type_deactivates_links_and_queues_reconciliation(settings, db, redis):
    run(settings, "add", MAIN, "--name", "M", "--token", "t", "--type", "main")
    run(settings, "add", CHILD, "--name", "C", "--token", "t", "--type", "child")
    run(settings, "link", MAIN, CHILD)
    result = run(settings, "set-type", MAIN, "child")
    assert result.returncode == 0 and "1 link(s) marked inactive" in result.stdout
    link = ChildAccount.get()
    assert link.status == "inactive" and "changed type from main to child" in link.inactive_reason
    last = Queue("default", connection=redis).jobs[-1]  # after the setups `add` queued
    assert (last.func_name, last.args, last.kwargs) == (
        "jobs.lifecycle.setup.setup_account",
        (MAIN,),
        {"mode": "setup"},
    )


def test_bad_input_exits_non_zero_with_a_clear_error(settings, db, redis):
    result = run(settings, "add", "not-a-uuid", "--name", "x", "--token", "t")
    assert result.returncode == 1 and "error:" in result.stderr
    assert Queue("default", connection=redis).count == 0
    run(settings, "add", MAIN, "--name", "M", "--token", "t", "--type", "main")
    result = run(settings, "link", MAIN, MAIN)
    assert result.returncode == 1 and "not a child account" in result.stderr


def test_add_twice_without_type_leaves_the_type_as_it_was(settings, db, redis):
    run(settings, "add", MAIN, "--name", "M", "--token", "t", "--type", "main")
    run(settings, "add", CHILD, "--name", "C", "--token", "t", "--type", "child")
    run(settings, "link", MAIN, CHILD)
    for _ in range(2):
        again = run(settings, "add", MAIN, "--name", "M2", "--token", "t2")
        assert again.returncode == 0 and "type: main" in again.stdout
    account = Account.get_by_id(MAIN)
    assert (account.account_type, account.name) == ("main", "M2")
    assert ChildAccount.get().status == "active"


def test_add_with_a_new_type_follows_the_type_change_rules(settings, db, redis):
    run(settings, "add", MAIN, "--name", "M", "--token", "t", "--type", "main")
    run(settings, "add", CHILD, "--name", "C", "--token", "t", "--type", "child")
    run(settings, "link", MAIN, CHILD)
    queued = Queue("default", connection=redis).count
    changed = run(settings, "add", MAIN, "--name", "M", "--token", "t", "--type", "child")
    assert changed.returncode == 0 and "type changed from main to child" in changed.stdout
    link = ChildAccount.get()
    assert link.status == "inactive" and "changed type from main to child" in link.inactive_reason
    assert Queue("default", connection=redis).count == queued + 1  # the reconciling setup


def test_dry_runs_say_what_would_change_and_change_nothing(settings, db, redis):
    run(settings, "add", MAIN, "--name", "M", "--token", "t", "--type", "main")
    run(settings, "add", CHILD, "--name", "C", "--token", "t", "--type", "child")
    run(settings, "link", MAIN, CHILD)
    queued = Queue("default", connection=redis).count
    planned = run(settings, "set-type", MAIN, "child", "--dry-run")
    assert planned.returncode == 0
    assert "would change the type" in planned.stdout and "1 active link(s)" in planned.stdout
    planned = run(
        settings, "add", MAIN, "--name", "X", "--token", "t", "--type", "child", "--dry-run"
    )
    assert planned.returncode == 0 and "would update account" in planned.stdout
    account = Account.get_by_id(MAIN)
    assert (account.account_type, account.name) == ("main", "M")
    assert (
        ChildAccount.get().status == "active" and Queue("default", connection=redis).count == queued
    )


def test_url_and_set_type_of_an_unknown_account_exit_1(settings, db, redis):
    for args in (
        ["url", MAIN],
        ["set-type", MAIN, "main"],
        ["set-type", MAIN, "main", "--dry-run"],
    ):
        result = run(settings, *args)
        assert result.returncode == 1 and result.stdout == ""
        assert f"unknown account: {MAIN}" in result.stderr


def test_a_command_typed_next_to_a_running_system_reads_its_config_file(
    settings, db, redis, tmp_path
):
    """up.sh writes var/config.env; a shell without the variables acts on that system."""
    config = tmp_path / "config.env"
    config.write_text(
        f"DATABASE_URL='{settings.database_url}'\nREDIS_URL='{settings.redis_url}'\n"
        f"APP_SECRET='{settings.app_secret}'\nPUBLIC_BASE_URL='https://from-file.example.com'\n"
    )
    run(settings, "add", MAIN, "--name", "M", "--token", "t", "--type", "main")
    bare = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "APP_SECRET")}
    result = subprocess.run(
        [sys.executable, "-m", "scripts.accounts", "url", MAIN],
        cwd=ROOT,
        env=bare | {"CONFIG_FILE": str(config)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    prefix = "https://from-file.example.com/api/webhooks/receive/"
    assert account_id_from_token(result.stdout.strip()[len(prefix) :], settings.app_secret) == MAIN
