"""Console users from CONSOLE_USERS: `name:role:hash,...`, passwords kept as PBKDF2 hashes only."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

ROLES = ("viewer", "operator")
HASH_SCHEME = "pbkdf2_sha256"
HASH_ITERATIONS = 240_000  # about 0.1 s per check on this kind of machine: slow enough for guessing
SALT_BYTES = 16


class UserSpecError(ValueError):
    """CONSOLE_USERS (or one entry of it) cannot be read; the message says which part."""


@dataclass(frozen=True)
class ConsoleUser:
    name: str
    role: str
    password_hash: str

    @property
    def can_act(self) -> bool:
        return self.role == "operator"


def hash_password(
    password: str, salt: bytes | None = None, iterations: int = HASH_ITERATIONS
) -> str:
    """`pbkdf2_sha256.iterations.salt.hash` (hex; no `:`, `,` or `$`: safe in env files)."""
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"{HASH_SCHEME}.{iterations}.{salt.hex()}.{digest.hex()}"


def verify_password(password: str, password_hash: str) -> bool:
    """Constant-time comparison of the password's hash with the stored one."""
    try:
        scheme, iterations, salt, expected = password_hash.split(".")
        if scheme != HASH_SCHEME:
            return False
        digest = hashlib.pbkdf2_hmac(
            "sha256", password.encode(), bytes.fromhex(salt), int(iterations)
        )
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), expected)


def user_entry(name: str, role: str, password: str) -> str:
    """One CONSOLE_USERS entry for this user (the password itself is not in it)."""
    if not name or any(c in name for c in ":, "):
        raise UserSpecError(f"user name must be non-empty without ':', ',' or spaces: {name!r}")
    if role not in ROLES:
        raise UserSpecError(f"role must be one of {ROLES}, got {role!r}")
    return f"{name}:{role}:{hash_password(password)}"


def parse_users(spec: str) -> dict[str, ConsoleUser]:
    """Users by name from a CONSOLE_USERS value; an unreadable entry is an error, not skipped."""
    users = {}
    for entry in filter(None, (part.strip() for part in spec.split(","))):
        parts = entry.split(":")
        if len(parts) != 3 or parts[1] not in ROLES or not parts[2].startswith(HASH_SCHEME + "."):
            name = parts[0] if parts else "?"
            raise UserSpecError(f"CONSOLE_USERS entry for {name!r} is not name:role:pbkdf2-hash")
        users[parts[0]] = ConsoleUser(*parts)
    return users


# Checked when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = hash_password("not a password", salt=b"\0" * SALT_BYTES)


def authenticate(users: dict[str, ConsoleUser], name: str, password: str) -> ConsoleUser | None:
    """The user when name and password match, else None (same work either way)."""
    user = users.get(name)
    matched = verify_password(password, user.password_hash if user else _DUMMY_HASH)
    return user if user is not None and matched else None
