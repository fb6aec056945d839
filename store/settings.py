"""Every environment variable the processes read, gathered in one place."""

import os
from collections.abc import Mapping
from dataclasses import dataclass

REAL_MOYSKLAD_API_URL = "https://api.moysklad.ru/api/remap/1.2"
RECEIVE_PATH = "/api/webhooks/receive/"
LOOP_GUARD_PATH = "/api/webhooks/"


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str
    public_base_url: str
    app_secret: str
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

    @property
    def receive_prefix(self) -> str:
        """Every webhook URL of ours starts with this; setup and cleanup match on it."""
        return self.public_base_url.rstrip("/") + RECEIVE_PATH

    @property
    def loop_guard_prefix(self) -> str:
        """Sent as X-Lognex-WebHook-DisableByPrefix on every request to МойСклад."""
        return self.public_base_url.rstrip("/") + LOOP_GUARD_PATH


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read the configuration of this process from the environment (call once, at start-up)."""
    env = os.environ if environ is None else environ
    return Settings(
        database_url=env.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
        redis_url=env.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        public_base_url=env.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
        app_secret=env.get("APP_SECRET", "dev-secret-change-me"),
        moysklad_api_url=env.get("MOYSKLAD_API_URL", REAL_MOYSKLAD_API_URL),
        max_body_bytes=int(env.get("MAX_BODY_BYTES", str(1024 * 1024))),
        log_retention_days=int(env.get("LOG_RETENTION_DAYS", "30")),
        failed_log_retention_days=int(env.get("FAILED_LOG_RETENTION_DAYS", "90")),
        alert_webhook_url=env.get("ALERT_WEBHOOK_URL", ""),
        prometheus_multiproc_dir=env.get("PROMETHEUS_MULTIPROC_DIR", ""),
        console_users=env.get("CONSOLE_USERS", ""),
        rq_dashboard_url=env.get("RQ_DASHBOARD_URL", ""),
        vendor_secret_key=env.get("VENDOR_SECRET_KEY", ""),
        loop_max_changes=_optional_int(env, "LOOP_MAX_CHANGES"),
        loop_window_seconds=_optional_int(env, "LOOP_WINDOW_SECONDS"),
    )


def _optional_int(env: Mapping[str, str], name: str) -> int | None:
    value = env.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) == 0:
        raise ValueError(f"{name} must be a positive whole number, not {value!r}")
    return int(value)
