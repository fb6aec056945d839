"""The fault benchmark's own world: a throwaway PostgreSQL cluster, a Redis keeping an append-only
file, and our processes under scripts/supervise.py — all under var/bench_faults, on free ports of
19700–19799 (BENCH_FAULTS_PORTS=first-last for another range), loopback only."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import requests

ROOT = Path(__file__).resolve().parents[1]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
SECRET = "bench-faults-secret"
FINAL = ("completed", "failed", "ignored", "rejected")


def free_ports(count: int) -> list[int]:
    first, _, last = os.environ.get("BENCH_FAULTS_PORTS", "19700-19799").partition("-")
    found = []
    for port in range(int(first), int(last) + 1):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    raise SystemExit(f"fewer than {count} free ports in {first}-{last}")


def _as_postgres(command: list[str]) -> list[str]:
    # initdb and the server refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Postgres:
    def __init__(self, folder: Path, port: int):
        self.data, self.port = folder / "pg", port
        self.url = f"postgresql://postgres@127.0.0.1:{port}/bench_faults"

    def create(self) -> None:
        shutil.rmtree(self.data, ignore_errors=True)
        self.data.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
        initdb = [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"]
        subprocess.run(_as_postgres(initdb), check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c max_connections=200"
        )
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.data / "log")]
        command += ["-o", options, "-w", "start"]
        subprocess.run(_as_postgres(command), check=True, stdout=subprocess.DEVNULL)

    def kill(self) -> None:
        """Stop as a crash would (immediate: no checkpoint, recovery at the next start)."""
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]
        subprocess.run(_as_postgres(command), check=True, stdout=subprocess.DEVNULL)

    def stop(self) -> None:
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"]
        subprocess.run(_as_postgres(command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def query(self, sql: str, params=()) -> list[tuple]:
        connection = psycopg2.connect(self.url, connect_timeout=5)
        try:
            with connection, connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        finally:
            connection.close()


class Redis:
    """As setup.sh starts it: append-only file fsynced every second, noeviction."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port, self.process = folder / "redis", port, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port)]
        command += ["--dir", str(self.folder), "--appendonly", "yes", "--appendfsync", "everysec"]
        command += ["--save", "", "--maxmemory-policy", "noeviction"]
        log = open(self.folder / "log", "a")  # noqa: SIM115 - the server's own log, kept open
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(100):
            if (
                subprocess.run(
                    ["redis-cli", "-p", str(self.port), "ping"], capture_output=True
                ).stdout.strip()
                == b"PONG"
            ):
                return
            time.sleep(0.1)
        raise SystemExit("the benchmark's redis-server did not start")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


class Stack:
    """Our processes under supervisord, from a Procfile of the benchmark's own shape."""

    def __init__(self, folder: Path, env: dict):
        self.var, self.env, self.process = folder / "stack", env, None

    def start(self, receivers: list[int], workers: int) -> None:
        lines = ROOT.joinpath("Procfile").read_text().splitlines()
        commands = dict(line.split(": ", 1) for line in lines if ": " in line)
        procfile = [f"worker: {commands['worker']}", f"housekeeping: {commands['housekeeping']}"]
        procfile.append(f"scheduler: {commands['scheduler']}")
        for number, port in enumerate(receivers):
            procfile.append(
                f"receiver{number}: env RECEIVER_BIND=127.0.0.1:{port} {commands['receiver']}"
            )
        self.var.mkdir(parents=True, exist_ok=True)
        (self.var / "Procfile").write_text("\n".join(procfile) + "\n")
        names = [f"receiver{n}" for n in range(len(receivers))]
        names += [f"worker={workers}", "housekeeping", "scheduler"]
        command = [sys.executable, "-m", "scripts.supervise", "--var", str(self.var)]
        command += ["--procfile", str(self.var / "Procfile"), *names]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL)
        for port in receivers:
            _wait_http(f"http://127.0.0.1:{port}/healthz")

    def ctl(self, *args: str) -> str:
        supervisorctl = str(Path(sys.executable).parent / "supervisorctl")
        conf = str(self.var / "supervisord.conf")
        return subprocess.run(
            [supervisorctl, "-c", conf, *args], capture_output=True, text=True
        ).stdout

    def pid(self, name: str) -> int:
        out = self.ctl("pid", name).strip()
        return int(out) if out.isdigit() else 0

    def kill(self, name: str) -> int:
        pid = self.pid(name)
        if pid:
            os.kill(pid, signal.SIGKILL)
        return pid

    def not_running(self) -> list[str]:
        """Programs supervisord does not report RUNNING."""
        return [
            line.split()[0] for line in self.ctl("status").splitlines() if "RUNNING" not in line
        ]

    def stop(self) -> None:
        if self.process is None:
            return
        pid_file = self.var / "supervisord.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text()), signal.SIGTERM)
        self.process.wait(timeout=120)
        self.process = None


def _wait_http(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")
