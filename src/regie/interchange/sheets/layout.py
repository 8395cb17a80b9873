"""The spreadsheet layout: one sheet per register type, its columns in Dutch and English.

The template, the XLSX export and the importer all read this one declaration, so a column
added here appears in the template, is exported and is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from django.db import models

from regie.register.models import (
    ClauseKind,
    Contract,
    ContractClause,
    DataClassification,
    DataSet,
    Dependency,
    DependencyKind,
    ExitPlan,
    ExitPlanStep,
    LifecycleStatus,
    PersonalData,
    Process,
    RedundancyGroup,
    RenewalDecision,
    Substitutability,
    SubstitutabilityReason,
    TriState,
    Usage,
)
from regie.register.models.contracts import ExitPlanStatus
from regie.register.models.landscape import Direction

ColumnKind = Literal["text", "int", "decimal", "bool", "date", "choice", "ref", "refs"]


@dataclass(frozen=True)
class Column:
    key: str
    nl: str
    en: str
    kind: ColumnKind = "text"
    required: bool = False
    choices: type[models.TextChoices] | None = None
    ref: str = ""
    minimum: int | None = None
    maximum: int | None = None
    example: object = ""
    help: str = ""

    def headers(self) -> tuple[str, str]:
        return self.nl, self.en


@dataclass(frozen=True)
class Sheet:
    key: str
    nl: str
    en: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...]
    help: str = ""

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _biv(key: str, nl: str, en: str, example: int) -> Column:
    return Column(key, nl, en, "int", required=True, minimum=1, maximum=3, example=example, help="1, 2 of 3")


def _date(key: str, nl: str, en: str, example: object = "", *, required: bool = False) -> Column:
    return Column(key, nl, en, "date", required=required, example=example, help="JJJJ-MM-DD")


PROCESSES = Sheet(
    "processes",
    "Processen",
    "Processes",
    Process,
    (
        Column("name", "Naam", "Name", required=True, example="Burgerzaken"),
        Column("description", "Omschrijving", "Description", example="Inschrijving en reisdocumenten"),
        Column("owner", "Proceseigenaar", "Process owner", example="Afdeling Publiekszaken"),
        Column(
            "gemma_function", "GEMMA-bedrijfsfunctie", "GEMMA business function", "ref", ref="gemma_function"
        ),
        Column("gemma_process", "GEMMA-bedrijfsproces", "GEMMA business process", "ref", ref="gemma_process"),
        _biv("availability", "Beschikbaarheid (B)", "Availability", 3),
        _biv("integrity", "Integriteit (I)", "Integrity", 3),
        _biv("confidentiality", "Vertrouwelijkheid (V)", "Confidentiality", 3),
        Column("critical", "Kritiek", "Critical", "bool", example="ja"),
        Column(
            "max_tolerable_downtime_hours",
            "Max. toelaatbare uitval (uren)",
            "Maximum tolerable downtime (hours)",
            "decimal",
            example=24,
        ),
        Column("rto_hours", "RTO (uren)", "RTO (hours)", "decimal", example=8),
        Column("rpo_hours", "RPO (uren)", "RPO (hours)", "decimal", example=1),
        Column(
            "personal_data",
            "Persoonsgegevens",
            "Personal data",
            "choice",
            choices=PersonalData,
            example="bsn",
        ),
        Column("people_affected", "Aantal betrokkenen", "People affected", "int", minimum=0, example=60000),
    ),
    ("name",),
    "Bedrijfsprocessen en dienstverlening met hun BIV-classificatie.",
)

USAGES = Sheet(
    "usages",
    "Applicaties",
    "Applications",
    Usage,
    (
        Column("name", "Naam", "Name", required=True, example="Zaaksysteem"),
        Column("product", "Product", "Product", "ref", required=True, ref="product", example="Zaak365"),
        Column(
            "supplier",
            "Leverancier",
            "Supplier",
            example="",
            help="Alleen nodig als de productnaam niet uniek is.",
        ),
        Column(
            "reference_component",
            "GEMMA-referentiecomponent",
            "GEMMA reference component",
            "ref",
            ref="reference_component",
        ),
        Column(
            "status",
            "Levenscyclus",
            "Lifecycle status",
            "choice",
            choices=LifecycleStatus,
            example="in_production",
        ),
        _date("planned_on", "Gepland sinds", "Planned since"),
        _date("acquiring_on", "Verwerving gestart", "Acquisition started"),
        _date("production_on", "In productie sinds", "In production since", "2020-01-01"),
        _date("phasing_out_on", "Uitfasering sinds", "Phasing out since"),
        _date("retired_on", "Uitgefaseerd op", "Retired on"),
        Column("owner", "Applicatie-eigenaar", "Application owner", example="Team Zaakgericht werken"),
        Column("notes", "Notities", "Notes"),
        Column(
            "substitutability_override",
            "Vervangbaarheid (beoordeeld)",
            "Substitutability (assessed)",
            "choice",
            choices=Substitutability,
        ),
        Column("substitutability_reason", "Reden", "Reason", "choice", choices=SubstitutabilityReason),
        Column("override_justification", "Onderbouwing beoordeling", "Justification of the assessment"),
    ),
    ("name",),
    "Applicaties in gebruik: welk product, in welke fase van de levenscyclus.",
)

GROUPS = Sheet(
    "redundancy_groups",
    "Redundantiegroepen",
    "Redundancy groups",
    RedundancyGroup,
    (
        Column("name", "Naam", "Name", required=True, example="Hosting zaaksysteem"),
        Column("k", "Benodigd aantal (k)", "Members needed (k)", "int", minimum=1, example=1),
        Column("description", "Omschrijving", "Description", example="Twee datacenters, één volstaat"),
    ),
    ("name",),
    "Groepen van alternatieven: de afhankelijke blijft werken zolang k leden werken.",
)

DEPENDENCIES = Sheet(
    "dependencies",
    "Afhankelijkheden",
    "Dependencies",
    Dependency,
    (
        Column("kind", "Soort", "Kind", "choice", required=True, choices=DependencyKind, example="requires"),
        Column("source", "Van", "From", required=True, example="Burgerzaken", help="Proces of applicatie"),
        Column("target", "Naar", "To", required=True, example="Zaaksysteem", help="Applicatie of dienst"),
        Column(
            "target_provider",
            "Aanbieder dienst",
            "Service provider",
            help="Alleen nodig als de dienstnaam niet uniek is.",
        ),
        Column("group", "Redundantiegroep", "Redundancy group", "ref", ref="group"),
        Column("standard", "Standaard", "Standard used"),
        Column("direction", "Richting", "Direction", "choice", choices=Direction),
        Column("proprietary", "Propriëtaire koppeling", "Proprietary coupling", "choice", choices=TriState),
        Column("notes", "Notities", "Notes"),
    ),
    ("kind", "source", "target"),
    "Wie hangt van wie af: proces → applicatie, applicatie → dienst, applicatie → applicatie.",
)

DATA_SETS = Sheet(
    "data_sets",
    "Gegevens",
    "Data sets",
    DataSet,
    (
        Column("name", "Naam", "Name", required=True, example="Zaakdossiers"),
        Column("description", "Omschrijving", "Description"),
        Column(
            "usage", "Applicatie", "Application", "ref", required=True, ref="usage", example="Zaaksysteem"
        ),
        Column(
            "classification",
            "Classificatie",
            "Classification",
            "choice",
            choices=DataClassification,
            example="confidential",
        ),
        Column("personal_data", "Persoonsgegevens", "Personal data", "choice", choices=PersonalData),
        Column("volume_gb", "Omvang (GB)", "Volume (GB)", "decimal", example=250),
        Column("records", "Aantal records", "Records", "int", minimum=0),
        Column("export_formats", "Exportformaten", "Export formats", example="CSV, PDF/A"),
        Column(
            "export_open_format",
            "Export in open formaat",
            "Export in an open format",
            "choice",
            choices=TriState,
        ),
    ),
    ("name",),
    "Welke gegevens in welke applicatie staan.",
)

CONTRACTS = Sheet(
    "contracts",
    "Contracten",
    "Contracts",
    Contract,
    (
        Column("reference", "Referentie", "Reference", required=True, example="2024-017"),
        Column("title", "Titel", "Title", required=True, example="Zaaksysteem SaaS"),
        Column(
            "counterparty",
            "Wederpartij",
            "Counterparty",
            "ref",
            required=True,
            ref="legal_entity",
            example="Voorbeeld B.V.",
            help="Naam of LEI",
        ),
        Column("usages", "Applicaties", "Applications", "refs", ref="usage", help="Gescheiden door ;"),
        Column("services", "Diensten", "Services", "refs", ref="service", help="Gescheiden door ;"),
        _date("start_date", "Ingangsdatum", "Start", "2024-01-01", required=True),
        _date("end_date", "Einddatum", "End", "2027-12-31"),
        Column("notice_days", "Opzegtermijn (dagen)", "Notice period (days)", "int", minimum=0, example=90),
        Column(
            "provider_notice_days",
            "Opzegtermijn leverancier (dagen)",
            "Provider's notice period (days)",
            "int",
            minimum=0,
        ),
        Column("auto_renewal", "Stilzwijgende verlenging", "Renews automatically", "bool", example="nee"),
        Column("renewal_months", "Verlengingsperiode (maanden)", "Renewal period (months)", "int", minimum=0),
        Column("annual_value", "Jaarwaarde (EUR)", "Annual value (EUR)", "decimal", example=120000),
        Column("governing_law", "Toepasselijk recht", "Governing law", "ref", ref="country", example="NL"),
        Column(
            "renewal_decision",
            "Besluit verlenging",
            "Decision on renewal",
            "choice",
            choices=RenewalDecision,
        ),
        Column("decision_notes", "Toelichting besluit", "Notes on the decision"),
    ),
    ("reference",),
    "Contracten met wederpartijen; de datum 'Ingangsdatum' is verplicht.",
)
CLAUSES = Sheet(
    "clauses",
    "Contractclausules",
    "Contract clauses",
    ContractClause,
    (
        Column("contract", "Contract", "Contract", "ref", required=True, ref="contract", example="2024-017"),
        Column(
            "kind",
            "Clausule",
            "Clause",
            "choice",
            required=True,
            choices=ClauseKind,
            example="data_return_open_format",
        ),
        Column("present", "Aanwezig", "Present", "choice", required=True, choices=TriState, example="yes"),
        Column("detail", "Detail", "Detail", example="Art. 12.3"),
        Column("source", "Bron", "Source", example="Contract 2024-017, bijlage 2", help="URL of document"),
        _date("checked_on", "Gecontroleerd op", "Checked on", "2025-03-01"),
    ),
    ("contract", "kind"),
    "Clausules als feiten: aanwezig (yes), afwezig (no) of onbekend (unknown), met bron.",
)

EXIT_PLANS = Sheet(
    "exit_plans",
    "Exitplannen",
    "Exit plans",
    ExitPlan,
    (
        Column("title", "Titel", "Title", required=True, example="Exit zaaksysteem"),
        Column("usage", "Applicatie", "Application", "ref", ref="usage", example="Zaaksysteem"),
        Column("service", "Dienst", "Service", "ref", ref="service"),
        Column("service_provider", "Aanbieder dienst", "Service provider"),
        Column("alternative", "Beoogd alternatief", "Intended alternative", "ref", ref="alternative"),
        Column("owner", "Eigenaar", "Owner", example="CIO-office"),
        Column("estimated_cost", "Geschatte kosten (EUR)", "Estimated cost (EUR)", "decimal", example=80000),
        Column("duration_days", "Duur (dagen)", "Duration (days)", "int", minimum=0, example=180),
        _date("last_tested", "Laatst getest", "Last tested"),
        Column("status", "Status", "Status", "choice", choices=ExitPlanStatus, example="draft"),
        Column("notes", "Notities", "Notes"),
    ),
    ("title",),
    "Per applicatie óf dienst: hoe de organisatie die zou verlaten.",
)

EXIT_STEPS = Sheet(
    "exit_plan_steps",
    "Exitplanstappen",
    "Exit-plan steps",
    ExitPlanStep,
    (
        Column(
            "plan", "Exitplan", "Exit plan", "ref", required=True, ref="exit_plan", example="Exit zaaksysteem"
        ),
        Column("order", "Volgorde", "Order", "int", required=True, minimum=0, example=1),
        Column("description", "Stap", "Step", required=True, example="Alle zaken exporteren"),
        Column("owner", "Eigenaar", "Owner"),
        Column("duration_days", "Duur (dagen)", "Duration (days)", "int", minimum=0, example=30),
        Column("done", "Gereed", "Done", "bool", example="nee"),
    ),
    ("plan", "order"),
    "De stappen van elk exitplan, in volgorde.",
)

# In the order they are imported: what is referred to comes before what refers to it.
SHEETS: tuple[Sheet, ...] = (
    PROCESSES,
    USAGES,
    GROUPS,
    DEPENDENCIES,
    DATA_SETS,
    CONTRACTS,
    CLAUSES,
    EXIT_PLANS,
    EXIT_STEPS,
)
SHEET_BY_KEY = {s.key: s for s in SHEETS}
INSTRUCTIONS_TITLE = "Toelichting"
TEMPLATE_KEYWORD = "regie-template"
EXPORT_KEYWORD = "regie-export"
LISTS_TITLE = "Keuzelijsten"


def header_key(value: object) -> str:
    """A header as typed, reduced to compare: case, spaces and the required marker ignored."""
    return " ".join(str(value or "").replace("*", " ").split()).casefold()


def sheet_for_title(title: str) -> Sheet | None:
    wanted = header_key(title)
    for sheet in SHEETS:
        if wanted in (header_key(sheet.nl), header_key(sheet.en), sheet.key):
            return sheet
    return None


def sheet_for_headers(headers: list[str]) -> Sheet | None:
    """The sheet whose headers best match a CSV header row (all its required columns present)."""
    given = {header_key(h) for h in headers if h}
    best: tuple[int, Sheet] | None = None
    for sheet in SHEETS:
        names = [{header_key(c.nl), header_key(c.en)} for c in sheet.columns]
        if not all(n & given for n, c in zip(names, sheet.columns, strict=True) if c.required):
            continue
        score = sum(1 for n in names if n & given)
        if best is None or score > best[0]:
            best = (score, sheet)
    return best[1] if best else None


def sheets_with_all_headers(headers: list[str]) -> list[Sheet]:
    """The sheets of which every header of a CSV is a column (Dutch or English name)."""
    given = {header_key(h) for h in headers if str(h or "").strip()}
    return [
        sheet
        for sheet in SHEETS
        if given and given <= {header_key(n) for c in sheet.columns for n in (c.nl, c.en)}
    ]


def _words(value: str) -> list[str]:
    return re.sub(r"[^0-9a-z]+", " ", value.casefold()).split()


def sheet_for_filename(filename: str) -> Sheet | None:
    """The sheet a CSV file name ends with (its Dutch or English name or key, any case).

    ``processen.csv``, ``gm0363-processes.csv``, ``register_exit-plan-steps.csv``."""
    stem = _words(PurePath(filename).stem)
    found: list[tuple[int, Sheet]] = []
    for sheet in SHEETS:
        for name in (sheet.nl, sheet.en, sheet.key):
            words = _words(name)
            if stem[-len(words) :] == words or "".join(stem) == "".join(words):
                found.append((len(words), sheet))
    return max(found, key=lambda item: item[0])[1] if found else None
