"""Sovereignty scorecard after the EU Cloud Sovereignty Framework (pure: no database).

Eight objectives SOV-1 … SOV-8, each assessed through Regie's own questions. Every answer
option carries a SEAL level (0-4): 0 no sovereignty; 1 jurisdictional (EU law on paper,
exclusive non-EU control); 2 data sovereignty (EU law enforceable, indirect non-EU control);
3 near-full EU control with marginal non-EU dependencies; 4 full digital sovereignty.
An objective's SEAL is its weakest answer (an unanswered question counts as 0: unknown is
risk); the overall SEAL is the weakest objective; the weighted score (0-100) uses a versioned
weight set: the framework's v1.2.1 weights and the 2026 assessment-calculator annex.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["OBJECTIVES", "QUESTIONS", "WEIGHT_SETS", "Option", "Question", "Score", "score"]

OBJECTIVES: dict[str, tuple[str, str]] = {
    "SOV-1": ("Strategisch", "Strategic"),
    "SOV-2": ("Juridisch en jurisdictie", "Legal and jurisdictional"),
    "SOV-3": ("Data en AI", "Data and AI"),
    "SOV-4": ("Operationeel", "Operational"),
    "SOV-5": ("Toeleveringsketen", "Supply chain"),
    "SOV-6": ("Technologie", "Technology"),
    "SOV-7": ("Beveiliging en compliance", "Security and compliance"),
    "SOV-8": ("Milieu", "Environmental"),
}

#: Weight sets in percent, versioned. Source: EU Cloud Sovereignty Framework v1.2.1 (Oct 2025);
#: the 2026 annex weights are as reported by secondary sources (facts.md).
WEIGHT_SETS: dict[str, dict[str, int]] = {
    "eucsf-1.2.1": dict(zip(OBJECTIVES, (15, 10, 10, 15, 20, 15, 10, 5), strict=True)),
    "eucsf-annex-2026": dict(zip(OBJECTIVES, (20, 10, 10, 15, 10, 15, 15, 5), strict=True)),
}
DEFAULT_WEIGHTS = "eucsf-1.2.1"


@dataclass(frozen=True)
class Option:
    key: str
    level: int
    nl: str
    en: str


@dataclass(frozen=True)
class Question:
    id: str
    objective: str
    nl: str
    en: str
    options: tuple[Option, ...]

    def option(self, key: str) -> Option:
        for o in self.options:
            if o.key == key:
                return o
        raise KeyError(key)


def _q(qid: str, nl: str, en: str, *options: tuple[str, int, str, str]) -> Question:
    return Question(qid, qid.rsplit(".", 1)[0], nl, en, tuple(Option(*o) for o in options))


QUESTIONS: tuple[Question, ...] = (
    _q(
        "SOV-1.1",
        "Waar zit de uiteindelijke moeder van de leverancier?",
        "Where is the provider's ultimate parent headquartered?",
        ("non_eu", 1, "Buiten de EU/EER", "Outside the EU/EEA"),
        (
            "eu_with_non_eu_owner",
            2,
            "In de EU, met een belangrijke niet-EU aandeelhouder",
            "In the EU, with a major non-EU shareholder",
        ),
        ("eu", 4, "In de EU/EER, zonder niet-EU zeggenschap", "In the EU/EEA, no non-EU control"),
    ),
    _q(
        "SOV-1.2",
        "Is er een realistisch Europees of open-source alternatief?",
        "Is there a realistic European or open-source alternative?",
        ("none", 1, "Nee", "No"),
        ("partial", 3, "Gedeeltelijk", "Partly"),
        ("yes", 4, "Ja, beproefd", "Yes, proven"),
    ),
    _q(
        "SOV-2.1",
        "Kan een niet-EU overheid de leverancier dwingen gegevens af te geven?",
        "Can a non-EU government compel the provider to hand over data?",
        ("yes", 1, "Ja (bijv. CLOUD Act via de moeder)", "Yes (e.g. the CLOUD Act through the parent)"),
        (
            "indirect",
            2,
            "Alleen indirect, contractueel afgeschermd",
            "Only indirectly, contractually shielded",
        ),
        ("no", 4, "Nee", "No"),
    ),
    _q(
        "SOV-2.2",
        "Welk recht is op het contract van toepassing?",
        "Which law governs the contract?",
        ("non_eu", 0, "Niet-EU recht", "Non-EU law"),
        ("eu", 3, "Recht van een EU-lidstaat", "Law of an EU member state"),
        ("nl", 4, "Nederlands recht, Nederlandse rechter", "Dutch law, Dutch courts"),
    ),
    _q(
        "SOV-3.1",
        "Waar staan en worden de gegevens verwerkt?",
        "Where is the data stored and processed?",
        ("non_eu", 0, "(Ook) buiten de EU/EER", "(Also) outside the EU/EEA"),
        ("eu", 3, "Alleen in de EU/EER", "Only in the EU/EEA"),
        (
            "eu_own_keys",
            4,
            "Alleen in de EU/EER, met eigen sleutels",
            "Only in the EU/EEA, with customer-held keys",
        ),
    ),
    _q(
        "SOV-3.2",
        "Kunnen alle gegevens in een open standaard worden geëxporteerd?",
        "Can all data be exported in an open standard?",
        ("no", 1, "Nee", "No"),
        ("partly", 2, "Gedeeltelijk", "Partly"),
        ("yes", 4, "Ja, inclusief bulk-API", "Yes, including a bulk API"),
    ),
    _q(
        "SOV-4.1",
        "Van waaruit wordt support en beheer gedaan?",
        "From where is support and administration done?",
        ("non_eu", 1, "(Ook) van buiten de EU/EER", "(Also) from outside the EU/EEA"),
        ("eu", 3, "Alleen vanuit de EU/EER", "Only from the EU/EEA"),
        ("eu_cleared", 4, "Vanuit de EU/EER door gescreend personeel", "From the EU/EEA by screened staff"),
    ),
    _q(
        "SOV-4.2",
        "Kan de dienst doordraaien als de niet-EU moeder de toegang afsluit?",
        "Can the service keep running if a non-EU parent cuts off access?",
        ("no", 0, "Nee", "No"),
        ("for_a_while", 2, "Tijdelijk", "For a while"),
        ("yes", 4, "Ja, zelfstandig", "Yes, independently"),
    ),
    _q(
        "SOV-5.1",
        "Zijn de onderaannemers en hun landen bekend en goedgekeurd?",
        "Are the sub-processors and their countries known and approved?",
        ("unknown", 0, "Onbekend", "Unknown"),
        ("known_non_eu", 2, "Bekend, deels buiten de EU", "Known, partly outside the EU"),
        ("known_eu", 4, "Bekend, alle in de EU/EER", "Known, all in the EU/EEA"),
    ),
    _q(
        "SOV-5.2",
        "Draait de dienst op infrastructuur van een niet-EU hyperscaler?",
        "Does the service run on a non-EU hyperscaler's infrastructure?",
        ("yes", 1, "Ja", "Yes"),
        ("partly", 2, "Gedeeltelijk", "Partly"),
        ("no", 4, "Nee", "No"),
    ),
    _q(
        "SOV-6.1",
        "Is de software open source of beschikbaar via escrow?",
        "Is the software open source or available through escrow?",
        ("closed", 1, "Gesloten", "Closed"),
        ("escrow", 2, "Gesloten, met escrow", "Closed, with escrow"),
        ("open", 4, "Open source", "Open source"),
    ),
    _q(
        "SOV-6.2",
        "Gebruikt de dienst open standaarden voor koppelingen?",
        "Does the service use open standards for integration?",
        ("no", 1, "Nee", "No"),
        ("partly", 3, "Gedeeltelijk", "Partly"),
        ("yes", 4, "Ja", "Yes"),
    ),
    _q(
        "SOV-7.1",
        "Welke certificering heeft de dienst?",
        "Which certification does the service hold?",
        ("none", 0, "Geen", "None"),
        ("iso27001", 2, "ISO 27001", "ISO 27001"),
        (
            "eucs_high",
            4,
            "EUCS high of BSI C5 met EU-jurisdictie",
            "EUCS high or BSI C5 with EU jurisdiction",
        ),
    ),
    _q(
        "SOV-7.2",
        "Is er een auditrecht voor de afnemer?",
        "Does the customer have an audit right?",
        ("no", 1, "Nee", "No"),
        ("reports", 2, "Alleen rapportages", "Reports only"),
        ("yes", 4, "Ja", "Yes"),
    ),
    _q(
        "SOV-8.1",
        "Rapporteert de leverancier energie- en waterverbruik per dienst?",
        "Does the provider report energy and water use per service?",
        ("no", 1, "Nee", "No"),
        ("aggregate", 3, "Alleen geaggregeerd", "In aggregate only"),
        ("yes", 4, "Ja", "Yes"),
    ),
)
QUESTION_BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}


@dataclass(frozen=True)
class Score:
    objectives: Mapping[str, int]  # SEAL per objective
    seal: int  # overall: the weakest objective
    weighted: float  # 0-100
    weights: str
    unanswered: tuple[str, ...]


def score(answers: Mapping[str, str], weights: str = DEFAULT_WEIGHTS) -> Score:
    """Score answers ``{question id: option key}``; unanswered questions count as SEAL 0."""
    w = WEIGHT_SETS[weights]
    levels: dict[str, int] = {}
    missing = []
    for q in QUESTIONS:
        key = answers.get(q.id)
        level = q.option(key).level if key is not None else 0
        if key is None:
            missing.append(q.id)
        levels[q.objective] = min(levels.get(q.objective, 4), level)
    weighted = sum(w[o] * levels[o] / 4 for o in OBJECTIVES)
    return Score(levels, min(levels.values()), round(weighted, 1), weights, tuple(missing))


def share_at_or_above(process_seals: list[int], n: int) -> float:
    """Share of processes whose weakest dependency is at SEAL n or better."""
    return sum(1 for s in process_seals if s >= n) / len(process_seals) if process_seals else 0.0
