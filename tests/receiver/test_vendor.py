"""The vendor endpoint: install stores the account and queues setup; uninstall only marks it."""

import dataclasses
import time

import pytest
from falcon import testing
from rq import Queue, SimpleWorker

from jobs import defaults
from receiver.app import create_app
from receiver.vendor_auth import sign_vendor_jwt
from store.accounts import add_account, api_token
from store.models import Account
from tests.jobs import lifecycle_fixtures
from tests.jobs.lifecycle_fixtures import MAIN, TOKENS

KEY = "vendor-secret-key"
ACCOUNT = "9171a53c-b719-11eb-c0a8-800d00000007"
PATH = f"/api/moysklad/vendor/1.0/apps/app-1/{ACCOUNT}"
franchise = lifecycle_fixtures.franchise


@pytest.fixture
def client(settings, db, redis):
    keyed = dataclasses.replace(settings, vendor_secret_key=KEY)
    return testing.TestClient(create_app(keyed, redis))


def auth(key: str = KEY, **claims) -> dict:
    now = int(time.time())
    token = sign_vendor_jwt({"sub": "app-1", "iat": now, "exp": now + 300, **claims}, key)
    return {"Authorization": f"Bearer {token}"}


def install_body(token: str = "app-token", cause: str = "Install") -> dict:
    return {"cause": cause, "accountName": "shop", "access": [{"access_token": token}]}


def setup_jobs(redis) -> list:
    return Queue(defaults.DEFAULT_QUEUE, connection=redis).get_jobs()


def test_install_of_new_account_stores_encrypted_token_and_asks_for_settings(
    client, settings, redis
):
    started = time.monotonic()
    result = client.simulate_put(PATH, json=install_body(), headers=auth())
    assert time.monotonic() - started < 10
    assert result.status_code == 200 and result.json == {"status": "SettingsRequired"}
    account = Account.get_by_id(ACCOUNT)
    assert account.status == "active" and account.app_id == "app-1" and account.name == "shop"
    assert "app-token" not in account.api_token_encrypted
    assert api_token(account, settings.app_secret) == "app-token"
    jobs = setup_jobs(redis)
    assert [(j.func_name, j.args, j.kwargs) for j in jobs] == [
        (defaults.SETUP_WEBHOOKS_FUNC, (ACCOUNT,), {"mode": "setup"})
    ]


def test_resume_of_typed_uninstalled_account_activates_it_with_new_token(client, settings, redis):
    add_account(ACCOUNT, "shop", "old-token", "main", settings.app_secret)
    Account.update(status="uninstalled").execute()
    result = client.simulate_put(PATH, json=install_body("new", "Resume"), headers=auth())
    assert result.json == {"status": "Activated"}
    account = Account.get_by_id(ACCOUNT)
    assert account.status == "active" and account.account_type == "main"
    assert api_token(account, settings.app_secret) == "new"
    assert len(setup_jobs(redis)) == 1


def test_uninstall_marks_account_and_deletes_nothing(client, settings, redis):
    add_account(ACCOUNT, "shop", "token", "child", settings.app_secret)
    result = client.simulate_delete(PATH, headers=auth())
    assert result.status_code == 200
    assert Account.get_by_id(ACCOUNT).status == "uninstalled"
    assert setup_jobs(redis) == []


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-jwt"},
        auth(key="someone-else"),
        auth(exp=int(time.time()) - 3600),
        {"Authorization": "Basic abc"},
    ],
    ids=["missing", "malformed", "wrong-key", "expired", "not-bearer"],
)
def test_bad_or_missing_jwt_is_refused_with_401(client, headers, redis):
    assert client.simulate_put(PATH, json=install_body(), headers=headers).status_code == 401
    assert client.simulate_delete(PATH, headers=headers).status_code == 401
    assert Account.select().count() == 0 and setup_jobs(redis) == []


def test_endpoint_refuses_everything_when_no_key_is_configured(settings, db, redis):
    client = testing.TestClient(create_app(settings, redis))
    assert client.simulate_put(PATH, json=install_body(), headers=auth()).status_code == 401


def test_body_without_access_token_is_a_400(client):
    result = client.simulate_put(PATH, json={"cause": "Install", "access": []}, headers=auth())
    assert result.status_code == 400 and Account.select().count() == 0


def test_resume_queues_a_setup_that_installs_the_webhooks(franchise, redis):
    """Through the simulator: uninstall leaves МойСклад alone, resume's job installs the set."""
    app = create_app(dataclasses.replace(franchise.settings, vendor_secret_key=KEY), redis)
    client = testing.TestClient(app)
    path = f"/api/moysklad/vendor/1.0/apps/app-1/{MAIN}"
    assert client.simulate_delete(path, headers=auth()).status_code == 200
    body = install_body(TOKENS[MAIN], "Resume")
    assert client.simulate_put(path, json=body, headers=auth()).json == {"status": "Activated"}
    SimpleWorker([Queue(defaults.DEFAULT_QUEUE, connection=redis)], connection=redis).work(
        burst=True
    )
    assert len(franchise.ours(MAIN)) == 15
