"""gunicorn in production: ``gunicorn -c python:regie.settings.gunicorn regie.wsgi:application``.

Synchronous workers, one more than there are processors (ADR 0139): a worker takes a
connection only when it is free, so every request goes to a free worker and no client waits
behind a busy one while another worker idles; the extra worker runs while one waits for
PostgreSQL. Each worker keeps its own database connection (``CONN_MAX_AGE`` in the settings)
and its own kept representations (ADR 0125), so more workers mean more computing, not more
speed. Synchronous workers close the connection after each answer: run them behind a reverse
proxy that buffers requests and keeps the clients' connections open (the one that terminates
TLS), as gunicorn's documentation advises.

``REGIE_THREADS`` above 1 switches to threaded workers (``gthread``) with keep-alive
connections (``REGIE_KEEPALIVE_SECONDS``), the configuration before ADR 0139. Measured with
``python -m regie.api.bench`` (docs/api.md, ADR 0054). Override with the environment.
"""

from __future__ import annotations

import os


def worker_class_for(threads: int) -> str:
    """``gthread`` for more than one thread, else ``sync`` (as gunicorn does for ``--threads``)."""
    return "gthread" if threads > 1 else "sync"


threads = int(os.environ.get("REGIE_THREADS", "1"))
worker_class = worker_class_for(threads)
workers = int(os.environ.get("REGIE_WORKERS", str((os.cpu_count() or 1) + 1)))
keepalive = int(os.environ.get("REGIE_KEEPALIVE_SECONDS", "75"))  # gthread only
worker_connections = 1000  # gthread only
# A synchronous worker that has not answered within this time is restarted. The slowest
# legitimate request is a cold analysis of a national register on a busy machine (under a
# minute, docs/api.md); long imports run in a thread of their own (ADR 0068).
timeout = int(os.environ.get("REGIE_TIMEOUT_SECONDS", "180"))
graceful_timeout = 30
preload_app = True  # import Regie once in the master; the workers share that memory


def post_fork(server: object, worker: object) -> None:
    """A worker never shares a database connection the master may have opened while importing."""
    from django.db import connections

    connections.close_all()
