"""HS256 JWT verification of МойСклад's vendor API calls (PyJWT, keyed by the app's secret key).

`exp`, `iat` and `jti` are required; a `jti` is accepted once: it is kept in Redis until the
token has expired (plus the leeway), so a replay within the token's lifetime is refused.
"""

import time

import jwt
from redis import Redis
from redis.exceptions import RedisError

CLOCK_LEEWAY_SECONDS = 30  # tolerated difference between МойСклад's clock and ours
REQUIRED_CLAIMS = ["exp", "iat", "jti"]
SEEN_JTI_KEY = "vendor:jti:{}"


class VendorAuthError(Exception):
    """The Authorization header does not carry a valid, unused JWT signed with our key."""


class ReplayCheckUnavailable(Exception):
    """Redis cannot say whether the token was used before (answered 503: МойСклад retries)."""


def verify_vendor_jwt(authorization: str | None, secret_key: str, redis: Redis) -> dict:
    """The claims of a valid, first-seen `Bearer <jwt>`; VendorAuthError for anything else."""
    if not secret_key:
        raise VendorAuthError("VENDOR_SECRET_KEY is not configured")
    if not authorization or not authorization.startswith("Bearer "):
        raise VendorAuthError("missing Bearer token")
    try:
        claims = jwt.decode(
            authorization[len("Bearer ") :].strip(),
            secret_key,
            algorithms=["HS256"],
            options={"require": REQUIRED_CLAIMS},
            leeway=CLOCK_LEEWAY_SECONDS,
        )
    except jwt.PyJWTError as exc:
        raise VendorAuthError(f"token rejected: {exc}") from exc
    if not isinstance(claims["jti"], str) or not claims["jti"]:
        raise VendorAuthError("token rejected: jti must be a non-empty string")
    _accept_once(redis, claims)
    return claims


def _accept_once(redis: Redis, claims: dict) -> None:
    ttl = max(1, int(claims["exp"] - time.time()) + CLOCK_LEEWAY_SECONDS)
    try:
        first = redis.set(SEEN_JTI_KEY.format(claims["jti"]), 1, nx=True, ex=ttl)
    except RedisError as exc:
        raise ReplayCheckUnavailable("cannot check the token's jti (Redis unavailable)") from exc
    if not first:
        raise VendorAuthError("token rejected: jti already used")


def sign_vendor_jwt(claims: dict, secret_key: str) -> str:
    """An HS256 JWT as МойСклад builds it (for tests and local trials)."""
    return jwt.encode(claims, secret_key, algorithm="HS256")
