"""A secret rotation end to end: every account keeps working before, during and after it."""

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

from falcon import testing
from rq import Queue, SimpleWorker

from jobs import defaults
from jobs.context import configure
from jobs.lifecycle.setup import check_all_accounts
from receiver.app import create_app
from store.accounts import api_token
from store.crypto import webhook_token
from store.models import Account
from store.settings import RECEIVE_PATH
from tests.jobs import lifecycle_fixtures
from tests.jobs.lifecycle_fixtures import CHILD, MAIN, TOKENS
from tests.receiver.conftest import moysklad_body

ROOT = Path(__file__).resolve().parents[2]
franchise = lifecycle_fixtures.franchise
NEW_SIGNING, NEW_ENCRYPTION = "new-signing-secret", "new-encryption-secret"


def rotate(settings, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "PUBLIC_BASE_URL": settings.public_base_url,
        "MOYSKLAD_API_URL": settings.moysklad_api_url,
        "APP_SECRET": settings.app_secret,
        "APP_SECRET_PREVIOUS": settings.app_secret_previous,
        "ENCRYPTION_SECRET": settings.encryption_secret,
        "ENCRYPTION_SECRET_PREVIOUS": settings.encryption_secret_previous,
    }
    return subprocess.run(
        [sys.executable, "-m", "scripts.rotate_secrets", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def accepted(settings, redis, secret: str, request_id: str) -> dict[str, int]:
    """The receiver's answer to a delivery of every account, at its URL signed with `secret`."""
    client = testing.TestClient(create_app(settings, redis))
    answers = {}
    for account_id in (MAIN, CHILD):
        path = RECEIVE_PATH + webhook_token(account_id, secret)
        body = moysklad_body(account_id)
        answers[account_id] = client.simulate_post(
            path, params={"requestId": f"{request_id}-{account_id}"}, body=body
        ).status_code
    return answers


def drain(redis) -> None:
    SimpleWorker([Queue(defaults.DEFAULT_QUEUE, connection=redis)], connection=redis).work(
        burst=True
    )


def test_rotating_both_secrets_keeps_every_account_working(franchise, redis):
    old = franchise.settings
    assert check_all_accounts()["failed"] == []
    assert accepted(old, redis, old.app_secret, "before") == {MAIN: 200, CHILD: 200}

    rotating = dataclasses.replace(
        old,
        app_secret=NEW_SIGNING,
        app_secret_previous=old.app_secret,
        encryption_secret=NEW_ENCRYPTION,
        encryption_secret_previous=old.app_secret,  # the system was set up before the split
    )
    configure(rotating, redis)
    # Restarted with the new secrets: the old URLs and the stored tokens still work.
    assert accepted(rotating, redis, old.app_secret, "restart") == {MAIN: 200, CHILD: 200}
    assert accepted(rotating, redis, NEW_SIGNING, "restart-new") == {MAIN: 200, CHILD: 200}

    before = {a.id: a.api_token_encrypted for a in Account.select()}
    dry = rotate(rotating, "--dry-run")
    assert dry.returncode == 0 and "would re-encrypt 2" in dry.stdout
    assert {a.id: a.api_token_encrypted for a in Account.select()} == before

    done = rotate(rotating)
    assert done.returncode == 0, done.stderr
    assert "re-encrypted 2 stored API token(s)" in done.stdout
    for account in Account.select():
        assert api_token(account, NEW_ENCRYPTION) == TOKENS[str(account.id)]  # new key alone
    drain(redis)  # the queued setups rewrite every webhook URL with the new signing secret
    for account_id in (MAIN, CHILD):
        urls = {w["url"] for w in franchise.ours(account_id)}
        assert urls == {rotating.receive_prefix + webhook_token(account_id, NEW_SIGNING)}

    finished = dataclasses.replace(rotating, app_secret_previous="", encryption_secret_previous="")
    configure(finished, redis)
    assert accepted(finished, redis, NEW_SIGNING, "after") == {MAIN: 200, CHILD: 200}
    assert accepted(finished, redis, old.app_secret, "old") == {MAIN: 404, CHILD: 404}
    assert check_all_accounts()["failed"] == []  # МойСклад calls work with the re-encrypted tokens


def test_a_token_no_secret_decrypts_is_reported_and_the_command_exits_1(franchise, redis):
    lost = dataclasses.replace(franchise.settings, encryption_secret=NEW_ENCRYPTION)
    done = rotate(lost)
    assert done.returncode == 1
    assert "re-encrypted 0" in done.stdout and done.stderr.count("decrypts with neither") == 2
