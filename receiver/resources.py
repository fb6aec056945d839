"""HTTP resources: receive a delivery, health, readiness, metrics. Thin: parse, call, answer."""

import time

import falcon
from redis import Redis
from redis.exceptions import RedisError

from receiver.intake import Intake
from receiver.metrics import ReceiverMetrics
from store.redis_durability import durability_problems


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
    """Ready when PostgreSQL and Redis answer; `problems` names what puts the promise at risk
    (a spool Redis that would lose deliveries) without making the receiver unready."""

    def __init__(self, intake: Intake, redis: Redis):
        self._intake = intake
        self._redis = redis

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        checks = self._intake.readiness()
        try:
            problems = durability_problems(self._redis) if checks["redis"] else {}
        except RedisError:
            problems = {}
        resp.media = {"status": "ready" if all(checks.values()) else "not ready", **checks}
        if problems:
            resp.media["problems"] = problems
        if not all(checks.values()):
            resp.status = falcon.HTTP_503


class MetricsResource:
    def __init__(self, metrics: ReceiverMetrics):
        self._metrics = metrics

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = "text/plain; version=0.0.4; charset=utf-8"
        resp.data = self._metrics.render()
