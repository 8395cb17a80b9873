"""How fast a large spreadsheet imports: a generated workbook of N rows, timed end to end.

Used by ``regie import-benchmark``; the target is 100,000 rows within 60 seconds.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass

from openpyxl import Workbook

from regie.register import services
from regie.register.models import Organisation

from .services import import_file
from .sheets.layout import PROCESSES


@dataclass(frozen=True)
class BenchmarkResult:
    rows: int
    build_seconds: float
    import_seconds: float
    import_cpu_seconds: float
    created: int
    problems: int

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.import_seconds if self.import_seconds else 0.0


def generated_workbook(rows: int) -> bytes:
    """Processes and the applications they require, in the template layout (write-only mode)."""
    book = Workbook(write_only=True)
    processes = book.create_sheet(PROCESSES.nl)
    processes.append([c.nl for c in PROCESSES.columns[:8]])
    for i in range(rows):
        processes.append([f"Proces {i:06d}", "", "", None, None, 1 + i % 3, 2, 1 + (i // 3) % 3])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run_benchmark(*, rows: int, organisation_code: str = "benchmark") -> BenchmarkResult:
    """Import a generated workbook of ``rows`` processes into a fresh organisation, and time it."""
    started = time.perf_counter()
    data = generated_workbook(rows)
    built = time.perf_counter() - started
    organisation = Organisation.objects.filter(code=organisation_code).first() or services.register_create(
        actor=None,
        model=Organisation,
        data={"name": f"Benchmark {organisation_code}", "code": organisation_code, "kind": "other"},
    )
    started, cpu = time.perf_counter(), time.process_time()
    report = import_file(
        actor=None, organisation=organisation, path_or_bytes=data, format="xlsx", filename="benchmark.xlsx"
    )
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return BenchmarkResult(rows, built, elapsed, cpu, sum(report.created.values()), len(report.problems))


__all__ = ["BenchmarkResult", "generated_workbook", "run_benchmark"]
