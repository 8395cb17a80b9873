"""The exit roadmap in the dependency report: the ranked steps in the roadmap's order with their
cost and risk figures, and the plans that cannot be ranked with the reason (ADR 118)."""

from __future__ import annotations

import pytest
from django.utils import translation

from regie.planning.roadmap import roadmap_of
from regie.reports import wording
from regie.reports.as_pdf import render_pdf
from regie.reports.selectors import dependency_report_for
from tests.planning.landscape import make_exit_landscape, plan

from .test_pdf import flat, pdf_text

pytestmark = pytest.mark.django_db


def test_the_roadmap_steps_appear_in_order_with_their_figures() -> None:
    land = make_exit_landscape()
    plan(land, "Exit Zaak Cloud", land.zaken, land.euro_zaak, 40_000)
    plan(land, "Exit Tax Cloud", land.heffing, land.euro_tax, 20_000)
    plan(land, "Exit zonder kosten", land.zaken, land.euro_zaak, None)
    roadmap = roadmap_of(land.org)
    assert len(roadmap.steps) == 2

    doc = dependency_report_for(user=land.viewer, organisation=land.org, language="en")
    _reader, text = pdf_text(render_pdf(doc))
    body = flat(text.split("6. Exit roadmap")[-1])
    positions = [body.index(f"{i} {s.title}") for i, s in enumerate(roadmap.steps, 1)]
    assert positions == sorted(positions)
    with translation.override("en"):
        for s in roadmap.steps:
            assert wording.eur(s.cost) in body
            assert wording.eur(s.cumulative_cost) in body
            assert wording.number(s.risk_after, 1) in body
        assert f"Risk before the roadmap: {wording.number(roadmap.risk_before, 1)} points" in body
    assert "Exit zonder kosten" in body
    assert "cost unknown" in body
