"""MoySkladClient: every request to МойСклад goes through here (headers, limits, retries)."""

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import requests
from redis import Redis
from urllib3.exceptions import NewConnectionError

from jobs.moysklad import defaults
from jobs.moysklad.errors import (
    MoySkladAuthError,
    MoySkladNotFound,
    MoySkladRateLimited,
    MoySkladRequestError,
    MoySkladUnavailable,
)
from jobs.moysklad.limiter import RateLimiter, requests_per_window

DEFAULT_TIMEOUT = defaults.REQUEST_TIMEOUT
# A request that failed on the way may have been applied: only these are sent again (a POST only
# when every item it creates carries a syncId, which makes the create idempotent).
IDEMPOTENT = frozenset({"GET", "PUT", "DELETE"})


def repeatable(method: str, body: Any) -> bool:
    """Whether sending this request twice cannot make two of anything."""
    if method in IDEMPOTENT:
        return True
    if method != "POST" or body is None:
        return False
    items = body if isinstance(body, list) else [body]
    return all(isinstance(i, dict) and ("syncId" in i or "meta" in i) for i in items)


CAMEL = {"entity_type": "entityType", "diff_type": "diffType"}


def request_error(response: requests.Response) -> MoySkladRequestError:
    """The exception for a 4xx answer, from МойСклад's `{"errors": [...]}` body."""
    try:
        errors = response.json().get("errors") or []
    except ValueError:
        errors = []
    first = errors[0] if errors else {}
    message = first.get("error") or response.reason or "request refused"
    kind = {404: MoySkladNotFound, 401: MoySkladAuthError, 403: MoySkladAuthError}.get(
        response.status_code, MoySkladRequestError
    )
    return kind(response.status_code, first.get("code"), message, errors)


def never_sent(error: requests.RequestException) -> bool:
    """The connection could not be made (refused, or the connect timed out): nothing was sent."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    reason = getattr(error.args[0] if error.args else None, "reason", None)
    return isinstance(error, requests.ConnectionError) and isinstance(reason, NewConnectionError)


def backoff(retry: int) -> float:
    return min(defaults.BACKOFF_BASE * 2 ** (retry - 1), defaults.BACKOFF_MAX)


class MoySkladClient:
    """One account's (one token's) access to the МойСклад JSON API 1.2."""

    def __init__(
        self,
        token: str,
        *,
        api_url: str,
        loop_guard_prefix: str,
        redis: Redis,
        session: requests.Session | None = None,
        timeout=DEFAULT_TIMEOUT,
        bulk_timeout=defaults.BULK_WRITE_TIMEOUT,
        sleep: Callable[[float], None] = time.sleep,
        token_kind: str = "app",
    ):
        self.api_url = api_url.rstrip("/")
        self.session = session or requests.Session()
        self.timeout = timeout
        self.bulk_timeout = bulk_timeout
        self.sleep = sleep
        self.token_kind = token_kind
        self.limiter = RateLimiter(redis, token, sleep=sleep, limit=requests_per_window(token_kind))
        self.headers = {
            "Authorization": f"Bearer {token}",
            "Accept-Encoding": "gzip",
            "X-Lognex-WebHook-DisableByPrefix": loop_guard_prefix,
        }

    def request(self, method: str, path: str, params: dict | None = None, body: Any = None) -> Any:
        """Send one request, waiting for the shared limiter and retrying what may succeed later."""
        url = path if path.startswith(("http://", "https://")) else self.api_url + path
        headers, data = dict(self.headers), None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body, ensure_ascii=False).encode()
        timeout = self.bulk_timeout if isinstance(body, list) else self.timeout
        failures = refusals = 0
        while True:
            try:
                with self.limiter.slot():
                    response = self.session.request(
                        method, url, params=params, data=data, headers=headers, timeout=timeout
                    )
            except requests.RequestException as error:
                failures += 1
                # A request that reached МойСклад may have been applied before the failure.
                again = never_sent(error) or repeatable(method, body)
                if not again or failures >= defaults.SERVER_ERROR_ATTEMPTS:
                    raise MoySkladUnavailable(f"{method} {url}: {error}") from error
                self.sleep(backoff(failures))
                continue
            self.limiter.observe(response.headers)
            status = response.status_code
            if status == 429:
                refusals += 1
                if refusals >= defaults.RATE_REFUSAL_ATTEMPTS:
                    raise MoySkladRateLimited(f"{method} {url}: 429 after {refusals} tries")
                self.sleep(self._retry_after(response))
            elif status >= 500:
                failures += 1
                if failures >= defaults.SERVER_ERROR_ATTEMPTS:
                    raise MoySkladUnavailable(
                        f"{method} {url}: HTTP {status} after {failures} tries"
                    )
                self.sleep(backoff(failures))
            elif status >= 400:
                raise request_error(response)
            else:
                return response.json() if response.content else None

    @staticmethod
    def _retry_after(response: requests.Response) -> float:
        """Seconds to wait after a 429; without the header it is the parallel limit."""
        value = response.headers.get("X-Lognex-Retry-After")
        try:
            return int(value) / 1000 if value else defaults.PARALLEL_REFUSAL_WAIT
        except ValueError:
            return defaults.PARALLEL_REFUSAL_WAIT

    def get(self, path: str, params: dict | None = None) -> dict:
        return self.request("GET", path, params)

    def post(self, path: str, json: Any) -> Any:
        return self.request("POST", path, body=json)

    def put(self, path: str, json: Any) -> dict:
        return self.request("PUT", path, body=json)

    def delete(self, path: str) -> None:
        self.request("DELETE", path)

    def iter_rows(self, path: str, params: dict | None = None) -> Iterator[dict]:
        """Every row of a list, following `meta.nextHref`."""
        page = self.get(path, {"limit": defaults.PAGE_LIMIT} | (params or {}))
        while True:
            yield from page.get("rows", [])
            next_href = page.get("meta", {}).get("nextHref")
            if not next_href:
                return
            page = self.get(next_href)

    def get_entities(
        self, entity_type: str, ids: list[str], expand: str | None = None
    ) -> list[dict]:
        """The entities that exist among `ids`, by batches of ≤ 100 ids per GET."""
        unique = list(dict.fromkeys(ids))
        rows: list[dict] = []
        for start in range(0, len(unique), defaults.ENTITY_BATCH):
            batch = unique[start : start + defaults.ENTITY_BATCH]
            params = {"filter": ";".join(f"id={i}" for i in batch), "limit": defaults.ENTITY_BATCH}
            if expand:
                params["expand"] = expand
            rows += self.get(f"/entity/{entity_type}", params).get("rows", [])
        return rows

    def list_webhooks(self) -> list[dict]:
        return list(self.iter_rows("/entity/webhook", {"limit": defaults.WEBHOOK_PAGE_LIMIT}))

    def create_webhook(
        self, url: str, entity_type: str, action: str, diff_type: str | None = None
    ) -> dict:
        body = {"url": url, "entityType": entity_type, "action": action}
        if diff_type:
            body["diffType"] = diff_type
        return self.post("/entity/webhook", body)

    def update_webhook(self, webhook_id: str, **fields: Any) -> dict:
        """Partial update; snake_case names (diff_type, entity_type) are accepted."""
        return self.put(
            f"/entity/webhook/{webhook_id}", {CAMEL.get(k, k): v for k, v in fields.items()}
        )

    def delete_webhook(self, webhook_id: str) -> None:
        self.delete(f"/entity/webhook/{webhook_id}")

    def price_types(self) -> list[dict]:
        return self.get("/context/companysettings/pricetype")
