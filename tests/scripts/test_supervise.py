"""scripts/supervise.py: supervisord restarts a process that dies; the others go on."""

import os
import signal
import threading
import time

import pytest
import requests

from scripts.supervise import config, parse_wanted, read_procfile
from store.users import hash_password
from tests.scripts.supervised import (
    ROOT,
    answers,
    children,
    ctl,
    pid_of,
    process_env,
    start_supervised,
    stop_supervised,
    wait_for,
)
from tests.support.tcp_proxy import free_port

BACK_WITHIN = 10  # seconds


def test_every_procfile_process_can_be_supervised_and_counts_are_checked(tmp_path):
    commands = read_procfile(ROOT / "Procfile")
    assert {"receiver", "worker", "housekeeping", "sync-worker", "scheduler", "console"} <= set(
        commands
    )
    wanted = parse_wanted(["worker=3", "scheduler"], commands)
    assert wanted == {"worker": 3, "scheduler": 1}
    text = config(wanted, commands, tmp_path)
    assert "[program:worker]\n" in text and "numprocs=3\n" in text
    assert "command=/bin/bash -c 'exec .venv/bin/python -m scripts.scheduler'" in text
    with pytest.raises(SystemExit, match="no process 'honcho'"):
        parse_wanted(["honcho"], commands)
    with pytest.raises(SystemExit, match="at least 1"):
        parse_wanted(["worker=0"], commands)


def test_a_killed_process_is_back_within_10_s_and_the_receiver_never_stops_answering(
    settings, db, redis, tmp_path
):
    receiver_port, console_port = free_port(), free_port()
    env = process_env(
        settings,
        RECEIVER_BIND=f"127.0.0.1:{receiver_port}",
        WEB_CONCURRENCY="2",
        CONSOLE_PORT=str(console_port),
        CONSOLE_USERS=f"olga:operator:{hash_password('pw', iterations=1000)}",
    )
    var = tmp_path / "var"
    supervisor = start_supervised(var, ["receiver", "worker", "scheduler", "console"], env)
    receiver = f"http://127.0.0.1:{receiver_port}/healthz"
    console = f"http://127.0.0.1:{console_port}/_stcore/health"
    failures, polls, polling = [], [], True

    def poll():
        while polling:
            polls.append(1)
            if not answers(receiver):
                failures.append(time.monotonic())
            time.sleep(0.05)

    try:
        wait_for(lambda: answers(receiver), 60, "the receiver")
        wait_for(lambda: answers(console), 60, "the console")
        wait_for(lambda: pid_of(var, "worker") and pid_of(var, "scheduler"), 30, "processes")
        poller = threading.Thread(target=poll)
        poller.start()
        for name in ("worker", "scheduler"):
            before = pid_of(var, name)
            os.kill(before, signal.SIGKILL)
            began = time.monotonic()
            wait_for(lambda n=name, b=before: pid_of(var, n) not in (0, b), BACK_WITHIN, name)
            wait_for(lambda n=name: "RUNNING" in ctl(var, "status", n), BACK_WITHIN, name)
            assert time.monotonic() - began < BACK_WITHIN
        # The console: bash runs check_config, then becomes streamlit (exec).
        streamlit = pid_of(var, "console")
        os.kill(streamlit, signal.SIGKILL)
        began = time.monotonic()
        wait_for(lambda: pid_of(var, "console") not in (0, streamlit), BACK_WITHIN, "console")
        wait_for(lambda: answers(console), BACK_WITHIN, "the console answering")
        assert time.monotonic() - began < BACK_WITHIN + 1
        # A gunicorn worker: its master forks a new one; the master itself stays.
        master = pid_of(var, "receiver")
        gunicorn_workers = children(master)
        assert len(gunicorn_workers) == 2
        os.kill(gunicorn_workers[0], signal.SIGKILL)
        wait_for(
            lambda: len(set(children(master)) - set(gunicorn_workers)) == 1,
            BACK_WITHIN,
            "a new gunicorn worker",
        )
        assert pid_of(var, "receiver") == master
        assert requests.get(receiver, timeout=2).status_code == 200
    finally:
        polling = False
        stop_supervised(supervisor, var)
    assert len(polls) > 20 and failures == []
