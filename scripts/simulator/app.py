"""The simulator's Falcon app: МойСклад's protocol rules as middleware, then the resources."""

import gzip
import json
import re
import time

import falcon

from scripts.simulator import (
    api_resources,
    control,
    dictionary_resources,
    vendor_resources,
    webhook_resources,
)
from scripts.simulator.errors import (
    BAD_JSON,
    BAD_PREFIX,
    SERVER_ERROR,
    TOO_LARGE,
    ApiError,
    bad_request,
)
from scripts.simulator.hrefs import API_PREFIX
from scripts.simulator.simulator import RecordedRequest, Simulator

PREFIX_PATTERN = re.compile(r"^https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d+)?(/[^\s,]*)?$")
FAULT_RETRY_AFTER_MS = 100  # an injected 429 asks for this short wait
MAX_HEADER_BYTES = 8 * 1024  # URL and headers (md/_restrictions.md)
MAX_BODY_BYTES = 20 * 1024 * 1024
PREFIX_HEADER = "X-Lognex-WebHook-DisableByPrefix"
PREFIXES_ENV = "simulator.disable_prefixes"  # each header line, as the server read them


def _prefixes(req: falcon.Request) -> tuple[str, ...]:
    """DisableByPrefix values: several prefixes are the header repeated (MOYSKLAD.md §4), one
    value is one prefix with scheme and domain."""
    values = req.env.get(PREFIXES_ENV)
    if values is None:
        header = req.get_header(PREFIX_HEADER)
        values = [header] if header else []
    prefixes = tuple(v.strip() for v in values)
    for prefix in prefixes:
        if not PREFIX_PATTERN.match(prefix):
            raise bad_request(BAD_PREFIX, f"Некорректный префикс '{prefix}': нужны схема и домен")
    return prefixes


class Protocol:
    """gzip rule, Bearer auth, limits, latency and faults; records every API request."""

    def __init__(self, sim: Simulator):
        self.sim = sim

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        req.context.started = time.monotonic()
        req.context.token = req.context.json = req.context.limits = None
        if not req.path.startswith(API_PREFIX):
            return
        if "gzip" not in (req.get_header("Accept-Encoding") or ""):
            resp.status, resp.data, resp.complete = falcon.HTTP_415, b"", True
            return
        auth = req.get_header("Authorization") or ""
        req.context.token = (
            auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else None
        )
        req.context.account_id, req.context.app_id = self.sim.authenticate(req.context.token)
        req.context.token_kind, req.context.weight = self.sim.token_weight(req.context.token)
        header_bytes = len(req.relative_uri) + sum(
            len(k) + len(v) + 4 for k, v in req.headers.items()
        )
        if header_bytes > MAX_HEADER_BYTES:
            raise ApiError(414, TOO_LARGE, "Заголовки и URL запроса длиннее 8 КБ")
        if (req.content_length or 0) > MAX_BODY_BYTES:
            raise ApiError(413, TOO_LARGE, "Тело запроса больше 20 МБ")
        req.context.prefixes = _prefixes(req)
        raw = req.bounded_stream.read()
        try:
            req.context.json = json.loads(raw) if raw else None
        except ValueError:
            raise bad_request(BAD_JSON, "Ошибка формата JSON в запросе") from None
        limits = self.sim.limits
        limits.enter(req.context.token, req.context.weight, req.context.account_id)
        req.context.limits = limits
        if self.sim.latency:
            time.sleep(self.sim.latency)
        status = self.sim.faults.take_status()
        if status is None and req.method == "GET":
            status = self.sim.faults.broken_read_status(req.relative_uri)
        if status:
            headers = {"X-Lognex-Retry-After": str(FAULT_RETRY_AFTER_MS)} if status == 429 else {}
            raise ApiError(
                status, 1049 if status == 429 else SERVER_ERROR, "Injected fault", headers
            )

    def process_response(self, req, resp, resource, req_succeeded) -> None:
        if not req.path.startswith(API_PREFIX):
            return
        if req.context.limits:
            req.context.limits.leave(req.context.token, req.context.account_id)
        if req.context.token in self.sim.tokens:
            # Every answer carries the limit's headers (resp.headers is a copy: set them).
            weight = max(getattr(req.context, "weight", 1), 1)
            for name, value in self.sim.limits.headers(req.context.token, weight).items():
                if resp.get_header(name) is None:
                    resp.set_header(name, value)
        body = resp.render_body()
        if body and "gzip" in (req.get_header("Accept-Encoding") or ""):
            resp.media, resp.text = None, None
            resp.data = gzip.compress(body, compresslevel=1)
            resp.set_header("Content-Encoding", "gzip")
        self.sim.record(
            RecordedRequest(
                method=req.method,
                path=req.path.removeprefix(API_PREFIX),
                query=dict(req.params),
                headers={k.lower(): v for k, v in req.headers.items()},
                json=req.context.json,
                status=int(resp.status_code),
                token=req.context.token,
                duration=time.monotonic() - req.context.started,
                token_kind=getattr(req.context, "token_kind", None),
                weight=getattr(req.context, "weight", 0),
            )
        )


def _api_error(req, resp, error: ApiError, params) -> None:
    resp.status = falcon.code_to_http_status(error.status)
    resp.media = error.body()
    for name, value in error.headers.items():
        resp.set_header(name, value)


def create_app(sim: Simulator) -> falcon.App:
    """The WSGI app serving `sim`: the API under /api/remap/1.2, controls under /_sim."""
    app = falcon.App(middleware=[Protocol(sim)])
    app.add_error_handler(ApiError, _api_error)
    webhook_resources.add_routes(app, sim, API_PREFIX)
    dictionary_resources.add_routes(app, sim, API_PREFIX)
    api_resources.add_routes(app, sim, API_PREFIX)
    control.add_routes(app, sim)
    vendor_resources.add_routes(app, sim)
    return app
