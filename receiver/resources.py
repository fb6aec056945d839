"""HTTP resources: receive a delivery, health, readiness, metrics. Thin: parse, call, answer."""

import time

import falcon

from receiver.intake import Intake
from receiver.metrics import ReceiverMetrics


class ReceiveResource:
    def __init__(self, intake: Intake):
        self._intake = intake

    def on_post(self, req: falcon.Request, resp: falcon.Response, token: str) -> None:
        started = time.perf_counter()
        body = _body(req).read(self._intake.max_body_bytes + 1)
        resp.media = self._intake.receive(
            token, req.get_param("requestId"), req.content_length, body, started
        )


def _body(req: falcon.Request):
    """The body stream: bounded by Content-Length, or read to its end when the server says the
    stream ends by itself (`Transfer-Encoding: chunked` under gunicorn: wsgi.input_terminated)."""
    if req.content_length is None and req.env.get("wsgi.input_terminated"):
        return req.stream
    return req.bounded_stream


class HealthResource:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"status": "ok"}


class ReadyResource:
    def __init__(self, intake: Intake):
        self._intake = intake

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        checks = self._intake.readiness()
        resp.media = {"status": "ready" if all(checks.values()) else "not ready", **checks}
        if not all(checks.values()):
            resp.status = falcon.HTTP_503


class MetricsResource:
    def __init__(self, metrics: ReceiverMetrics):
        self._metrics = metrics

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = "text/plain; version=0.0.4; charset=utf-8"
        resp.data = self._metrics.render()
