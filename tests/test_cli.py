"""The `regie` command as a newcomer uses it: a fresh SQLite file, a user, a server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REGIE = [sys.executable, "-m", "regie.cli"]


def run(*args: str, stdin: str | None = None, db: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run(
        [*REGIE, *args, "--db", str(db)],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_migrate_creates_the_database_file_named_by_db(tmp_path: Path) -> None:
    db = tmp_path / "nested" / "regie.sqlite3"
    result = run("migrate", db=db)
    assert result.returncode == 0, result.stderr
    assert db.exists()


def test_createuser_rejects_a_weak_password_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "regie.sqlite3"
    weak = run("createuser", "alice", "--password-stdin", stdin="abc\n", db=db)
    assert weak.returncode == 2
    assert "error:" in weak.stderr
    assert "Traceback" not in weak.stderr
    strong = run("createuser", "alice", "--password-stdin", stdin="een-lang-en-sterk-wachtwoord\n", db=db)
    assert strong.returncode == 0, strong.stderr
    assert "alice" in strong.stdout


def test_createuser_names_an_unknown_organisation(tmp_path: Path) -> None:
    db = tmp_path / "regie.sqlite3"
    result = run(
        "createuser",
        "bob",
        "--org",
        "GM0000",
        "--password-stdin",
        stdin="een-lang-en-sterk-wachtwoord\n",
        db=db,
    )
    assert result.returncode == 2
    assert "GM0000" in result.stderr


def test_serve_answers_on_localhost_with_the_login_page(tmp_path: Path) -> None:
    db = tmp_path / "regie.sqlite3"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    server = subprocess.Popen(
        [*REGIE, "serve", "--db", str(db), "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as response:
                    body = response.read().decode()
                    assert response.status == 200
                    assert "Content-Security-Policy" in response.headers
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("regie serve did not answer within 60 s")
                time.sleep(0.5)
        assert "<form" in body
    finally:
        server.terminate()
        server.wait(timeout=20)
