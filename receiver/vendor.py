"""МойСклад's vendor API: PUT activates (every `cause`), DELETE deactivates (uninstall or suspend).

A PUT that carries an access token (Install, Resume) stores it and queues the webhook setup; one
that carries none (TariffChanged, Autoprolongation) keeps the stored token. Either way the answer
is the account's status: `Activated` once it has a type, `SettingsRequired` while an operator has
still to choose main or child (the console reports `Activated` to МойСклад when that is done).
"""

import logging

import falcon
from redis import Redis
from redis.exceptions import RedisError

from jobs.queues import enqueue_setup
from receiver.vendor_auth import ReplayCheckUnavailable, VendorAuthError, verify_vendor_jwt
from store.account_lifecycle import deactivate_account, install_account, refresh_account
from store.settings import Settings

VENDOR_PATH = "/api/moysklad/vendor/1.0/apps/{app_id}/{account_id}"
TOKEN_CAUSES = ("Install", "Resume")  # the causes whose body carries access[0].access_token
DEACTIVATION_STATUS = {"Uninstall": "uninstalled", "Suspend": "suspended"}
log = logging.getLogger(__name__)


class VendorResource:
    def __init__(self, settings: Settings, redis: Redis):
        self._settings = settings
        self._redis = redis

    def on_put(self, req: falcon.Request, resp: falcon.Response, app_id: str, account_id: str):
        self._authorize(req, app_id)
        body = req.get_media(default_when_empty=None)
        if not isinstance(body, dict) or not isinstance(body.get("cause"), str):
            raise falcon.HTTPBadRequest(title="invalid body", description="cause is required")
        token = _access_token(body)
        if token is None and body["cause"] in TOKEN_CAUSES:
            raise falcon.HTTPBadRequest(
                title="invalid body",
                description=f"{body['cause']} needs access[0].access_token",
            )
        try:
            if token is None:
                account = refresh_account(account_id, body.get("accountName"))
            else:
                account = install_account(
                    account_id,
                    app_id,
                    token,
                    body.get("accountName"),
                    self._settings.encryption_secrets,
                )
        except ValueError as exc:
            raise falcon.HTTPBadRequest(title="invalid account id", description=str(exc)) from exc
        if account is None:
            raise falcon.HTTPNotFound(
                title="unknown account",
                description=f"{body['cause']} for an account never installed here",
            )
        if token is not None:
            self._enqueue_setup(str(account.id))
        resp.media = {"status": "Activated" if account.account_type else "SettingsRequired"}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, app_id: str, account_id: str):
        self._authorize(req, app_id)
        body = req.get_media(default_when_empty=None)
        cause = body.get("cause", "Uninstall") if isinstance(body, dict) else "Uninstall"
        if cause not in DEACTIVATION_STATUS:
            raise falcon.HTTPBadRequest(
                title="invalid body",
                description=f"cause must be one of {list(DEACTIVATION_STATUS)}",
            )
        try:
            known = deactivate_account(account_id, DEACTIVATION_STATUS[cause])
        except ValueError as exc:
            raise falcon.HTTPBadRequest(title="invalid account id", description=str(exc)) from exc
        # The vendor API: 200 deactivated, 204 never activated here; the body is empty.
        resp.status = falcon.HTTP_200 if known else falcon.HTTP_204

    def _authorize(self, req: falcon.Request, app_id: str) -> None:
        if not self._settings.vendor_app_id or app_id != self._settings.vendor_app_id:
            raise falcon.HTTPNotFound(title="unknown app", description="no such vendor app here")
        try:
            verify_vendor_jwt(
                req.get_header("Authorization"), self._settings.vendor_secret_key, self._redis
            )
        except VendorAuthError as exc:
            raise falcon.HTTPUnauthorized(
                title="vendor token rejected", description=str(exc)
            ) from exc
        except ReplayCheckUnavailable as exc:
            raise falcon.HTTPServiceUnavailable(title="try again", description=str(exc)) from exc

    def _enqueue_setup(self, account_id: str) -> None:
        try:
            enqueue_setup(self._redis, account_id)
        except RedisError:
            # The account is stored; the hourly check sets up every active account anyway.
            log.warning("setup of %s not queued (Redis unavailable)", account_id)


def _access_token(body: dict) -> str | None:
    try:
        token = body["access"][0]["access_token"]
    except (TypeError, KeyError, IndexError):
        return None
    return token if isinstance(token, str) and token else None
