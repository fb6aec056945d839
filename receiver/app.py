"""create_app(): the receiver's one factory (gunicorn runs `receiver.app:create_app()`)."""

import sys
import traceback

import falcon
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from receiver.db_guard import DatabaseGuard
from receiver.errors import DeliveryRejected
from receiver.intake import Intake, SpoolUnavailable
from receiver.metrics import ReceiverMetrics
from receiver.resources import HealthResource, MetricsResource, ReadyResource, ReceiveResource
from receiver.vendor import VENDOR_PATH, VendorResource
from store.db import init_database
from store.db_deadline import bounded_connect_params, install_wait_callback
from store.redaction import mask_secrets
from store.settings import RECEIVE_PATH, Settings, load_settings

# МойСклад gives up after 1.5 s; a Redis that does not answer must not eat that budget.
REDIS_CONNECT_TIMEOUT = 0.3
REDIS_SOCKET_TIMEOUT = 0.5


def create_app(settings: Settings | None = None, redis: Redis | None = None) -> falcon.App:
    settings = settings or load_settings()
    # Every wait on PostgreSQL is bounded, so a stalled server costs a spooled delivery, not
    # МойСклад's 1.5 s deadline. Deferred: the first request connects, after fork.
    install_wait_callback()
    bounds = bounded_connect_params(
        settings.receiver_connect_timeout_ms, settings.receiver_statement_timeout_ms
    )
    init_database(settings.database_url, **bounds)
    redis = redis or Redis.from_url(
        settings.redis_url,
        socket_connect_timeout=REDIS_CONNECT_TIMEOUT,
        socket_timeout=REDIS_SOCKET_TIMEOUT,
        # redis-py's default retries with backoff for ~4.6 s on a refused connection: far past
        # the deadline. One try, then the intake falls back (spool, or the sweeper queues it).
        retry=Retry(NoBackoff(), 0),
    )
    metrics = ReceiverMetrics(multiprocess=bool(settings.prometheus_multiproc_dir))
    intake = Intake(
        settings.signing_secrets,
        settings.max_body_bytes,
        redis,
        metrics,
        DatabaseGuard(settings.database_url, bounds),
    )
    metrics.spool_size = intake.spool_size

    app = falcon.App()
    app.add_route(RECEIVE_PATH + "{token}", ReceiveResource(intake))
    app.add_route("/healthz", HealthResource())
    app.add_route("/readyz", ReadyResource(intake))
    app.add_route("/metrics", MetricsResource(metrics))
    app.add_route(VENDOR_PATH, VendorResource(settings, redis))
    app.add_error_handler(Exception, _crashed)
    app.add_error_handler(DeliveryRejected, _rejected)
    app.add_error_handler(SpoolUnavailable, _unavailable)
    return app


def _crashed(req, resp, exc: Exception, params) -> None:
    # Falcon's own handler would write the request path (with the URL token) to the error log.
    errors = req.env.get("wsgi.errors") or sys.stderr
    errors.write(mask_secrets(f"{req.method} {req.path} failed:\n{traceback.format_exc()}"))
    resp.status = falcon.HTTP_500
    resp.media = {"status": "error", "message": "internal error (logged)"}


def _rejected(req, resp, exc: DeliveryRejected, params) -> None:
    resp.status = exc.status
    resp.media = {"status": "rejected", "error": exc.outcome, "message": exc.reason}


def _unavailable(req, resp, exc: SpoolUnavailable, params) -> None:
    # The only 5xx: nothing could keep the delivery, so МойСклад's re-sends are its best chance.
    resp.status = falcon.HTTP_503
    resp.media = {"status": "unavailable", "message": str(exc)}
