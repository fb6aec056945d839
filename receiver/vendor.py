"""МойСклад's vendor API: PUT = install/resume (store the token, queue setup), DELETE = uninstall.

Answer: `Activated` when the account already has a type (its webhooks get set up right away),
`SettingsRequired` when an operator still has to choose main or child.
"""

import logging

import falcon
from redis import Redis
from redis.exceptions import RedisError

from jobs.queues import enqueue_setup
from receiver.vendor_auth import VendorAuthError, verify_vendor_jwt
from store.account_lifecycle import install_account, uninstall_account
from store.settings import Settings

VENDOR_PATH = "/api/moysklad/vendor/1.0/apps/{app_id}/{account_id}"
log = logging.getLogger(__name__)


class VendorResource:
    def __init__(self, settings: Settings, redis: Redis):
        self._settings = settings
        self._redis = redis

    def on_put(self, req: falcon.Request, resp: falcon.Response, app_id: str, account_id: str):
        self._authorize(req)
        body = req.get_media(default_when_empty=None)
        token = _access_token(body)
        try:
            account = install_account(
                account_id, app_id, token, body.get("accountName"), self._settings.app_secret
            )
        except ValueError as exc:
            raise falcon.HTTPBadRequest(title="invalid account id", description=str(exc)) from exc
        self._enqueue_setup(str(account.id))
        status = "Activated" if account.account_type else "SettingsRequired"
        resp.media = {"status": status}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, app_id: str, account_id: str):
        self._authorize(req)
        try:
            known = uninstall_account(account_id)
        except ValueError as exc:
            raise falcon.HTTPBadRequest(title="invalid account id", description=str(exc)) from exc
        resp.media = {"status": "Uninstalled" if known else "Unknown"}

    def _authorize(self, req: falcon.Request) -> None:
        try:
            verify_vendor_jwt(req.get_header("Authorization"), self._settings.vendor_secret_key)
        except VendorAuthError as exc:
            raise falcon.HTTPUnauthorized(
                title="vendor token rejected", description=str(exc)
            ) from exc

    def _enqueue_setup(self, account_id: str) -> None:
        try:
            enqueue_setup(self._redis, account_id)
        except RedisError:
            # The account is stored; the hourly check sets up every active account anyway.
            log.warning("setup of %s not queued (Redis unavailable)", account_id)


def _access_token(body) -> str:
    try:
        token = body["access"][0]["access_token"]
    except (TypeError, KeyError, IndexError) as exc:
        raise falcon.HTTPBadRequest(
            title="invalid body", description="access[0].access_token is required"
        ) from exc
    if not isinstance(token, str) or not token or not isinstance(body.get("cause"), str):
        raise falcon.HTTPBadRequest(
            title="invalid body", description="cause and access[0].access_token are required"
        )
    return token
