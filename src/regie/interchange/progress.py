"""How far an import has come: rows read, validated and written (ADR 0068).

The import runs in one transaction, which other database connections cannot see into (and on
SQLite cannot write beside), so its progress goes to a small JSON file next to the job instead;
the import page reads it while it polls. Without a file it only counts (the command line).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any


class Progress:
    def __init__(self, path: Path | None = None, *, interval: float = 0.25) -> None:
        self.path = path
        self.interval = interval
        self.phase = ""
        self.total = 0
        self.validated = 0
        self.written = 0
        self._flushed = 0.0

    def start(self, phase: str, *, total: int | None = None) -> None:
        self.phase = phase
        if total is not None:
            self.total = total
        self.flush(force=True)

    def validated_row(self, count: int = 1) -> None:
        self.validated += count
        self.flush()

    def written_row(self, count: int = 1) -> None:
        self.written += count
        self.flush()

    def as_dict(self) -> dict[str, Any]:
        total = max(self.total, self.validated, self.written)
        return {"phase": self.phase, "total": total, "validated": self.validated, "written": self.written}

    def flush(self, *, force: bool = False) -> None:
        if self.path is None:
            return
        now = time.monotonic()
        if not force and now - self._flushed < self.interval:
            return
        self._flushed = now
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.as_dict()), encoding="utf-8")
        tmp.replace(self.path)


def read_progress(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
