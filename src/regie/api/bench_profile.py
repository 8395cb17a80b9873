"""Single requests of each benchmark kind, timed in-process: ``python -m regie.api.bench --profile``.

Each request goes through Django's whole middleware stack (the test client calls the WSGI
handler without a socket). For every target it reports the processor time of this process per
request (median of ``repeat`` runs after one warm-up), the wall time (which includes waiting
for PostgreSQL) and the number of SQL queries; with ``top`` the heaviest functions under cProfile.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import statistics
import time
from typing import Any


def _one(client: Any, path: str, headers: dict[str, str]) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(path, headers=headers)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return cpu * 1000, wall * 1000, len(queries), int(response.status_code)


def profile_requests(plan: dict[str, Any], *, repeat: int = 20, top: int = 0) -> dict[str, Any]:
    """Time one target of each kind; return ``{kind: {path, cpuMs, wallMs, queries, status}}``."""
    from django.test import Client

    token = {"Authorization": f"Bearer {plan['token']}"}
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = plan["session"]
    result: dict[str, Any] = {}
    picks = {
        "list": plan["targets"]["list"],
        "detail": plan["targets"]["detail"][:1] + plan["targets"]["detail"][-1:],
        "analysis": plan["targets"]["analysis"],
        "dashboard": plan["targets"]["dashboard"],
    }
    for kind, paths in picks.items():
        headers = {} if kind == "dashboard" else token
        for path in paths:
            _one(client, path, headers)  # warm caches
            runs = [_one(client, path, headers) for _ in range(repeat)]
            entry = {
                "kind": kind,
                "cpuMs": round(statistics.median(r[0] for r in runs), 2),
                "wallMs": round(statistics.median(r[1] for r in runs), 2),
                "queries": runs[-1][2],
                "status": runs[-1][3],
            }
            result[path] = entry
            print(  # noqa: T201
                f"{kind:<10} cpu={entry['cpuMs']:>7} ms wall={entry['wallMs']:>7} ms "
                f"queries={entry['queries']:<3} status={entry['status']} {path}",
                flush=True,
            )
            if top:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(5):
                    client.get(path, headers=headers)
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
                print(out.getvalue())  # noqa: T201
    return result
