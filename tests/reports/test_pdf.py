"""The dependency report as PDF, read back with pypdf: the organisation, the headings in the
chosen language, the key figures equal to the analysis, and the accepted risks with their
justification and expiry (an expired one marked)."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import translation
from pypdf import PdfReader

from regie.analysis.report import build_report
from regie.analysis.selectors import analyse_organisation
from regie.core.analysis import AnalysisOptions
from regie.policy.models import Finding
from regie.policy.services import findings_refresh
from regie.register import services
from regie.register.models import Organisation
from regie.reports import wording
from regie.reports.as_pdf import render_pdf
from regie.reports.selectors import dependency_report_for

from .conftest import IN_FORCE, LAPSED, Reported

pytestmark = pytest.mark.django_db

HEADINGS = {
    "nl": (
        "Kerncijfers",
        "Blootstelling aan rechtsgebieden",
        "Concentratie",
        "Continuïteit",
        "Bevindingen en geaccepteerde risico’s",
        "Exitroutekaart",
    ),
    "en": (
        "Key figures",
        "Jurisdiction exposure",
        "Concentration",
        "Continuity",
        "Findings and accepted risks",
        "Exit roadmap",
    ),
}


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return reader, re.sub(r"[ \t]+", " ", text)


def flat(text: str) -> str:
    """Line breaks of wrapped paragraphs and table cells removed."""
    return re.sub(r"\s+", " ", text)


def report_pdf(reported: Reported, language: str) -> tuple[PdfReader, str]:
    doc = dependency_report_for(user=reported.ls.a.viewer, organisation=reported.ls.a.org, language=language)
    data = render_pdf(doc)
    assert data.startswith(b"%PDF")
    return pdf_text(data)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_pdf_names_the_organisation_and_has_its_headings_in_the_language(
    reported: Reported, language: str
) -> None:
    reader, text = report_pdf(reported, language)
    assert len(reader.pages) >= 4
    first = reader.pages[0].extract_text()
    assert "Gemeente A" in first
    assert ("Nederlands" if language == "nl" else "English") in first
    other = "en" if language == "nl" else "nl"
    for i, heading in enumerate(HEADINGS[language], 1):
        assert f"{i}. {heading}" in text, heading
    assert f"1. {HEADINGS[other][0]}" not in text
    assert ("Pagina 2 van" if language == "nl" else "Page 2 of") in text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_key_figures_equal_the_analysis(reported: Reported, language: str) -> None:
    _reader, text = report_pdf(reported, language)
    body = flat(text)
    with translation.override(language):
        analysis = analyse_organisation(reported.ls.a.org, AnalysisOptions(detail=True))
        figures = build_report(analysis).key_figures
        assert figures, "the analysis has key figures"
        for k in figures:
            value = wording.eur(k.value) if k.unit == "EUR" else wording.number(k.value)
            label = k.label[:1].upper() + k.label[1:]
            assert f"{value}{' (' + k.note + ')' if k.unit == 'HHI' and k.note else ''} {label}" in body, (
                k.key,
                value,
            )
    # The landscape's one contract is worth 120,000 a year: written the way the language writes it.
    assert analysis.figures()["spend.total"] == 120000.0
    assert ("€ 120.000" if language == "nl" else "€ 120,000") in body


def test_accepted_risks_show_justification_owner_and_expiry_and_the_lapsed_one_is_marked(
    reported: Reported,
) -> None:
    _reader, text = report_pdf(reported, "nl")
    body = flat(text)
    assert IN_FORCE in body
    assert LAPSED in body
    assert "CIO Gemeente A" in body
    assert "30 juni 2027" in body
    assert "31 maart 2026 – VERLOPEN" in body
    assert "30 juni 2027 – VERLOPEN" not in body
    assert "1 acceptatie(s) zijn verlopen" in body


def test_in_english_the_expiry_is_written_in_english(reported: Reported) -> None:
    _reader, text = report_pdf(reported, "en")
    body = flat(text)
    assert "30 June 2027" in body
    assert "31 March 2026 – EXPIRED" in body
    assert IN_FORCE in body  # the justification as written, in its own language


def test_the_exit_roadmap_lists_the_plans_that_cannot_be_ranked_with_the_reason(reported: Reported) -> None:
    _reader, text = report_pdf(reported, "en")
    body = flat(text)
    assert "Exit zaaksysteem" in body  # the landscape's exit plan has no cost: not ranked
    assert "cost unknown" in body or "cannot be computed" in body


def test_an_empty_register_gets_a_report_that_says_so(reported: Reported) -> None:
    empty = services.register_create(
        actor=None, model=Organisation, data={"name": "Gemeente Leeg", "code": "leeg", "kind": "municipality"}
    )
    doc = dependency_report_for(user=None, organisation=empty, language="en")
    _reader, text = pdf_text(render_pdf(doc))
    body = flat(text)
    assert "Gemeente Leeg" in body
    assert "No exposure: no process has recorded dependencies yet." in body
    assert "No risks are accepted." in body
    assert "The register holds no exit plans." in body or "No exit plan can be ranked yet." in body


def test_a_lapsed_acceptance_stays_in_the_report_after_its_finding_reopens(reported: Reported) -> None:
    findings_refresh(organisation=reported.ls.a.org)
    reported.lapsed.refresh_from_db()
    assert reported.lapsed.ended_at is not None
    assert reported.lapsed.end_reason == "expired"
    _reader, text = report_pdf(reported, "nl")
    body = flat(text)
    assert f"{LAPSED} Informatiemanager" in body
    assert "31 maart 2026 – VERLOPEN" in body
    assert "30 juni 2027 – VERLOPEN" not in body


def test_open_violations_are_listed_with_their_message(reported: Reported) -> None:
    violations = list(Finding.objects.filter(organisation=reported.ls.a.org, status="open", severity="fail"))
    assert violations, "the landscape has an open violation"
    _reader, text = report_pdf(reported, "nl")
    body = flat(text)
    for f in violations[:12]:
        assert flat(f.message_nl) in body
