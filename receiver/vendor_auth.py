"""HS256 JWT verification of МойСклад's vendor API calls (keyed by the app's secret key)."""

import base64
import hashlib
import hmac
import json
import time

CLOCK_LEEWAY_SECONDS = 60  # tolerated difference between МойСклад's clock and ours


class VendorAuthError(Exception):
    """The Authorization header does not carry a valid JWT signed with our key."""


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verify_vendor_jwt(authorization: str | None, secret_key: str, now: float | None = None) -> dict:
    """The claims of a valid `Bearer <jwt>`; VendorAuthError for anything else."""
    if not secret_key:
        raise VendorAuthError("VENDOR_SECRET_KEY is not configured")
    if not authorization or not authorization.startswith("Bearer "):
        raise VendorAuthError("missing Bearer token")
    token = authorization[len("Bearer ") :].strip()
    parts = token.split(".")
    if len(parts) != 3:
        raise VendorAuthError("token is not a JWT")
    try:
        header = json.loads(_b64decode(parts[0]))
        claims = json.loads(_b64decode(parts[1]))
        signature = _b64decode(parts[2])
    except ValueError as exc:
        raise VendorAuthError("token is not a JWT") from exc
    if not isinstance(header, dict) or header.get("alg") != "HS256":
        raise VendorAuthError("token algorithm must be HS256")
    signed = f"{parts[0]}.{parts[1]}".encode()
    expected = hmac.new(secret_key.encode(), signed, hashlib.sha256).digest()
    if not hmac.compare_digest(signature, expected):
        raise VendorAuthError("token signature does not match")
    if not isinstance(claims, dict):
        raise VendorAuthError("token claims are not an object")
    _check_times(claims, time.time() if now is None else now)
    return claims


def _check_times(claims: dict, now: float) -> None:
    expires, issued = claims.get("exp"), claims.get("iat")
    if isinstance(expires, (int, float)) and now > expires + CLOCK_LEEWAY_SECONDS:
        raise VendorAuthError("token expired")
    if isinstance(issued, (int, float)) and issued > now + CLOCK_LEEWAY_SECONDS:
        raise VendorAuthError("token issued in the future")


def sign_vendor_jwt(claims: dict, secret_key: str) -> str:
    """An HS256 JWT as МойСклад builds it (for tests and local trials)."""

    def encode(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = encode(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = encode(json.dumps(claims).encode())
    mac = hmac.new(secret_key.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{encode(mac)}"
