"""client_for_account: the stored token, the configured API URL and our loop-guard prefix."""

import os

import pytest

import jobs.context
from jobs.context import configure
from jobs.moysklad import client_for_account
from store.accounts import add_account
from store.db import create_database_if_missing, database, init_database
from store.migrations import migrate
from store.settings import Settings
from tests.jobs.moysklad.conftest import ACCOUNT, TOKEN

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test_sim"


@pytest.fixture
def context(base_url, limiter_redis):
    """A job context on this suite's own database (test_sim), restored afterwards."""
    previous = jobs.context._context
    settings = Settings(
        database_url=os.environ.get("TEST_SIM_DATABASE_URL", DEFAULT_DATABASE_URL),
        redis_url="unused://",
        public_base_url="https://sync.example.com",
        app_secret="factory-secret",
        moysklad_api_url=base_url,
    )
    create_database_if_missing(settings.database_url)
    job_context = configure(settings, limiter_redis)
    with database.connection_context():
        migrate(database)
        database.execute_sql("TRUNCATE accounts CASCADE")
        add_account(ACCOUNT, "Main", TOKEN, "main", settings.app_secret)
    yield job_context
    jobs.context._context = previous
    if previous is not None:
        init_database(previous.settings.database_url)


def test_client_for_account_uses_stored_token_and_settings(context, sim):
    with database.connection_context():
        client = client_for_account(context, ACCOUNT)
    assert client.get("/entity/product")["rows"] == []
    (request,) = sim.requests
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["x-lognex-webhook-disablebyprefix"] == (
        "https://sync.example.com/api/webhooks/"
    )
