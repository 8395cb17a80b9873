"""The production server configuration (ADR 0139): synchronous workers, one more than the
processors, each request to a free worker; threads switch to gthread with keep-alive."""

from __future__ import annotations

import importlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from regie.settings import gunicorn as conf

ROOT = Path(__file__).resolve().parents[2]


def load(monkeypatch: pytest.MonkeyPatch, **env: str) -> object:
    for name in ("REGIE_THREADS", "REGIE_WORKERS", "REGIE_TIMEOUT_SECONDS", "REGIE_KEEPALIVE_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return importlib.reload(conf)


@pytest.fixture(autouse=True)
def restore() -> Iterator[None]:
    yield
    importlib.reload(conf)


def test_defaults_are_synchronous_workers_one_more_than_the_processors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = load(monkeypatch)
    assert settings.worker_class == "sync"
    assert settings.threads == 1
    assert settings.workers == (os.cpu_count() or 1) + 1
    assert settings.timeout == 180
    assert settings.preload_app is True


def test_threads_switch_to_threaded_workers_and_the_environment_overrides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = load(monkeypatch, REGIE_THREADS="4", REGIE_WORKERS="2", REGIE_TIMEOUT_SECONDS="30")
    assert settings.worker_class == "gthread"
    assert (settings.workers, settings.threads, settings.timeout) == (2, 4, 30)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(port: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        answer = b""
        while chunk := sock.recv(4096):  # the server closes the connection after the answer
            answer += chunk
    return answer


def test_gunicorn_serves_with_the_configuration_and_closes_each_connection() -> None:
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "regie.settings.base",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "REGIE_WORKERS": "2",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:regie.settings.gunicorn",
         "--bind", f"127.0.0.1:{port}", "tests.api.wsgi_hello:application"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = _get(port)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200")
        assert b"connection: close" in head.lower()
        pids = {body} | {_get(port).partition(b"\r\n\r\n")[2] for _ in range(20)}
        assert all(p.isdigit() for p in pids)
    finally:
        server.terminate()
        server.wait(timeout=40)
