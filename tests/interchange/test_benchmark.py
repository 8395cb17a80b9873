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
