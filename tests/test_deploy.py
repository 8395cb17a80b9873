"""Production settings pass Django's deployment checks and refuse to start without secrets."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys


def _check(env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("REGIE_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update({"DJANGO_SETTINGS_MODULE": "regie.settings.production", **env_extra})
    return subprocess.run(
        [sys.executable, "-m", "regie.manage", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy() -> None:
    result = _check(
        {"REGIE_SECRET_KEY": secrets.token_urlsafe(64), "REGIE_ALLOWED_HOSTS": "regie.example.nl"}
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    result = _check({"REGIE_ALLOWED_HOSTS": "regie.example.nl"})
    assert result.returncode != 0
    assert "REGIE_SECRET_KEY" in result.stderr
