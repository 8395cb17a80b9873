"""Load benchmark of the API: gunicorn on PostgreSQL, 32 concurrent clients, latency percentiles.

    python -m regie.api.bench --seconds 20 --clients 32 \\
        --database-url postgres://postgres@127.0.0.1:5432/regie_api_bench

:func:`run` creates the database if needed, migrates it, loads the demo (Gemeente Voorbeeld
and the fictional organisations) unless present, makes a token for the demo administrator,
starts gunicorn, and lets ``clients`` threads (stdlib ``http.client``, keep-alive) cycle over
list, detail and dashboard requests for ``seconds``. It reports p50/p95/p99 per kind and the
overall throughput; the target is p95 ≤ 100 ms for list and detail.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/regie_api_bench"
TARGET_P95_MS = 100.0


@dataclass
class KindResult:
    count: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float


@dataclass
class Report:
    seconds: float
    clients: int
    requests: int
    throughput_rps: float
    kinds: dict[str, KindResult] = field(default_factory=dict)

    @property
    def meets_target(self) -> bool:
        return all(self.kinds[k].p95_ms <= TARGET_P95_MS for k in ("list", "detail") if k in self.kinds)

    def as_dict(self) -> dict[str, Any]:
        return {
            "seconds": self.seconds,
            "clients": self.clients,
            "requests": self.requests,
            "throughputRps": round(self.throughput_rps, 1),
            "targetP95Ms": TARGET_P95_MS,
            "meetsTarget": self.meets_target,
            "kinds": {k: vars(v) for k, v in self.kinds.items()},
        }


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of the sorted values lie (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def _ensure_database(database_url: str) -> None:
    import psycopg

    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')  # name from our own configuration


def _prepare(database_url: str) -> dict[str, Any]:
    """Migrate, load the demo if absent, and return a token and the request targets."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from regie.accounts.models import User
    from regie.demo.build import build_demo, demo_present
    from regie.register.models import LegalEntity, Organisation, Process, Usage

    from .tokens import token_create

    if not demo_present():
        print("Loading the demo into the benchmark database (once) …", flush=True)  # noqa: T201
        build_demo()
    org = Organisation.objects.filter(code="gm9999").first() or Organisation.objects.order_by("pk").first()
    if org is None:
        raise RuntimeError("No organisation to benchmark.")
    user, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    if not user.is_superuser:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    _token, secret = token_create(
        user=user,
        name="benchmark",
        scope="read",
        organisation=org,
        expires_at=datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(hours=2),
    )
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    code = org.code
    usages = list(Usage.objects.filter(organisation=org).values_list("pk", flat=True)[:200])
    processes = list(Process.objects.filter(organisation=org).values_list("pk", flat=True)[:200])
    entities = list(LegalEntity.objects.values_list("pk", flat=True)[:200])
    return {
        "token": secret,
        "session": session.session_key,
        "targets": {
            "list": [
                f"/api/v1/organisations/{code}/usages?pageSize=50",
                f"/api/v1/organisations/{code}/processes?pageSize=50&sort=-availability",
                f"/api/v1/organisations/{code}/dependencies?pageSize=50",
                "/api/v1/legal-entities?pageSize=50",
                "/api/v1/services?pageSize=50",
            ],
            "detail": [
                *(f"/api/v1/organisations/{code}/usages/{pk}" for pk in usages),
                *(f"/api/v1/organisations/{code}/processes/{pk}" for pk in processes),
                *(f"/api/v1/legal-entities/{pk}" for pk in entities),
            ],
            "dashboard": [f"/o/{code}/analysis/"],
        },
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_gunicorn(database_url: str, port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "regie.settings.base",
        "REGIE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REGIE_LOG_LEVEL": "ERROR",
    }
    command = [
        sys.executable, "-m", "gunicorn", "regie.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
        "--worker-class", "gthread", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env)  # noqa: S603  (our own interpreter and arguments)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start within 30 s")


def _client(
    port: int,
    plan: dict[str, Any],
    stop: float,
    seed: int,
    *,
    out: dict[str, list[float]],
    errors: dict[str, int],
) -> None:
    rng = random.Random(seed)  # noqa: S311  (load pattern, not security)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    kinds = [k for k in ("list", "detail", "dashboard") if plan["targets"][k]]
    weights = {"list": 4, "detail": 5, "dashboard": 1}
    while time.monotonic() < stop:
        kind = rng.choices(kinds, [weights[k] for k in kinds])[0]
        target = rng.choice(plan["targets"][kind])
        headers = (
            {"Cookie": f"sessionid={plan['session']}"}
            if kind == "dashboard"
            else {"Authorization": f"Bearer {plan['token']}"}
        )
        started = time.perf_counter()
        try:
            conn.request("GET", target, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        elapsed = (time.perf_counter() - started) * 1000
        if ok:
            out[kind].append(elapsed)
        else:
            errors[kind] += 1
    conn.close()


def run(
    *,
    seconds: float = 20.0,
    clients: int = 32,
    database_url: str | None = None,
    workers: int | None = None,
    threads: int = 4,
) -> Report:
    """Benchmark list, detail and dashboard requests; see the module docstring."""
    url = database_url or os.environ.get("REGIE_API_BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    _ensure_database(url)
    plan = _prepare(url)
    port = _free_port()
    server = _start_gunicorn(url, port, workers or max(2, (os.cpu_count() or 2)), threads)
    try:
        # Warm up every worker and cache before measuring.
        warm = time.monotonic() + 2
        _client(
            port,
            plan,
            warm,
            0,
            out={k: [] for k in plan["targets"]},
            errors=dict.fromkeys(plan["targets"], 0),
        )
        timings: list[dict[str, list[float]]] = [{k: [] for k in plan["targets"]} for _ in range(clients)]
        errors: list[dict[str, int]] = [dict.fromkeys(plan["targets"], 0) for _ in range(clients)]
        started = time.monotonic()
        stop = started + seconds
        pool = [
            threading.Thread(
                target=_client,
                args=(port, plan, stop, i + 1),
                kwargs={"out": timings[i], "errors": errors[i]},
            )
            for i in range(clients)
        ]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
    report = Report(seconds=round(elapsed, 1), clients=clients, requests=0, throughput_rps=0.0)
    for kind in plan["targets"]:
        values = [v for t in timings for v in t[kind]]
        failed = sum(e[kind] for e in errors)
        report.kinds[kind] = KindResult(
            count=len(values),
            errors=failed,
            p50_ms=round(statistics.median(values), 1) if values else float("nan"),
            p95_ms=round(percentile(values, 0.95), 1),
            p99_ms=round(percentile(values, 0.99), 1),
        )
        report.requests += len(values)
    report.throughput_rps = report.requests / elapsed if elapsed else 0.0
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m regie.api.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the report as JSON here")
    args = parser.parse_args(argv)
    report = run(
        seconds=args.seconds, clients=args.clients, database_url=args.database_url, workers=args.workers
    )
    print(f"{report.requests} requests in {report.seconds} s by {report.clients} clients: "  # noqa: T201
          f"{report.throughput_rps:.0f} req/s")  # fmt: skip
    for kind, result in report.kinds.items():
        print(f"  {kind:<10} n={result.count:<6} errors={result.errors:<4} "  # noqa: T201
              f"p50={result.p50_ms} ms  p95={result.p95_ms} ms  p99={result.p99_ms} ms")  # fmt: skip
    print(f"  target p95 <= {TARGET_P95_MS:.0f} ms for list and detail: "  # noqa: T201
          f"{'met' if report.meets_target else 'NOT met'}")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(report.as_dict(), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
