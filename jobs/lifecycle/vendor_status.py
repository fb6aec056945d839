"""Tell МойСклад's vendor API an account's app is ready: `PUT .../status {"status": "Activated"}`.

МойСклад was answered `SettingsRequired` while the account had no type; once an operator has
chosen main or child, this reports `Activated` (once: the vendor API accepts a repeat as a no-op).
"""

import time
import uuid

import jwt
import requests

from jobs import defaults
from jobs.context import current
from store.accounts import get_account


class VendorStatusError(Exception):
    """The vendor API did not accept the report (RQ retries it)."""


def report_activated(account_id: str, session: requests.Session | None = None) -> dict:
    settings = current().settings
    account = get_account(account_id)
    report = {"account_id": account_id, "status": "skipped"}
    if account is None or not account.app_id:
        return report | {"reason": "not installed through МойСклад's vendor API"}
    if not account.account_type or account.status != "active":
        return report | {"reason": f"type {account.account_type}, status {account.status}"}
    if not settings.vendor_secret_key or not settings.vendor_app_uid:
        raise VendorStatusError("VENDOR_SECRET_KEY and VENDOR_APP_UID are needed to report")
    now = int(time.time())
    token = jwt.encode(
        {
            "sub": settings.vendor_app_uid,
            "iat": now,
            "exp": now + defaults.VENDOR_JWT_LIFETIME,
            "jti": uuid.uuid4().hex,
        },
        settings.vendor_secret_key,
        algorithm="HS256",
    )
    url = f"{settings.vendor_api_url.rstrip('/')}/apps/{account.app_id}/{account.id}/status"
    answer = (session or requests.Session()).put(
        url,
        json={"status": "Activated"},
        headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"},
        timeout=defaults.VENDOR_REQUEST_TIMEOUT,
    )
    if answer.status_code != 200:
        raise VendorStatusError(f"vendor API answered {answer.status_code}: {answer.text[:300]}")
    return report | {"status": "reported", "reported": "Activated"}
