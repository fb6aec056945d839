"""What can go wrong talking to МойСклад, named for what happened."""


class MoySkladError(Exception):
    """Any failure of a МойСклад request."""


class MoySkladRequestError(MoySkladError):
    """МойСклад refused the request (a 4xx other than 429): sending it again will not help."""

    def __init__(self, status: int, code: int | None, message: str, errors: list | None = None):
        super().__init__(f"HTTP {status}, code {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors or []


class MoySkladNotFound(MoySkladRequestError):
    """404 (code 1021): the entity or webhook does not exist."""


class MoySkladAuthError(MoySkladRequestError):
    """401/403: the token is invalid or lacks the right."""


class MoySkladUnavailable(MoySkladError):
    """5xx or network errors persisted through every retry."""


class MoySkladRateLimited(MoySkladUnavailable):
    """429s persisted, or the shared limiter had no slot within its maximum wait."""
