"""The import benchmark runs end to end on a small workbook (the 100,000-row figure is in the docs)."""

from __future__ import annotations

import pytest

from regie.interchange.benchmark import run_benchmark
from regie.register.models import Process

pytestmark = pytest.mark.django_db


def test_the_benchmark_imports_every_generated_row_without_problems() -> None:
    result = run_benchmark(rows=500, organisation_code="bench")
    assert result.created == 500
    assert result.problems == 0
    assert Process.objects.filter(organisation__code="bench").count() == 500
    assert result.rows_per_second > 0


def test_the_export_benchmark_fills_an_empty_database_and_exports_valid_documents() -> None:
    from regie.core.synthetic import Scale
    from regie.interchange.benchmark import run_export_benchmark
    from regie.interchange.jsondoc.export import build_document
    from regie.interchange.jsondoc.schema import validate_document
    from regie.register.models import Organisation, Usage

    result = run_export_benchmark(scale=Scale(2, 5, 12, 40, 20, 30), sample=2)
    assert result.organisations == 2
    assert result.seed_seconds is not None
    assert result.every.organisations == 2  # every organisation's document, timed as a whole
    assert result.every.bytes > 2 * 1000
    assert result.every.seconds > 0
    assert len(result.seconds) == 2
    assert result.largest_bytes > 1000
    organisation = Organisation.objects.order_by("pk").first()
    assert organisation is not None
    document = build_document(organisation)
    assert validate_document(document) == []
    assert len(document["usages"]) == Usage.objects.filter(organisation=organisation).count() > 0
