"""Webhook URL tokens (keyed by APP_SECRET) and encryption of stored API tokens (ENCRYPTION_SECRET).

Each takes its secrets newest first: the first signs or encrypts, every one verifies or decrypts,
so either secret can rotate without breaking an account.
"""

import base64
import hashlib
import hmac
import uuid
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

MAC_HEX_CHARS = 32  # 128 bits: not guessable, and the URL stays far below 255 characters
Secrets = str | Sequence[str]  # one secret, or the current one first and then the previous ones


class TokenError(ValueError):
    """A webhook URL token that is malformed or not signed with our secret."""


def _mac(account_id: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), b"webhook:" + account_id.encode(), hashlib.sha256)
    return digest.hexdigest()[:MAC_HEX_CHARS]


def normalize_account_id(account_id: str) -> str:
    """МойСклад account ids are UUIDs; return the canonical lower-case form or raise ValueError."""
    return str(uuid.UUID(account_id))


def _newest_first(secrets: Secrets) -> list[str]:
    found = [secrets] if isinstance(secrets, str) else [s for s in secrets if s]
    if not found or not found[0]:
        raise ValueError("no secret given")
    return found


def webhook_token(account_id: str, secret: Secrets) -> str:
    """The URL token of an account: its id and a MAC (current secret), checked without a lookup."""
    account_id = normalize_account_id(account_id)
    return uuid.UUID(account_id).hex + _mac(account_id, _newest_first(secret)[0])


def account_id_from_token(token: str, secret: Secrets) -> str:
    """The account id a token was issued for; TokenError when it is forged or malformed."""
    if len(token) != 32 + MAC_HEX_CHARS or not token.isascii():
        raise TokenError("token has the wrong length or characters")
    try:
        account_id = str(uuid.UUID(hex=token[:32]))
    except ValueError as exc:
        raise TokenError("token does not start with an account id") from exc
    # Every secret is tried (no early exit), so timing does not tell which one matched.
    matches = [hmac.compare_digest(token[32:], _mac(account_id, s)) for s in _newest_first(secret)]
    if not any(matches):
        raise TokenError("token signature does not match")
    return account_id


UNDECRYPTABLE = "stored API token cannot be decrypted with ENCRYPTION_SECRET (or a previous one)"


def _fernet(secret: str) -> Fernet:
    key = hashlib.sha256(b"api-token-encryption:" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _keyring(secrets: Secrets) -> MultiFernet:
    return MultiFernet([_fernet(s) for s in _newest_first(secrets)])


def encrypt_api_token(api_token: str, secret: Secrets) -> str:
    return _keyring(secret).encrypt(api_token.encode()).decode()


def decrypt_api_token(encrypted: str, secret: Secrets) -> str:
    try:
        return _keyring(secret).decrypt(encrypted.encode()).decode()
    except InvalidToken as exc:
        raise TokenError(UNDECRYPTABLE) from exc


def reencrypt_api_token(encrypted: str, secret: Secrets) -> str:
    """The token encrypted with the current secret (MultiFernet.rotate); TokenError: none fits."""
    try:
        return _keyring(secret).rotate(encrypted.encode()).decode()
    except InvalidToken as exc:
        raise TokenError(UNDECRYPTABLE) from exc
