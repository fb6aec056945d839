"""Every environment variable the processes read, gathered in one place.

One loader for every entry point: the environment, over the file up.sh writes (`var/config.env`,
or CONFIG_FILE), so a command typed next to a running system acts on that system.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

REAL_MOYSKLAD_API_URL = "https://api.moysklad.ru/api/remap/1.2"
REAL_VENDOR_API_URL = "https://apps-api.moysklad.ru/api/vendor/1.0"
RECEIVE_PATH = "/api/webhooks/receive/"
LOOP_GUARD_PATH = "/api/webhooks/"
DEFAULT_CONFIG_FILE = Path(__file__).resolve().parent.parent / "var" / "config.env"
REQUIRED = ("DATABASE_URL", "APP_SECRET")


class ConfigError(SystemExit):
    """A missing or invalid setting: the process stops with one line naming it, no traceback."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str
    public_base_url: str
    app_secret: str  # signs webhook URL tokens (the current secret)
    moysklad_api_url: str = REAL_MOYSKLAD_API_URL
    max_body_bytes: int = 1024 * 1024
    log_retention_days: int = 30
    failed_log_retention_days: int = 90
    alert_webhook_url: str = ""
    prometheus_multiproc_dir: str = ""
    console_users: str = ""  # name:role:pbkdf2-hash,... (python -m scripts.console_user)
    rq_dashboard_url: str = ""
    vendor_secret_key: str = ""  # МойСклад vendor API JWT key; empty: the vendor endpoint says 401
    loop_max_changes: int | None = None  # None: jobs.defaults.LOOP_MAX_CHANGES
    loop_window_seconds: int | None = None  # None: jobs.defaults.LOOP_WINDOW_SECONDS
    app_secret_previous: str = ""  # still accepted on webhook URLs during a rotation
    encryption_secret: str = ""  # encrypts stored API tokens; empty: app_secret (set up pre-split)
    encryption_secret_previous: str = ""  # comma-separated; decrypts until `scripts.secrets rotate`
    vendor_app_id: str = ""  # the app id МойСклад puts in the vendor path; empty: the path is 404
    vendor_api_url: str = REAL_VENDOR_API_URL
    vendor_app_uid: str = ""  # the app's uid (`sub` of our JWTs to the vendor API)
    # Processing correctness (issue 11): retention of what we write, the loop pause's lifetime
    task_retention_days: int = 14  # completed and cancelled sync tasks
    alert_retention_days: int = 365  # resolved alerts
    audit_retention_days: int = 730  # operator actions
    loop_pause_seconds: int = 3600  # a loop-paused entity's pause expires after this
    sync_max_attempts: int = 10  # a sync task retried this many times ends `failed` (issue 13)

    @property
    def receive_prefix(self) -> str:
        """Every webhook URL of ours starts with this; setup and cleanup match on it."""
        return self.public_base_url.rstrip("/") + RECEIVE_PATH

    @property
    def loop_guard_prefix(self) -> str:
        """Sent as X-Lognex-WebHook-DisableByPrefix on every request to МойСклад."""
        return self.public_base_url.rstrip("/") + LOOP_GUARD_PATH

    @property
    def signing_secrets(self) -> tuple[str, ...]:
        """The current signing secret first, then the previous one (accepted, never issued)."""
        return tuple(s for s in (self.app_secret, self.app_secret_previous) if s)

    @property
    def encryption_secrets(self) -> tuple[str, ...]:
        """The current encryption secret first (encrypts), then previous ones (decrypt only)."""
        previous = [s.strip() for s in self.encryption_secret_previous.split(",") if s.strip()]
        return (self.encryption_secret or self.app_secret, *previous)


def read_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment over the generated config file (CONFIG_FILE; empty: no file)."""
    env = os.environ if environ is None else environ
    path = env.get("CONFIG_FILE", str(DEFAULT_CONFIG_FILE))
    from_file = dotenv_values(path) if path and os.path.isfile(path) else {}
    return {**{k: v for k, v in from_file.items() if v is not None}, **env}


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """The configuration of this process (call once, at start-up); ConfigError names what is wrong.

    Without `environ`, the process environment over the config file; with it, only `environ`.
    """
    env = read_environment() if environ is None else environ
    for name in REQUIRED:
        if not env.get(name, "").strip():
            raise ConfigError(
                f"{name} is not set: export it, or start the system with scripts/up.sh, which "
                f"writes it to {DEFAULT_CONFIG_FILE.relative_to(DEFAULT_CONFIG_FILE.parents[1])}"
            )
    return Settings(
        database_url=env["DATABASE_URL"],
        redis_url=env.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        public_base_url=env.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
        app_secret=env["APP_SECRET"],
        moysklad_api_url=env.get("MOYSKLAD_API_URL", REAL_MOYSKLAD_API_URL),
        max_body_bytes=_int(env, "MAX_BODY_BYTES", 1024 * 1024),
        log_retention_days=_int(env, "LOG_RETENTION_DAYS", 30),
        failed_log_retention_days=_int(env, "FAILED_LOG_RETENTION_DAYS", 90),
        alert_webhook_url=env.get("ALERT_WEBHOOK_URL", ""),
        prometheus_multiproc_dir=env.get("PROMETHEUS_MULTIPROC_DIR", ""),
        console_users=env.get("CONSOLE_USERS", ""),
        rq_dashboard_url=env.get("RQ_DASHBOARD_URL", ""),
        vendor_secret_key=env.get("VENDOR_SECRET_KEY", ""),
        loop_max_changes=_optional_int(env, "LOOP_MAX_CHANGES"),
        loop_window_seconds=_optional_int(env, "LOOP_WINDOW_SECONDS"),
        app_secret_previous=env.get("APP_SECRET_PREVIOUS", ""),
        encryption_secret=env.get("ENCRYPTION_SECRET", ""),
        encryption_secret_previous=env.get("ENCRYPTION_SECRET_PREVIOUS", ""),
        vendor_app_id=env.get("VENDOR_APP_ID", ""),
        vendor_api_url=env.get("VENDOR_API_URL", REAL_VENDOR_API_URL),
        vendor_app_uid=env.get("VENDOR_APP_UID", ""),
        task_retention_days=_int(env, "TASK_RETENTION_DAYS", 14),
        alert_retention_days=_int(env, "ALERT_RETENTION_DAYS", 365),
        audit_retention_days=_int(env, "AUDIT_RETENTION_DAYS", 730),
        loop_pause_seconds=_int(env, "LOOP_PAUSE_SECONDS", 3600),
        sync_max_attempts=_int(env, "SYNC_MAX_ATTEMPTS", 10),
    )


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    value = _optional_int(env, name)
    return default if value is None else value


def _optional_int(env: Mapping[str, str], name: str) -> int | None:
    value = env.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) == 0:
        raise ConfigError(f"{name} must be a positive whole number, not {value!r}")
    return int(value)
