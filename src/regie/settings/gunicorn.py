"""gunicorn in production: ``gunicorn -c python:regie.settings.gunicorn regie.wsgi:application``.

Threaded workers (``gthread``): one process per processor, so that Python code runs on every
processor, and a few threads per process so that a request waiting for PostgreSQL does not hold
the processor; idle keep-alive connections wait in the worker's poller and cost no thread.
Each thread keeps its database connection (``CONN_MAX_AGE`` in the settings). Measured with
``python -m regie.api.bench`` (docs/api.md, ADR 0054). Override with the environment.
"""

from __future__ import annotations

import os

worker_class = "gthread"
workers = int(os.environ.get("REGIE_WORKERS", str(max(2, os.cpu_count() or 1))))
threads = int(os.environ.get("REGIE_THREADS", "4"))
keepalive = int(os.environ.get("REGIE_KEEPALIVE_SECONDS", "75"))  # behind a proxy that reuses connections
worker_connections = 1000
timeout = 60
graceful_timeout = 30
preload_app = True  # import Regie once in the master; the workers share that memory


def post_fork(server: object, worker: object) -> None:
    """A worker never shares a database connection the master may have opened while importing."""
    from django.db import connections

    connections.close_all()
