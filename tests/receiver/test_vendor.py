"""The vendor endpoint as МойСклад's vendor API defines it: JWT rules, app id, every cause."""

import dataclasses
import time
import uuid

import pytest
from falcon import testing
from rq import Queue, SimpleWorker

from jobs import defaults
from jobs.lifecycle.setup import check_all_accounts
from receiver.app import create_app
from receiver.vendor_auth import sign_vendor_jwt
from store.accounts import add_account, api_token
from store.models import Account
from tests.jobs import lifecycle_fixtures
from tests.jobs.lifecycle_fixtures import MAIN, TOKENS

KEY = "vendor-secret-key"
APP_ID = "5f3c5489-6a17-48b7-9fe5-b2000eb807fe"
ACCOUNT = "9171a53c-b719-11eb-c0a8-800d00000007"
PATH = f"/api/moysklad/vendor/1.0/apps/{APP_ID}/{ACCOUNT}"
franchise = lifecycle_fixtures.franchise


def vendor_settings(settings):
    return dataclasses.replace(settings, vendor_secret_key=KEY, vendor_app_id=APP_ID)


@pytest.fixture
def client(settings, db, redis):
    return testing.TestClient(create_app(vendor_settings(settings), redis))


def claims(**changes) -> dict:
    now = int(time.time())
    base = {"iat": now, "exp": now + 300, "jti": uuid.uuid4().hex}
    return {k: v for k, v in {**base, **changes}.items() if v is not None}


def auth(key: str = KEY, **changes) -> dict:
    return {"Authorization": f"Bearer {sign_vendor_jwt(claims(**changes), key)}"}


def install_body(token: str = "app-token", cause: str = "Install") -> dict:
    return {
        "appUid": "sync.vendor",
        "cause": cause,
        "accountName": "shop",
        "access": [{"resource": "https://api.moysklad.ru/api/remap/1.2", "access_token": token}],
    }


def tokenless_body(cause: str) -> dict:
    return {"appUid": "sync.vendor", "cause": cause, "accountName": "shop", "subscription": {}}


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
    assert account.status == "active" and account.app_id == APP_ID and account.name == "shop"
    assert "app-token" not in account.api_token_encrypted
    assert api_token(account, settings.encryption_secrets) == "app-token"
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


@pytest.mark.parametrize("cause", ["TariffChanged", "Autoprolongation"])
@pytest.mark.parametrize(
    "account_type, status", [("main", "Activated"), (None, "SettingsRequired")]
)
def test_a_tokenless_cause_keeps_the_token_and_answers_the_current_status(
    client, settings, redis, cause, account_type, status
):
    add_account(ACCOUNT, "shop", "kept-token", account_type, settings.app_secret)
    before = Account.get_by_id(ACCOUNT).api_token_encrypted
    result = client.simulate_put(PATH, json=tokenless_body(cause), headers=auth())
    assert result.status_code == 200 and result.json == {"status": status}
    account = Account.get_by_id(ACCOUNT)
    assert account.api_token_encrypted == before and account.status == "active"
    assert api_token(account, settings.app_secret) == "kept-token"
    assert setup_jobs(redis) == []


def test_a_tokenless_cause_for_an_account_never_installed_is_404(client):
    result = client.simulate_put(PATH, json=tokenless_body("TariffChanged"), headers=auth())
    assert result.status_code == 404 and Account.select().count() == 0


def test_install_without_an_access_token_is_a_400(client):
    result = client.simulate_put(PATH, json={"cause": "Install", "access": []}, headers=auth())
    assert result.status_code == 400 and Account.select().count() == 0


def test_uninstall_marks_account_and_deletes_nothing(client, settings, redis):
    add_account(ACCOUNT, "shop", "token", "child", settings.app_secret)
    result = client.simulate_delete(PATH, json={"cause": "Uninstall"}, headers=auth())
    assert result.status_code == 200 and result.text == ""
    assert Account.get_by_id(ACCOUNT).status == "uninstalled"
    assert setup_jobs(redis) == []


def test_deactivating_an_account_never_installed_is_204(client):
    assert client.simulate_delete(PATH, json={"cause": "Uninstall"}, headers=auth()).status == (
        "204 No Content"
    )


