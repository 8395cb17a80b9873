"""The HTML report is one self-contained file: inline CSS, charts as inline SVG, no external
asset, no script; the same sections and figures as the PDF."""

from __future__ import annotations

import re

import pytest

from regie.reports.as_html import render_html
from regie.reports.charts import ChartSpec, Series, svg
from regie.reports.selectors import dependency_report_for

from .conftest import IN_FORCE, Reported

pytestmark = pytest.mark.django_db


def test_the_html_report_is_self_contained(reported: Reported) -> None:
    doc = dependency_report_for(user=reported.ls.a.viewer, organisation=reported.ls.a.org, language="nl")
    page = render_html(doc)
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="nl">' in page
    assert "<style>" in page
    assert page.count("<svg ") >= 2  # the concentration and blast-radius charts at least
    assert "<script" not in page
    assert "<link" not in page
    # No asset from another host: namespaces inside the SVG are names, not references.
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page)
    assert "@import" not in page
    assert "Gemeente A" in page
    assert "Kerncijfers" in page
    assert IN_FORCE in page


def test_chart_ids_are_unique_per_chart_and_text_is_escaped() -> None:
    spec = ChartSpec("A <b> & c", ("x & y",), (Series("s", (1.0,)),), "axis")
    one, two = svg(spec, "chart-1"), svg(spec, "chart-2")
    assert 'id="chart-1-clip"' in one
    assert "url(#chart-1-clip)" in one
    assert 'id="chart-2-clip"' in two
    assert 'id="chart-1-clip"' not in two
    assert "<title>A &lt;b&gt; &amp; c</title>" in one
    assert "<b>" not in one
    assert "x &amp; y" in one


def test_the_english_html_report_is_in_english(reported: Reported) -> None:
    doc = dependency_report_for(user=reported.ls.a.viewer, organisation=reported.ls.a.org, language="en")
    page = render_html(doc)
    assert '<html lang="en">' in page
    assert "Key figures" in page
    assert "Kerncijfers" not in page
