"""Imports started on the web page run in the request in these tests (their database transaction
is the test's); tests of the background thread switch it on themselves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def imports_in_the_request(settings: Any, tmp_path: Path) -> None:
    settings.REGIE_IMPORT_IN_BACKGROUND = False
    settings.VAR_DIR = tmp_path / "var"


def forged_audit_entry(label: str, description: str) -> dict[str, Any]:
    """An audit entry a document brings along that the register did not write."""
    return {
        "at": "2020-01-01T00:00:00+00:00", "action": "delete", "actor_label": label,
        "object_type": "register.process", "object_id": "1", "object_repr": description,
        "before": None, "after": None, "message": "", "request_id": "",
    }  # fmt: skip
