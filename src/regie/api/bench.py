"""Load benchmark of the API: gunicorn on PostgreSQL with national synthetic data, 32 clients.

    python -m regie.api.bench --seconds 20 --clients 32 --json var/bench/api.json \\
        [--database-url postgres://postgres@127.0.0.1:5432/regie_api_bench] [--scale national]

:func:`run` creates the database if needed, migrates it and, when it holds no organisation,
writes the synthetic landscape of ``--scale`` into it (``national``: 1,600 organisations,
~96,000 processes, ~600,000 usages, 20,000 services; the bulk path of ``regie bench``, ADR
0085). It makes a read token narrowed to one organisation and a web session, starts gunicorn
(the production server configuration of ``regie.settings.gunicorn``) and then runs the load
generator (:mod:`regie.api.loadgen`, a separate process: asyncio, keep-alive where the server
keeps the connection open, closed loop, no think time) twice: a **baseline** with one client,
then the **load** with ``clients`` concurrent clients for ``seconds``. Kinds: ``list`` and
``detail`` (API, token), ``analysis`` (the API's analysis of the organisation, token) and
``dashboard`` (the web analysis page, session). It reports p50/p95/p99, errors and throughput
per kind, the ratio of the loaded p95 to the baseline p95 (same process, same data, same
server), and the processor time the generator, the server and PostgreSQL each used, as a share
of the machine.

Targets (issue 5): p95 <= 100 ms for list and detail, <= 250 ms for analysis endpoints, zero
errors. ``--profile`` instead times single requests of each kind in-process (processor time
and SQL queries per request, the Django test client through the whole middleware stack).
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from regie.settings.gunicorn import worker_class_for

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/regie_api_bench"
TARGET_P95_MS = {"list": 100.0, "detail": 100.0, "analysis": 250.0, "dashboard": 250.0}
WEIGHTS = {"list": 4.0, "detail": 5.0, "analysis": 0.5, "dashboard": 0.5}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class KindResult:
    count: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    target_p95_ms: float
    baseline_p95_ms: float  # one client, same server and data, measured just before
    ratio_p95: float  # loaded p95 / baseline p95

    @property
    def meets_target(self) -> bool:
        return self.errors == 0 and self.p95_ms <= self.target_p95_ms


@dataclass
class Report:
    scale: str
    organisations: int
    seconds: float
    clients: int
    workers: int
    threads: int
    requests: int = 0
    errors: int = 0
    throughput_rps: float = 0.0
    baseline_throughput_rps: float = 0.0
    kinds: dict[str, KindResult] = field(default_factory=dict)
    cpu_share: dict[str, float] = field(default_factory=dict)  # of the whole machine, 0..1
    cpu_ms_per_request: dict[str, float] = field(default_factory=dict)  # server, PostgreSQL, generator
    # the same load with REGIE_REPRESENTATION_CACHE=0: every representation computed (ADR 0125)
    uncached: dict[str, Any] = field(default_factory=dict)
    warm_up: dict[str, float] = field(default_factory=dict)  # until the caches are warm (cold start)

    @property
    def dedicated_estimate(self) -> dict[str, float]:
        """What the measured processor time per request allows on a machine of our own: the
        throughput if every processor served only this benchmark, and the mean latency of
        ``clients`` closed-loop clients at that throughput (Little's law: L = X * R)."""
        per_request = sum(self.cpu_ms_per_request.values())
        if per_request <= 0:
            return {}
        throughput = (os.cpu_count() or 1) * 1000 / per_request
        return {
            "throughputRps": round(throughput, 1),
            "meanLatencyMs": round(self.clients / throughput * 1000, 1),
        }

    @property
    def meets_target(self) -> bool:
        return all(k.meets_target for k in self.kinds.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "scale": self.scale,
            "organisations": self.organisations,
            "seconds": self.seconds,
            "clients": self.clients,
            "server": {
                "workers": self.workers,
                "threads": self.threads,
                "workerClass": worker_class_for(self.threads),
            },
            "cpus": os.cpu_count(),
            "requests": self.requests,
            "errors": self.errors,
            "throughputRps": round(self.throughput_rps, 1),
            "baselineThroughputRps": round(self.baseline_throughput_rps, 1),
            "meetsTarget": self.meets_target,
            "cpuShare": {k: round(v, 3) for k, v in self.cpu_share.items()},
            "cpuMsPerRequest": {k: round(v, 2) for k, v in self.cpu_ms_per_request.items()},
            "dedicatedEstimate": self.dedicated_estimate,
            "warmUp": self.warm_up,
            "uncached": self.uncached,
            "kinds": {k: {**vars(v), "meetsTarget": v.meets_target} for k, v in self.kinds.items()},
        }


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of the sorted values lie (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))
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


