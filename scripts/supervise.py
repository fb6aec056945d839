"""python -m scripts.supervise — run the Procfile's processes under supervisord.

    python -m scripts.supervise receiver worker=2 scheduler        write the config and run it
    python -m scripts.supervise --write-only receiver worker=2    only write var/supervisord.conf

Each process is a supervisord program: one that dies is started again, and one dying never stops
the others (honcho, which up.sh used before, stopped everything when one process exited).
`NAME=N` runs N copies. The processes inherit this environment.
"""

import argparse
import os
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STOP_WAIT_SECONDS = 30  # SIGTERM lets a worker finish its job; after this, SIGKILL
LOG_MAX_BYTES = "20MB"
START_SECONDS = 1  # running this long counts as started
START_RETRIES = 1000  # keep trying while PostgreSQL or Redis is away (the back-off grows by 1 s)


def read_procfile(path: Path) -> dict[str, str]:
    """{process name: command line} of a Procfile."""
    commands = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, command = line.partition(":")
        if not sep or not name.strip() or not command.strip():
            raise SystemExit(f"{path}:{number}: expected 'name: command', got {line!r}")
        commands[name.strip()] = command.strip()
    return commands


def parse_wanted(items: list[str], known: dict[str, str]) -> dict[str, int]:
    """["worker=2", "scheduler"] → {"worker": 2, "scheduler": 1}; unknown names are refused."""
    wanted = {}
    for item in items:
        name, _, count = item.partition("=")
        if name not in known:
            raise SystemExit(f"no process {name!r} in the Procfile (known: {', '.join(known)})")
        if count and (not count.isdigit() or int(count) < 1):
            raise SystemExit(f"{item}: the count must be a whole number of at least 1")
        wanted[name] = int(count or 1)
    return wanted


def program(name: str, command: str, count: int, log_dir: Path) -> str:
    # bash expands the Procfile's $VARIABLES; `exec` leaves no shell between supervisord and the
    # process, so signals reach it (a line with `&&` ends in its own exec).
    line = command if "&&" in command else f"exec {command}"
    options = {
        "command": f"/bin/bash -c {shlex.quote(line)}".replace("%", "%%"),
        "directory": str(ROOT),
        "numprocs": count,
        "process_name": "%(program_name)s-%(process_num)d" if count > 1 else "%(program_name)s",
        "autostart": "true",
        "autorestart": "true",
        "startsecs": START_SECONDS,
        "startretries": START_RETRIES,
        "stopsignal": "TERM",
        "stopwaitsecs": STOP_WAIT_SECONDS,
        "stopasgroup": "true",
        "killasgroup": "true",
        "redirect_stderr": "true",
        "stdout_logfile": str(log_dir / "%(program_name)s-%(process_num)d.log"),
        "stdout_logfile_maxbytes": LOG_MAX_BYTES,
        "stdout_logfile_backups": 3,
    }
    return f"[program:{name}]\n" + "".join(f"{key}={value}\n" for key, value in options.items())


def config(wanted: dict[str, int], commands: dict[str, str], var: Path) -> str:
    log_dir = var / "log"
    header = f"""[supervisord]
nodaemon=true
logfile={var / "supervisord.log"}
pidfile={var / "supervisord.pid"}
childlogdir={log_dir}

[unix_http_server]
file={var / "supervisor.sock"}
chmod=0700

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://{var / "supervisor.sock"}

"""
    programs = [program(name, commands[name], count, log_dir) for name, count in wanted.items()]
    return header + "\n".join(programs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.supervise", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("processes", nargs="+", help="Procfile names, NAME=N for N copies")
    parser.add_argument("--procfile", type=Path, default=ROOT / "Procfile")
    parser.add_argument("--var", type=Path, default=ROOT / "var", help="config, socket and logs")
    parser.add_argument("--write-only", action="store_true", help="write the config, do not run")
    args = parser.parse_args(argv)
    commands = read_procfile(args.procfile)
    wanted = parse_wanted(args.processes, commands)
    var = args.var.resolve()
    (var / "log").mkdir(parents=True, exist_ok=True)
    path = var / "supervisord.conf"
    path.write_text(config(wanted, commands, var))
    print(f"supervisord config: {path}; logs in {var / 'log'}")
    if args.write_only:
        return 0
    sys.stdout.flush()
    supervisord = str(Path(sys.executable).parent / "supervisord")
    os.execv(supervisord, [supervisord, "-c", str(path)])


if __name__ == "__main__":
    sys.exit(main())
