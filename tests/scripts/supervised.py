"""Helpers for tests that run processes under scripts/supervise.py's supervisord."""

import os
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
SUPERVISORCTL = str(Path(sys.executable).parent / "supervisorctl")


def process_env(settings, **extra) -> dict:
    return (
        os.environ
        | {
            "DATABASE_URL": settings.database_url,
            "REDIS_URL": settings.redis_url,
            "APP_SECRET": settings.app_secret,
            "PUBLIC_BASE_URL": settings.public_base_url,
            "MOYSKLAD_API_URL": settings.moysklad_api_url,
            "CONFIG_FILE": "",
            "RECEIVER_ACCESS_LOG": "",
        }
        | extra
    )


def start_supervised(var: Path, processes: list[str], env: dict) -> subprocess.Popen:
    command = [sys.executable, "-m", "scripts.supervise", "--var", str(var), *processes]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def ctl(var: Path, *args: str) -> str:
    done = subprocess.run(
        [SUPERVISORCTL, "-c", str(var / "supervisord.conf"), *args],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return done.stdout


def pid_of(var: Path, name: str) -> int:
    """The PID supervisord runs `name` as (0 while it is not running)."""
    out = ctl(var, "pid", name).strip()
    return int(out) if out.isdigit() else 0


def children(pid: int) -> list[int]:
    try:
        found = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
        return found
    except FileNotFoundError:
        return []


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code < 500
    except requests.RequestException:
        return False


def stop_supervised(process: subprocess.Popen, var: Path) -> None:
    pid_file = var / "supervisord.pid"
    if pid_file.exists():
        os.kill(int(pid_file.read_text()), 15)
    process.wait(timeout=60)