def _seed(scale: str) -> None:
    """Write the synthetic landscape (bulk path, ADR 0085) and move the id sequences past it."""
    from django.core.management import call_command
    from django.db import connection

    from regie.analysis.bench import _fast_writes, end_fast_writes, write_catalogue, write_organisations
    from regie.core.synthetic import synthetic_columns

    print(f"Writing the {scale} synthetic landscape into the benchmark database (once) …", flush=True)  # noqa: T201
    cat, cols = synthetic_columns(scale)
    fast = _fast_writes("default")
    write_catalogue("default", cat)
    write_organisations("default", cols)
    if fast:
        end_fast_writes("default")  # triggers on again, control chains filled in
    with connection.cursor() as cursor:
        out = tempfile.SpooledTemporaryFile(mode="w+")  # noqa: SIM115
        call_command("sqlsequencereset", "register", stdout=out, no_color=True)
        out.seek(0)
        cursor.execute(out.read())
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would: visibility map for index-only counts
    from .revision import bump_all

    bump_all()  # the fast path wrote with the revision triggers off


def _prepare(database_url: str, scale: str) -> dict[str, Any]:
    """Migrate, seed if empty, and return a token, a session and the request targets."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from regie.accounts.models import User
    from regie.accounts.services import membership_set
    from regie.register.models import LegalEntity, Organisation, Process, Service, Usage

    from .tokens import token_create

    if not Organisation.objects.exists():
        _seed(scale)
    # The last organisation: its rows come last in every table, where a missing index shows.
    org = Organisation.objects.order_by("-pk").first()
    if org is None:
        raise RuntimeError("No organisation to benchmark.")
    # A member of one organisation, as most users are (a superuser's menu lists all 1,600).
    user, _ = User.objects.get_or_create(username="bench-viewer")
    membership_set(actor=None, user=user, organisation=org, role="viewer")
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
    session["regie_org"] = org.code
    session.create()
    code = org.code
    usages = list(Usage.objects.filter(organisation=org).values_list("pk", flat=True)[:200])
    processes = list(Process.objects.filter(organisation=org).values_list("pk", flat=True)[:60])
    entities = list(LegalEntity.objects.order_by("?").values_list("pk", flat=True)[:200])
    services = list(Service.objects.order_by("?").values_list("pk", flat=True)[:200])
    return {
        "organisations": Organisation.objects.count(),
        "token": secret,
        "session": session.session_key,
        "targets": {
            "list": [
                f"/api/v1/organisations/{code}/usages?pageSize=50",
                f"/api/v1/organisations/{code}/usages?status=in_production&sort=-productionOn&pageSize=50",
                f"/api/v1/organisations/{code}/processes?pageSize=50&sort=-availability",
                f"/api/v1/organisations/{code}/dependencies?pageSize=50",
                "/api/v1/legal-entities?pageSize=50",
                "/api/v1/services?pageSize=50",
                "/api/v1/services?pageSize=50&page=40",
            ],
            "detail": [
                *(f"/api/v1/organisations/{code}/usages/{pk}" for pk in usages),
                *(f"/api/v1/organisations/{code}/processes/{pk}" for pk in processes),
                *(f"/api/v1/legal-entities/{pk}" for pk in entities),
                *(f"/api/v1/services/{pk}" for pk in services),
            ],
            "analysis": [f"/api/v1/organisations/{code}/analysis"],
            "dashboard": [f"/o/{code}/analysis/"],
        },
    }


def _headers(plan: dict[str, Any]) -> dict[str, dict[str, str]]:
    token = {"Authorization": f"Bearer {plan['token']}"}
    return {
        "list": token,
        "detail": token,
        "analysis": token,
        "dashboard": {"Cookie": f"sessionid={plan['session']}"},
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env(database_url: str) -> dict[str, str]:
    """The production settings, on plain HTTP on the loopback interface."""
    static = Path(os.environ.get("REGIE_VAR_DIR", "var")) / "bench" / "static"
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "regie.settings.production",
        "REGIE_SECRET_KEY": secrets.token_urlsafe(48),
        "REGIE_SSL_REDIRECT": "0",
        "REGIE_STATIC_ROOT": str(static.resolve()),
        "REGIE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REGIE_LOG_LEVEL": "ERROR",
    }


def _start_gunicorn(env: dict[str, str], port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    subprocess.run([sys.executable, "-m", "django", "collectstatic", "--noinput", "-v0"], env=env, check=True)
    command = [
        sys.executable, "-m", "gunicorn", "regie.wsgi:application",
        "--config", "python:regie.settings.gunicorn",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
        "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env)  # noqa: S603  (our own interpreter and arguments)
    deadline = time.monotonic() + 120  # a busy shared machine takes a while to import Django
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start within 120 s")


def _cpu_seconds(pid: int) -> float:
    """User and system processor time of one process, from /proc (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _delta(before: dict[int, float], after: dict[int, float], pid: int) -> float:
    """Processor seconds of one process between the two readings. A process gone by the second
    reading (a database connection closed after CONN_MAX_AGE) reads 0 there: its time since the
    first reading is lost, so the PostgreSQL figure is a lower bound."""
    return max(0.0, after.get(pid, 0.0) - before.get(pid, 0.0))


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _machine_busy() -> tuple[float, float]:
    """Busy and total processor seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    return (total - idle) / CLOCK_TICKS, total / CLOCK_TICKS


def _postgres_backends(database_url: str) -> list[int]:
    import psycopg

    name = urlparse(database_url).path.lstrip("/")
    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (name,)
        ).fetchall()
    return [int(r[0]) for r in rows]


def _load(port: int, plan: dict[str, Any], *, clients: int, seconds: float, seed: int) -> dict[str, Any]:
    """Run the load generator in its own process; return its result and its processor time."""
    spec = {
        "port": port,
        "clients": clients,
        "seconds": seconds,
        "seed": seed,
        "weights": WEIGHTS,
        "targets": plan["targets"],
        "headers": _headers(plan),
    }
    done = subprocess.run(
        [sys.executable, "-m", "regie.api.loadgen"],
        input=json.dumps(spec).encode(),
        capture_output=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _warm_up(port: int, plan: dict[str, Any], *, clients: int, limit_s: float = 120.0) -> dict[str, float]:
    """Rounds of load until every worker has compiled the catalogue and cached the analysis:
    a round in which no request took over a second (at most ``limit_s``). Returns the time it
    took and the slowest request seen (the cold start), which the report shows apart."""
    started = time.monotonic()
    slowest = 0.0
    rounds = 0
    while time.monotonic() - started < limit_s:
        rounds += 1
        result = _load(port, plan, clients=clients, seconds=3, seed=100 + rounds)
        worst = max((max(v) for v in result["latencies_ms"].values() if v), default=0.0)
        slowest = max(slowest, worst)
        if worst < 1000 and rounds > 1:
            break
    return {"seconds": round(time.monotonic() - started, 1), "rounds": rounds, "slowestMs": round(slowest, 1)}


def _uncached(
    env: dict[str, str],
    port: int,
    plan: dict[str, Any],
    url: str,
    *,
    workers: int,
    threads: int,
    clients: int,
    seconds: float,
) -> dict[str, Any]:
    """The same mix on a server that keeps no representation: what computing them costs."""
    server = _start_gunicorn({**env, "REGIE_REPRESENTATION_CACHE": "0"}, port, workers, threads)
    try:
        _warm_up(port, plan, clients=min(clients, 8))
        pids = [server.pid, *_children(server.pid)]
        pg = _postgres_backends(url)
        before = {p: _cpu_seconds(p) for p in pids + pg}
        loaded = _load(port, plan, clients=clients, seconds=seconds, seed=3)
        pg = sorted(set(pg) | set(_postgres_backends(url)))
        after = {p: _cpu_seconds(p) for p in pids + pg}
    finally:
        server.terminate()
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    served = sum(len(v) for v in loaded["latencies_ms"].values()) + sum(loaded["errors"].values())
    if not served:
        return {}
    cost = {
        "server": sum(_delta(before, after, p) for p in pids) * 1000 / served,
        "postgresql": sum(_delta(before, after, p) for p in pg) * 1000 / served,
        "generator": float(loaded["cpu_s"]) * 1000 / served,
    }
    throughput = (os.cpu_count() or 1) * 1000 / sum(cost.values())
    return {
        "requests": served,
        "errors": sum(loaded["errors"].values()),
        "throughputRps": round(served / float(loaded["elapsed_s"]), 1),
        "cpuMsPerRequest": {k: round(v, 2) for k, v in cost.items()},
        "dedicatedEstimate": {
            "throughputRps": round(throughput, 1),
            "meanLatencyMs": round(clients / throughput * 1000, 1),
        },
        "p95Ms": {k: round(percentile(v, 0.95), 1) for k, v in loaded["latencies_ms"].items()},
    }


def run(
    *,
    seconds: float = 20.0,
    clients: int = 32,
    database_url: str | None = None,
    workers: int | None = None,
    threads: int | None = None,
    scale: str = "national",
) -> Report:
    """Benchmark list, detail, analysis and dashboard requests; see the module docstring."""
    from regie.settings import gunicorn as conf

    url = database_url or os.environ.get("REGIE_API_BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    _ensure_database(url)
    env = _server_env(url)
    os.environ["REGIE_SECRET_KEY"] = env["REGIE_SECRET_KEY"]  # the session must be signed with it
    plan = _prepare(url, scale)
    port = _free_port()
    workers = workers or conf.workers
    threads = threads or conf.threads
    server = _start_gunicorn(env, port, workers, threads)
    try:
        warm_up = _warm_up(port, plan, clients=min(clients, 8))
        baseline = _load(port, plan, clients=1, seconds=max(5.0, seconds / 4), seed=1)
        server_pids = [server.pid, *_children(server.pid)]
        pg_pids = _postgres_backends(url)
        before = {p: _cpu_seconds(p) for p in server_pids + pg_pids}
        busy0, total0 = _machine_busy()
        loaded = _load(port, plan, clients=clients, seconds=seconds, seed=2)
        busy1, total1 = _machine_busy()
        pg_pids = sorted(set(pg_pids) | set(_postgres_backends(url)))
        after = {p: _cpu_seconds(p) for p in server_pids + pg_pids}
    finally:
        server.terminate()
        try:
            server.wait(timeout=40)  # gunicorn's graceful timeout is 30 s
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    uncached = _uncached(
        env, port, plan, url, workers=workers, threads=threads, clients=clients, seconds=max(5.0, seconds / 2)
    )
    elapsed = float(loaded["elapsed_s"])
    machine = elapsed * (os.cpu_count() or 1)
    report = Report(
        scale=scale,
        organisations=int(plan["organisations"]),
        seconds=round(elapsed, 1),
        clients=clients,
        workers=workers,
        threads=threads,
        warm_up=warm_up,
        uncached=uncached,
    )
    report.cpu_share = {
        "generator": float(loaded["cpu_s"]) / machine,
        "server": sum(_delta(before, after, p) for p in server_pids) / machine,
        "postgresql": sum(_delta(before, after, p) for p in pg_pids) / machine,
        "machine": (busy1 - busy0) / (total1 - total0) if total1 > total0 else float("nan"),
    }
    base_requests = sum(len(v) for v in baseline["latencies_ms"].values())
    report.baseline_throughput_rps = base_requests / float(baseline["elapsed_s"])
    for kind, values in loaded["latencies_ms"].items():
        base_p95 = percentile(baseline["latencies_ms"][kind], 0.95)
        p95 = percentile(values, 0.95)
        report.kinds[kind] = KindResult(
            count=len(values),
            errors=int(loaded["errors"][kind]),
            p50_ms=round(percentile(values, 0.5), 1),
            p95_ms=round(p95, 1),
            p99_ms=round(percentile(values, 0.99), 1),
            target_p95_ms=TARGET_P95_MS[kind],
            baseline_p95_ms=round(base_p95, 1),
            ratio_p95=round(p95 / base_p95, 1) if base_p95 > 0 else float("nan"),
        )
        report.requests += len(values)
        report.errors += int(loaded["errors"][kind])
    report.throughput_rps = report.requests / elapsed if elapsed else 0.0
    served = report.requests + report.errors
    if served:
        report.cpu_ms_per_request = {
            k: report.cpu_share[k] * machine * 1000 / served for k in ("server", "postgresql", "generator")
        }
    return report


def print_report(report: Report) -> None:
    share = report.cpu_share
    threads = f" x {report.threads} threads" if report.threads > 1 else ""
    print(  # noqa: T201
        f"{report.scale}: {report.organisations} organisations; gunicorn {report.workers} "
        f"{worker_class_for(report.threads)} workers{threads} on {os.cpu_count()} processors\n"
        f"{report.requests} requests, {report.errors} errors in {report.seconds} s by {report.clients} "
        f"closed-loop clients: {report.throughput_rps:.0f} req/s (one client: "
        f"{report.baseline_throughput_rps:.0f} req/s)\n"
        f"processor share of the machine: generator {share['generator']:.0%}, server "
        f"{share['server']:.0%}, PostgreSQL {share['postgresql']:.0%}, whole machine {share['machine']:.0%}"
    )
    print(  # noqa: T201
        f"warm-up: {report.warm_up['seconds']} s in {report.warm_up['rounds']:.0f} rounds; "
        f"slowest (cold) request {report.warm_up['slowestMs']:.0f} ms"
    )
    cost = report.cpu_ms_per_request
    if cost:
        estimate = report.dedicated_estimate
        print(  # noqa: T201
            f"processor time per request: server {cost['server']:.1f} ms, "
            f"PostgreSQL {cost['postgresql']:.1f} ms, "
            f"generator {cost['generator']:.1f} ms; on {os.cpu_count()} processors of its own that allows "
            f"{estimate['throughputRps']:.0f} req/s, a mean latency of {estimate['meanLatencyMs']:.0f} ms "
            f"for {report.clients} clients"
        )
    if report.uncached:
        u = report.uncached
        c = u["cpuMsPerRequest"]
        print(  # noqa: T201
            f"without kept representations (REGIE_REPRESENTATION_CACHE=0, {u['requests']} requests, "
            f"{u['errors']} errors): server {c['server']:.1f} ms, PostgreSQL {c['postgresql']:.1f} ms, "
            f"generator {c['generator']:.1f} ms per request; on its own processors "
            f"{u['dedicatedEstimate']['throughputRps']:.0f} req/s, mean latency "
            f"{u['dedicatedEstimate']['meanLatencyMs']:.0f} ms; p95 {u['p95Ms']}"
        )
    for kind, r in report.kinds.items():
        print(  # noqa: T201
            f"  {kind:<10} n={r.count:<6} errors={r.errors:<3} p50={r.p50_ms} ms  p95={r.p95_ms} ms  "
            f"p99={r.p99_ms} ms  (one client p95={r.baseline_p95_ms} ms, ratio {r.ratio_p95}x; "
            f"target p95 <= {r.target_p95_ms:.0f} ms: {'met' if r.meets_target else 'NOT met'})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m regie.api.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (production default)")
    parser.add_argument("--threads", type=int, default=None, help="threads per worker (production default)")
    parser.add_argument("--scale", default="national", help="synthetic scale written into an empty database")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--profile", action="store_true", help="time single requests in-process instead")
    parser.add_argument("--top", type=int, default=0, help="with --profile: the heaviest functions")
    parser.add_argument("--json", type=Path, default=None, help="also write the report as JSON here")
    args = parser.parse_args(argv)
    if args.profile:
        from .bench_profile import profile_requests

        url = args.database_url or os.environ.get("REGIE_API_BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
        _ensure_database(url)
        result = profile_requests(_prepare(url, args.scale), top=args.top)
        if args.json:
            args.json.write_text(json.dumps(result, indent=2))
        return 0
    report = run(
        seconds=args.seconds,
        clients=args.clients,
        database_url=args.database_url,
        workers=args.workers,
        threads=args.threads,
        scale=args.scale,
    )
    print_report(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report.as_dict(), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
