"""МойСклад's side of the vendor API: it calls the app's endpoint when an account installs,
resumes, changes tariff, suspends or uninstalls the app, and hears the app's status reports.

Api-vendor-1.0-doc, includes/_6.1 (Аутентификация: HS256 JWT with iat, exp, jti),
_6.2 (Процессы активации, деактивации, приостановки), _6.3 (Активация / Деактивация решения на
аккаунте: PUT or DELETE {endpointBase}/api/moysklad/vendor/1.0/apps/{appId}/{accountId}, the
`X_Lognex_RequestId` header, `cause`; only Install and Resume carry `access`), _6.4 (Изменение
статуса решения на аккаунте).
"""

import time
import uuid
from dataclasses import dataclass, field

import jwt
import requests

VENDOR_PATH = "/api/moysklad/vendor/1.0/apps/{app_id}/{account_id}"
TOKEN_LIFETIME = 300  # seconds between iat and exp (the documented maximum)
CALL_TIMEOUT = 10.0  # МойСклад waits this long for the app's answer
FAILED = 551  # the app's own "lifecycle processing failed"
# The app's status report may move an installation only along these (else 409).
REPORTED = {"Activating": {"Activating", "SettingsRequired", "Activated"},
            "SettingsRequired": {"SettingsRequired", "Activated"},
            "Activated": {"Activated"}}  # fmt: skip


@dataclass
class App:
    app_id: str
    app_uid: str
    secret_key: str
    endpoint_base: str


@dataclass
class Installation:
    app_id: str
    account_id: str
    account_name: str
    status: str = "Activating"
    cause: str = "Install"
    token: str | None = None
    calls: list[dict] = field(default_factory=list)


def sign(app: App, now: float | None = None) -> str:
    issued = int(now if now is not None else time.time())
    claims = {"iat": issued, "exp": issued + TOKEN_LIFETIME, "jti": uuid.uuid4().hex}
    return jwt.encode(claims, app.secret_key, algorithm="HS256", headers={"typ": "JWT"})


def subscription() -> dict:
    return {"tariffId": "23ca69d4-0000-4000-8000-000000000001", "trial": False,
            "tariffName": "Basic", "notForResale": False, "partner": False}  # fmt: skip


def call(app: App, installation: Installation, method: str, body: dict) -> requests.Response:
    """One signed call to the app's endpoint; the answer decides the installation's status."""
    path = VENDOR_PATH.format(app_id=app.app_id, account_id=installation.account_id)
    headers = {"Authorization": f"Bearer {sign(app)}", "X_Lognex_RequestId": str(uuid.uuid4())}
    response = requests.request(
        method, app.endpoint_base.rstrip("/") + path, json=body, headers=headers,
        timeout=CALL_TIMEOUT,
    )  # fmt: skip
    installation.calls.append({"method": method, "body": body, "status": response.status_code})
    return response


def activation_status(response: requests.Response, cause: str) -> str:
    """What МойСклад makes of the app's answer to an activation."""
    if 400 <= response.status_code < 500 or response.status_code == FAILED:
        return "ActivationFailed"
    if response.status_code >= 500:
        return "Activating"  # МойСклад would retry for 3 minutes
    try:
        status = response.json().get("status")
    except ValueError:
        return "ActivationFailed"
    return status if status in REPORTED else "ActivationFailed"


def verify_report(app: App, authorization: str | None, seen: set[str]) -> dict:
    """Claims of the app's status report JWT (sub = appUid, one-time jti, ≤ 300 s lifetime)."""
    token = (authorization or "").removeprefix("Bearer ").strip()
    claims = jwt.decode(
        token, app.secret_key, algorithms=["HS256"], options={"require": ["iat", "jti"]}
    )
    if claims.get("sub") != app.app_uid:
        raise jwt.InvalidTokenError("sub is not the app's appUid")
    if claims["iat"] + TOKEN_LIFETIME < time.time() or claims["jti"] in seen:
        raise jwt.InvalidTokenError("token expired or already used")
    seen.add(claims["jti"])
    return claims
