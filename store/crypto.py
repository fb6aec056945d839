"""Webhook URL tokens and encryption of stored API tokens, both keyed by APP_SECRET."""

import base64
import hashlib
import hmac
import uuid

from cryptography.fernet import Fernet, InvalidToken

MAC_HEX_CHARS = 32  # 128 bits: not guessable, and the URL stays far below 255 characters


class TokenError(ValueError):
    """A webhook URL token that is malformed or not signed with our secret."""


def _mac(account_id: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), b"webhook:" + account_id.encode(), hashlib.sha256)
    return digest.hexdigest()[:MAC_HEX_CHARS]


def normalize_account_id(account_id: str) -> str:
    """МойСклад account ids are UUIDs; return the canonical lower-case form or raise ValueError."""
    return str(uuid.UUID(account_id))


def webhook_token(account_id: str, secret: str) -> str:
    """The URL token of an account: its id and a MAC, verifiable without a database lookup."""
    account_id = normalize_account_id(account_id)
    return uuid.UUID(account_id).hex + _mac(account_id, secret)


def account_id_from_token(token: str, secret: str) -> str:
    """The account id a token was issued for; TokenError when it is forged or malformed."""
    if len(token) != 32 + MAC_HEX_CHARS:
        raise TokenError("token has the wrong length")
    try:
        account_id = str(uuid.UUID(hex=token[:32]))
    except ValueError as exc:
        raise TokenError("token does not start with an account id") from exc
    if not hmac.compare_digest(token[32:], _mac(account_id, secret)):
        raise TokenError("token signature does not match")
    return account_id


def _fernet(secret: str) -> Fernet:
    key = hashlib.sha256(b"api-token-encryption:" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_api_token(api_token: str, secret: str) -> str:
    return _fernet(secret).encrypt(api_token.encode()).decode()


def decrypt_api_token(encrypted: str, secret: str) -> str:
    try:
        return _fernet(secret).decrypt(encrypted.encode()).decode()
    except InvalidToken as exc:
        raise TokenError("stored API token cannot be decrypted with this APP_SECRET") from exc
