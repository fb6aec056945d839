"""МойСклад-shaped API errors: `{"errors": [{"error", "code", "moreInfo"}]}` with an HTTP status."""

MORE_INFO = "https://dev.moysklad.ru/doc/api/remap/1.2/#error_{}"

AUTH_FAILED = 1056
NOT_FOUND = 1021
UNKNOWN_TYPE = 1005
BAD_PARAMETER = 1002
BAD_JSON = 2016
BAD_PREFIX = 1062  # the real code for a malformed DisableByPrefix is unconfirmed
RATE_LIMIT = 1049
PARALLEL_LIMIT = 1073
SERVER_ERROR = 1000
MISSING_FIELD = 3000
UNKNOWN_FIELD = 1007
SYNC_ID_CHANGED = 1047
NOT_UNIQUE = 3006
BAD_VALUE = 3005
TOO_MANY_ITEMS = 2007
TOO_LARGE = 1044
WEBHOOK_NESTED_TYPE = 30000
WEBHOOK_UNKNOWN_ACTION = 30002
WEBHOOK_DUPLICATE = 30003
WEBHOOK_BAD_URL = 30005
WEBHOOK_TOO_MANY = 30007
WEBHOOK_ACTION_NOT_SUPPORTED = 30008
WEBHOOK_DIFF_TYPE = 30009
WEBHOOK_URL_TOO_LONG = 30010


class ApiError(Exception):
    """An error the simulated API answers with."""

    def __init__(self, status: int, code: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra: dict = {}

    def as_item(self) -> dict:
        item = {"error": self.message, "code": self.code, "moreInfo": MORE_INFO.format(self.code)}
        return item | self.extra

    def body(self) -> dict:
        return {"errors": [self.as_item()]}


def not_found(entity_type: str, entity_id: str) -> ApiError:
    return ApiError(404, NOT_FOUND, f"Объект '{entity_type}' с UUID '{entity_id}' не найден")


def bad_request(code: int, message: str) -> ApiError:
    return ApiError(400, code, message)
