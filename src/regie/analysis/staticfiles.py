"""Serve plotly.js from the installed ``plotly`` package as static file ``plotly/plotly.min.js``.

Regie contacts no external host (ADR 0007), so the charting library comes from the Python
package that pins its version; only that one file is exposed, not the rest of the package data.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage

PREFIX = "plotly"
FILENAME = "plotly.min.js"


def package_data() -> Path | None:
    spec = importlib.util.find_spec("plotly")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "package_data"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        root = package_data()
        self.storage = FileSystemStorage(location=str(root)) if root else None
        if self.storage is not None:
            self.storage.prefix = PREFIX  # type: ignore[attr-defined]

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        root = package_data()
        if root is None or not (root / FILENAME).is_file():
            return [Error("plotly.min.js was not found in the installed plotly package.", id="analysis.E001")]
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str]:  # type: ignore[override]
        root = package_data()
        if path == f"{PREFIX}/{FILENAME}" and root is not None and (root / FILENAME).is_file():
            found = str(root / FILENAME)
            return [found] if (find_all or kwargs.get("all")) else found
        return [] if (find_all or kwargs.get("all")) else ""

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        if self.storage is not None and self.storage.exists(FILENAME):
            yield FILENAME, self.storage
