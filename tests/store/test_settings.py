"""The configuration: required variables, defaults, overrides, the config file up.sh writes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jobs import defaults
from jobs.processing.loop_detector import limits_from
from store.settings import ConfigError, load_settings, read_environment

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/x", "APP_SECRET": "s"}


def test_loop_limits_default_when_unset_and_follow_the_environment():
    assert limits_from(load_settings(REQUIRED)).max_changes == defaults.LOOP_MAX_CHANGES
    assert limits_from(load_settings(REQUIRED)).window_seconds == defaults.LOOP_WINDOW_SECONDS
    env = {**REQUIRED, "LOOP_MAX_CHANGES": "5", "LOOP_WINDOW_SECONDS": "60"}
    limits = limits_from(load_settings(env))
    assert (limits.max_changes, limits.window_seconds) == (5, 60)


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_a_bad_loop_limit_says_which_variable_is_wrong(value):
    with pytest.raises(ConfigError, match="LOOP_MAX_CHANGES must be a positive whole number"):
        load_settings({**REQUIRED, "LOOP_MAX_CHANGES": value})


def test_receive_and_loop_guard_prefixes_come_from_the_public_url():
    settings = load_settings({**REQUIRED, "PUBLIC_BASE_URL": "https://sync.example.com/"})
    assert settings.receive_prefix == "https://sync.example.com/api/webhooks/receive/"
    assert settings.loop_guard_prefix == "https://sync.example.com/api/webhooks/"


@pytest.mark.parametrize("missing", ["APP_SECRET", "DATABASE_URL"])
def test_app_secret_and_database_url_have_no_default(missing):
    with pytest.raises(ConfigError, match=f"^{missing} is not set"):
        load_settings({**REQUIRED, missing: ""})


def test_the_secrets_split_the_encryption_secret_defaults_to_app_secret_of_old_systems():
    old = load_settings(REQUIRED)
    assert old.signing_secrets == ("s",) and old.encryption_secrets == ("s",)
    rotating = load_settings(
        {
            **REQUIRED,
            "APP_SECRET_PREVIOUS": "old-s",
            "ENCRYPTION_SECRET": "e2",
            "ENCRYPTION_SECRET_PREVIOUS": "e1, e0",
        }
    )
    assert rotating.signing_secrets == ("s", "old-s")
    assert rotating.encryption_secrets == ("e2", "e1", "e0")


def test_the_config_file_is_read_and_the_environment_wins(tmp_path):
    config = tmp_path / "config.env"
    config.write_text("APP_SECRET='from-file'\nDATABASE_URL='postgresql://h/file'\nREDIS_URL=r\n")
    env = read_environment({"CONFIG_FILE": str(config), "REDIS_URL": "redis://env/1"})
    settings = load_settings(env)
    assert settings.app_secret == "from-file" and settings.database_url == "postgresql://h/file"
    assert settings.redis_url == "redis://env/1"
    assert read_environment({"CONFIG_FILE": ""}) == {"CONFIG_FILE": ""}


def _run(module: str, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("APP_SECRET", "DATABASE_URL")}
    return subprocess.run(
        [sys.executable, "-m", module, *([] if module != "scripts.webhooks" else ["check"])],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "module", ["scripts.webhooks", "scripts.worker", "scripts.scheduler", "scripts.check_config"]
)
def test_an_entry_point_without_app_secret_refuses_with_one_line_naming_it(module, tmp_path):
    done = _run(module, {"CONFIG_FILE": "", "DATABASE_URL": "postgresql://127.0.0.1:1/none"})
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert done.stderr.startswith("APP_SECRET is not set")


def test_the_receiver_without_app_secret_exits_before_forking_a_worker():
    done = subprocess.run(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "receiver.app:create_app()"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "CONFIG_FILE": "", "RECEIVER_BIND": "127.0.0.1:0"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "DATABASE_URL is not set" in done.stderr and "Traceback" not in done.stderr


def test_the_console_command_of_the_procfile_refuses_without_app_secret():
    line = next(
        row.split(":", 1)[1] for row in (ROOT / "Procfile").read_text().splitlines()
        if row.startswith("console:")
    )  # fmt: skip
    clean = {k: v for k, v in os.environ.items() if k not in ("APP_SECRET", "DATABASE_URL")}
    done = subprocess.run(
        ["bash", "-c", line],
        cwd=ROOT,
        env={**clean, "CONFIG_FILE": "", "DATABASE_URL": "x", "CONSOLE_PORT": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and done.stderr.startswith("APP_SECRET is not set")
