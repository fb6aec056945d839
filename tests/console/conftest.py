"""The console under AppTest, against the test database and Redis, with two known users."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from store.users import hash_password

APP = str(Path(__file__).resolve().parents[2] / "console" / "app.py")
PASSWORD = "correct horse battery"
# Few iterations: the tests check the flow, the production cost is in store.users.
USERS = ",".join(
    f"{name}:{role}:{hash_password(PASSWORD, iterations=1000)}"
    for name, role in (("olga", "operator"), ("victor", "viewer"))
)
PAGES = ("overview", "logs", "webhooks", "accounts", "alerts", "sync")
TIMEOUT = 30


@pytest.fixture
def console(settings, db, redis, monkeypatch):
    """Environment of a console process; caches emptied so each test reads its own data."""
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("REDIS_URL", settings.redis_url)
    monkeypatch.setenv("APP_SECRET", settings.app_secret)
    monkeypatch.setenv("PUBLIC_BASE_URL", settings.public_base_url)
    monkeypatch.setenv("MOYSKLAD_API_URL", settings.moysklad_api_url)
    monkeypatch.setenv("CONSOLE_USERS", USERS)
    monkeypatch.setenv("RQ_DASHBOARD_URL", "http://127.0.0.1:9181/")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(page: str, user: str | None = "olga") -> AppTest:
    """The app signed in as `user`, showing views/<page>.py."""
    app = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if user is not None:
        app.session_state["console_user"] = user
    app.run()
    if page != "overview":
        app.switch_page(f"views/{page}.py").run()
    return app


def assert_no_exception(app: AppTest) -> None:
    assert not app.exception, [e.value for e in app.exception]
