"""Why a delivery is refused; each class carries its HTTP status. Mapped to HTTP in app.py."""


class DeliveryRejected(Exception):
    """A delivery that can never succeed: answered 4xx and recorded with its reason."""

    status = 400
    outcome = "rejected"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class UnknownToken(DeliveryRejected):
    """Forged or malformed URL token: answered, counted, never written (strangers fill nothing)."""

    status = 404
    outcome = "unknown_token"


class BodyTooLarge(DeliveryRejected):
    status = 413
    outcome = "too_large"


class NotJson(DeliveryRejected):
    outcome = "not_json"


class InvalidShape(DeliveryRejected):
    outcome = "invalid_shape"


class WrongAccount(DeliveryRejected):
    status = 403
    outcome = "wrong_account"


class InvalidRequestId(InvalidShape):
    """A requestId that cannot be a key: recorded under `key`, one derived from the request."""

    def __init__(self, reason: str, key: str):
        super().__init__(reason)
        self.key = key
