"""The МойСклад client every job uses: headers, shared rate limit, retries, batched reads."""

from jobs.moysklad.client import MoySkladClient
from jobs.moysklad.errors import (
    MoySkladAuthError,
    MoySkladError,
    MoySkladNotFound,
    MoySkladRateLimited,
    MoySkladRequestError,
    MoySkladUnavailable,
)
from jobs.moysklad.factory import client_for_account

__all__ = [
    "MoySkladAuthError",
    "MoySkladClient",
    "MoySkladError",
    "MoySkladNotFound",
    "MoySkladRateLimited",
    "MoySkladRequestError",
    "MoySkladUnavailable",
    "client_for_account",
]
