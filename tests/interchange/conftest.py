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
