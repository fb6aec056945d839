"""The floor the receiver is measured against: a bare Falcon resource doing one raw psycopg2
INSERT of the body and one raw Redis LPUSH — the least any durable receiver must do.

Run by scripts/bench_receiver.py under gunicorn with the receiver's own gunicorn.conf.py.
"""

import os

import falcon
import psycopg2
from redis import Redis

from store.db import connect_params

FLOOR_TABLE = "bench_floor_deliveries"


class FloorResource:
    def __init__(self, database_url: str, redis_url: str):
        self._params = connect_params(database_url)
        self._redis = Redis.from_url(redis_url)
        self._connection = None  # opened by the first request, after fork

    def on_post(self, req: falcon.Request, resp: falcon.Response, token: str) -> None:
        body = req.bounded_stream.read()
        if self._connection is None:
            self._connection = psycopg2.connect(**self._params)
            self._connection.autocommit = True
        with self._connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {FLOOR_TABLE} (request_id, payload) VALUES (%s, %s)",
                (req.get_param("requestId"), body.decode()),
            )
        self._redis.lpush("bench:floor", req.get_param("requestId") or "")
        resp.media = {"status": "accepted"}


class HealthResource:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"status": "ok"}


def create_app() -> falcon.App:
    app = falcon.App()
    app.add_route("/healthz", HealthResource())
    resource = FloorResource(os.environ["DATABASE_URL"], os.environ["REDIS_URL"])
    app.add_route("/api/webhooks/receive/{token}", resource)
    return app
