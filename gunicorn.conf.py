"""gunicorn settings for the receiver: `gunicorn -c gunicorn.conf.py 'receiver.app:create_app()'`.

Tunables come from the environment (documented in the README). No --preload: each worker opens
its own PostgreSQL and Redis connections after fork.
"""

import multiprocessing
import os
import shutil

from store.settings import load_settings

# Refuse to start, with one line naming the variable, before a worker is forked.
load_settings()

bind = os.environ.get("RECEIVER_BIND", "127.0.0.1:8000")
# Sync workers: each request is two short round trips (INSERT, enqueue), no slow clients behind
# a proxy. 2 per core keeps both cores busy while one worker waits on PostgreSQL.
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2)))
worker_class = "sync"
backlog = 2048
timeout = 30
graceful_timeout = 20  # SIGTERM: finish the request in hand, then exit
keepalive = 5
max_requests = 0
accesslog = os.environ.get("RECEIVER_ACCESS_LOG", "-") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
# Masks the webhook URL token's MAC (and Bearer tokens) in the access and error logs.
logger_class = "receiver.log_masking.MaskingLogger"

_metrics_dir = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(os.getcwd(), "var", "metrics", str(os.getpid()))
)
raw_env = [f"PROMETHEUS_MULTIPROC_DIR={_metrics_dir}"]


def on_starting(server):
    # Counters of a previous run must not leak into this one.
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    os.makedirs(_metrics_dir, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    shutil.rmtree(_metrics_dir, ignore_errors=True)