def test_suspend_marks_the_account_and_the_hourly_check_leaves_it_alone(franchise, redis):
    client = testing.TestClient(create_app(vendor_settings(franchise.settings), redis))
    path = f"/api/moysklad/vendor/1.0/apps/{APP_ID}/{MAIN}"
    # МойСклад disables a suspended app's webhooks; our hourly check must not switch them on.
    assert check_all_accounts()["accounts"] == 2
    for hook in franchise.ours(MAIN):
        franchise.sim.set_webhook_enabled(hook["id"], False)
    writes = len(franchise.writes())
    assert (
        client.simulate_delete(path, json={"cause": "Suspend"}, headers=auth()).status_code == 200
    )
    assert Account.get_by_id(MAIN).status == "suspended"
    assert check_all_accounts()["accounts"] == 1  # only the child
    assert len(franchise.writes()) == writes
    assert not any(h["enabled"] for h in franchise.ours(MAIN))


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-jwt"},
        auth(key="someone-else"),
        auth(exp=int(time.time()) - 3600),
        auth(exp=None),
        auth(iat=None),
        auth(jti=None),
        auth(iat=int(time.time()) + 3600),
        {"Authorization": "Basic abc"},
    ],
    ids=[
        "missing",
        "malformed",
        "wrong-key",
        "expired",
        "no-exp",
        "no-iat",
        "no-jti",
        "issued-in-future",
        "not-bearer",
    ],
)
def test_bad_or_missing_jwt_is_refused_with_401(client, headers, redis):
    assert client.simulate_put(PATH, json=install_body(), headers=headers).status_code == 401
    assert client.simulate_delete(PATH, headers=headers).status_code == 401
    assert Account.select().count() == 0 and setup_jobs(redis) == []


def test_only_hs256_is_accepted(client):
    import jwt

    for algorithm in ("HS512", "none"):
        token = jwt.encode(claims(), KEY if algorithm != "none" else None, algorithm=algorithm)
        headers = {"Authorization": f"Bearer {token}"}
        assert client.simulate_put(PATH, json=install_body(), headers=headers).status_code == 401


def test_a_replayed_jti_is_refused_with_401(client, settings):
    headers = auth()
    assert client.simulate_put(PATH, json=install_body(), headers=headers).status_code == 200
    replay = client.simulate_put(PATH, json=install_body("forged"), headers=headers)
    assert replay.status_code == 401 and "jti" in replay.json["description"]
    assert api_token(Account.get_by_id(ACCOUNT), settings.app_secret) == "app-token"


def test_the_jti_is_kept_for_the_tokens_lifetime(client, redis):
    token_claims = claims(exp=int(time.time()) + 120)
    headers = {"Authorization": f"Bearer {sign_vendor_jwt(token_claims, KEY)}"}
    client.simulate_put(PATH, json=install_body(), headers=headers)
    ttl = redis.ttl(f"vendor:jti:{token_claims['jti']}")
    assert 100 < ttl <= 120 + 30


def test_a_wrong_or_unconfigured_app_id_is_404(client, settings, db, redis):
    other = PATH.replace(APP_ID, str(uuid.uuid4()))
    assert client.simulate_put(other, json=install_body(), headers=auth()).status_code == 404
    assert client.simulate_delete(other, headers=auth()).status_code == 404
    keyless = testing.TestClient(create_app(dataclasses.replace(settings, vendor_secret_key=KEY)))
    assert keyless.simulate_put(PATH, json=install_body(), headers=auth()).status_code == 404
    assert Account.select().count() == 0


def test_endpoint_refuses_everything_when_no_key_is_configured(settings, db, redis):
    keyless = dataclasses.replace(settings, vendor_app_id=APP_ID)
    client = testing.TestClient(create_app(keyless, redis))
    assert client.simulate_put(PATH, json=install_body(), headers=auth()).status_code == 401


def test_resume_queues_a_setup_that_installs_the_webhooks(franchise, redis):
    """Through the simulator: uninstall leaves МойСклад alone, resume's job installs the set."""
    client = testing.TestClient(create_app(vendor_settings(franchise.settings), redis))
    path = f"/api/moysklad/vendor/1.0/apps/{APP_ID}/{MAIN}"
    assert client.simulate_delete(path, headers=auth()).status_code == 200
    body = install_body(TOKENS[MAIN], "Resume")
    assert client.simulate_put(path, json=body, headers=auth()).json == {"status": "Activated"}
    SimpleWorker([Queue(defaults.DEFAULT_QUEUE, connection=redis)], connection=redis).work(
        burst=True
    )
    assert len(franchise.ours(MAIN)) == 15
