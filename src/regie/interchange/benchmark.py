"""How fast a large spreadsheet imports: a generated workbook of N rows, timed end to end.

Used by ``regie import-benchmark``; the target is 100,000 rows within 60 seconds. And how fast
the JSON documents of every organisation of the synthetic landscape are exported
(``regie export-benchmark``; the target is the national landscape within 30 seconds).
"""

from __future__ import annotations

import io
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook

from regie.core.synthetic import Scale
from regie.register import services
from regie.register.models import Dependency, Organisation

from .services import export_every_organisation, export_organisation, import_file
from .sheets.layout import PROCESSES

if TYPE_CHECKING:
    from .jsondoc.bulkexport import BulkResult


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


@dataclass(frozen=True)
class ExportBenchmarkResult:
    scale: str | Scale
    organisations: int  # in the database
    seed_seconds: float | None  # None: the database held the landscape already
    every: BulkResult  # the export of every organisation's document (the target)
    seconds: tuple[float, ...]  # wall clock per organisation of the sample, exported one by one
    cpu_seconds: tuple[float, ...]
    largest_bytes: int

    @property
    def slowest(self) -> float:
        return max(self.seconds, default=0.0)


def run_export_benchmark(
    *, scale: str | Scale = "national", sample: int = 20, jobs: int = 1, output: Path | None = None
) -> ExportBenchmarkResult:
    """Export every organisation of the synthetic landscape as JSON documents (``regie export
    --all``), timed as a whole; then ``sample`` organisations one by one, each timed.

    An empty database is first filled with the landscape (the engine benchmark's seeding); the
    sample is the organisation with the most dependencies plus organisations spread over the rest.
    The documents go to ``output``, else to a temporary directory removed afterwards.
    """
    from django.db import transaction
    from django.db.models import Count

    from regie.analysis.bench import write_catalogue, write_organisations
    from regie.core.synthetic import synthetic_columns

    seeded: float | None = None
    if not Organisation.objects.exists():
        started = time.perf_counter()
        cat, cols = synthetic_columns(scale)
        with transaction.atomic():
            write_catalogue("default", cat)
            write_organisations("default", cols)
        seeded = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="regie-export-") as scratch:
        every = export_every_organisation(directory=output or Path(scratch), jobs=jobs)
    pks = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    busiest = Dependency.objects.values("organisation").annotate(n=Count("id")).order_by("-n", "organisation")
    largest = busiest.values_list("organisation", flat=True).first()
    spread = [pks[round(i * (len(pks) - 1) / max(1, sample - 1))] for i in range(sample)] if pks else []
    chosen = list(dict.fromkeys([*([largest] if largest else []), *spread]))[:sample]
    seconds, cpu, biggest = [], [], 0
    for pk in chosen:
        organisation = Organisation.objects.get(pk=pk)
        started, processor = time.perf_counter(), time.process_time()
        data = export_organisation(actor=None, organisation=organisation, format="json")
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - processor)
        biggest = max(biggest, len(data))
    return ExportBenchmarkResult(scale, len(pks), seeded, every, tuple(seconds), tuple(cpu), biggest)


__all__ = [
    "BenchmarkResult",
    "ExportBenchmarkResult",
    "generated_workbook",
    "run_benchmark",
    "run_export_benchmark",
]
