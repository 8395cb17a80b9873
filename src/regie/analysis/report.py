"""The analysis of one organisation arranged for people: the sections that the command line,
the dashboard and the API show, in one shape.

Nothing is computed here that the engine did not compute; this module only groups, sorts and
labels (for instance the per-process exposures of ``Analysis.process_exposures`` are grouped
into exposure by jurisdiction). Country names come from the register in the active language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from regie.core.analysis import Analysis
from regie.core.closure import Walk, walk
from regie.core.concentration import hhi, hhi_band
from regie.core.continuity import RecoveryGap, SinglePointOfFailure
from regie.core.explain import Step
from regie.core.exposure import DimensionExposure
from regie.core.facts import DIMENSIONS
from regie.register.models import Country

from . import labels


@dataclass(frozen=True)
class KeyFigure:
    key: str
    label: str
    value: float | None
    unit: str = ""  # "", "EUR", "%" or "HHI"
    note: str = ""
    page: str = ""  # the analysis page that explains it (exposure, continuity, price_power, ...)


@dataclass
class JurisdictionRow:
    """Processes exposed to one country, per dimension, and the laws that make it material."""

    country: str
    name: str
    trusted: bool
    processes: dict[str, list[DimensionExposure]] = field(default_factory=dict)
    laws: dict[Hashable, str] = field(default_factory=dict)

    def count(self, dimension: str) -> int:
        return len(self.processes.get(dimension, ()))

    @property
    def counts(self) -> list[int]:
        return [self.count(d) for d in DIMENSIONS]

    @property
    def cells(self) -> list[tuple[str, int]]:
        """(dimension, number of processes) in the order of the dimensions."""
        return [(d, self.count(d)) for d in DIMENSIONS]

    @property
    def total(self) -> int:
        return len({e.process for items in self.processes.values() for e in items})


@dataclass(frozen=True)
class GroupRow:
    group: Hashable | None
    name: str
    reliance: float | None  # share of critical processes (0-1)
    critical_processes: int
    spend: float | None
    spend_share: float | None


@dataclass(frozen=True)
class BlastRow:
    group: Hashable
    name: str
    failed_processes: int
    critical_failed: int
    impact: float


@dataclass(frozen=True)
class SpofRow:
    """A single point of failure with the whole path from the process to the failing node."""

    spof: SinglePointOfFailure
    path: tuple[Step, ...]


@dataclass
class Report:
    """Every section of an organisation's analysis, labelled."""

    analysis: Analysis
    key_figures: list[KeyFigure]
    jurisdictions: list[JurisdictionRow]
    unknown: dict[str, list[DimensionExposure]]
    groups: list[GroupRow]
    spend_hhi: float | None
    spend_band: str | None
    reliance_hhi: float | None
    reliance_band: str | None
    blast: list[BlastRow]
    spofs: list[SpofRow]
    rise_percent: float

    @property
    def recovery_rows(self) -> list[tuple[RecoveryGap, str]]:
        """Each recovery gap with the name of its process."""
        snap = self.analysis.graph.snap
        return [(r, snap.orgs.process_names[snap.process_index[r.process]]) for r in self.analysis.recovery]

    @property
    def unknown_cells(self) -> list[tuple[str, int]]:
        return [(d, len(self.unknown.get(d, ()))) for d in DIMENSIONS]

    @property
    def non_trusted(self) -> list[JurisdictionRow]:
        return [j for j in self.jurisdictions if not j.trusted]


def country_names() -> dict[str, str]:
    """ISO code -> name in the active language (Dutch unless English is active)."""
    field_name = "name_en" if (get_language() or "nl").startswith("en") else "name_nl"
    return dict(Country.objects.values_list("code", field_name))


def group_names(analysis: Analysis) -> dict[str, str]:
    """Key (as text) -> name of every provider group of the catalogue."""
    cat = analysis.graph.snap.catalogue
    keys = cat.cols.entity_keys
    names = cat.cols.entity_names
    return {str(keys[e]): names[e] for e in cat.group_entity.tolist()}


def exposure_by_jurisdiction(
    analysis: Analysis, names: dict[str, str] | None = None
) -> tuple[list[JurisdictionRow], dict[str, list[DimensionExposure]]]:
    """Group the per-process exposures by country (non-trusted first, then by processes)."""
    names = country_names() if names is None else names
    rows: dict[str, JurisdictionRow] = {}
    unknown: dict[str, list[DimensionExposure]] = defaultdict(list)
    for pe in analysis.process_exposures:
        for e in pe.exposures:
            if e.country is None:
                unknown[e.dimension].append(e)
                continue
            row = rows.get(e.country)
            if row is None:
                row = rows[e.country] = JurisdictionRow(e.country, names.get(e.country, e.country), e.trusted)
            row.processes.setdefault(e.dimension, []).append(e)
            row.laws.update(dict(e.laws))
    ordered = sorted(rows.values(), key=lambda r: (r.trusted, -r.total, r.country))
    return ordered, dict(unknown)


def provider_groups(analysis: Analysis) -> list[GroupRow]:
    """Reliance and spend share per provider group, largest reliance first."""
    spend = {s.group: s for s in analysis.spend.shares} if analysis.spend else {}
    out: list[GroupRow] = []
    seen: set[Hashable | None] = set()
    for r in analysis.reliance:
        s = spend.get(r.group)
        out.append(
            GroupRow(
                r.group, r.name, r.share, r.critical_processes, s.value if s else None, s.share if s else None
            )
        )
        seen.add(r.group)
    for s in spend.values():
        if s.group not in seen:
            name = s.name if s.group is not None else _("unknown counterparty")
            out.append(GroupRow(s.group, name, 0.0, 0, s.value, s.share))
    return out


def blast_ranking(analysis: Analysis) -> list[BlastRow]:
    """Every provider group whose failure stops at least one process, by impact."""
    cat = analysis.graph.snap.catalogue
    b = analysis.blast
    rows = []
    for g in b.top(cat.n_groups).tolist():
        if b.failed_processes[g] <= 0:
            continue
        e = int(cat.group_entity[g])
        rows.append(
            BlastRow(
                cat.cols.entity_keys[e],
                cat.cols.entity_names[e],
                int(b.failed_processes[g]),
                int(b.critical_failed[g]),
                float(b.impact[g]),
            )
        )
    return rows


def spof_paths(analysis: Analysis) -> list[SpofRow]:
    """Each single point of failure with the shortest path process -> ... -> node."""
    graph = analysis.graph
    snap = graph.snap
    rows = []
    walks: dict[int, Walk] = {}
    usage_positions = {u: i for i, u in enumerate(graph.usage.tolist())}
    for s in analysis.spofs:
        p = snap.process_index[s.process]
        p_local = int(p + graph.process_offset[snap.orgs.process_org[p]])
        w = walks.get(p_local) or walks.setdefault(p_local, walk(graph, p_local))
        if s.kind == "service":
            node = ("service", snap.catalogue.service_index[s.key])
        else:
            pos = usage_positions.get(snap.usage_index[s.key], -1)
            node = ("local", pos + graph.n_p)
        path = tuple(w.path(node)) if node in w.prev else s.evidence.path
        rows.append(SpofRow(s, path))
    return rows


def _key_figures(analysis: Analysis, jurisdictions: list[JurisdictionRow]) -> list[KeyFigure]:
    f = analysis.figures()
    pe = analysis.process_exposures
    non_eu = sum(1 for p in pe if "exposed" in dict(p.states).values())
    unknown = sum(
        1 for p in pe if "exposed" not in dict(p.states).values() and "unknown" in dict(p.states).values()
    )
    spend_hhi = analysis.spend.hhi if analysis.spend else None
    return [
        KeyFigure("processes", _("processes"), f["processes"]),
        KeyFigure("critical_processes", _("critical processes"), f["critical_processes"]),
        KeyFigure("usages", _("applications in use"), f["usages"]),
        KeyFigure(
            "non_trusted_exposed",
            _("processes exposed outside the trusted jurisdictions"),
            float(non_eu),
            note=", ".join(j.country for j in jurisdictions if not j.trusted),
            page="exposure",
        ),
        KeyFigure(
            "exposure_unknown",
            _("processes with unknown exposure (counted as risk)"),
            float(unknown),
            page="exposure",
        ),
        KeyFigure(
            "spof_critical",
            _("critical processes with a single point of failure"),
            f["spof.critical_processes"],
            page="continuity",
        ),
        KeyFigure("spof_count", _("single points of failure"), f["spof.count"], page="continuity"),
        KeyFigure("spend_total", _("annual contract value"), f.get("spend.total"), "EUR"),
        KeyFigure(
            "spend_hhi",
            _("concentration of spend (HHI)"),
            spend_hhi,
            "HHI",
            labels.label(labels.BANDS, hhi_band(spend_hhi)) if spend_hhi is not None else "",
        ),
        KeyFigure(
            "price_inescapable",
            _("inescapable cost of the price rise"),
            f["price.inescapable"],
            "EUR",
            page="price_power",
        ),
    ]


def build_report(analysis: Analysis, *, rise_percent: float = 10.0) -> Report:
    """Arrange an analysis (made with detail on) into labelled sections."""
    jurisdictions, unknown = exposure_by_jurisdiction(analysis)
    groups = provider_groups(analysis)
    reliance = [g.critical_processes for g in groups if g.critical_processes]
    rel_hhi = hhi(reliance) if reliance else None
    return Report(
        analysis=analysis,
        key_figures=_key_figures(analysis, jurisdictions),
        jurisdictions=jurisdictions,
        unknown=unknown,
        groups=groups,
        spend_hhi=analysis.spend.hhi if analysis.spend else None,
        spend_band=analysis.spend.band if analysis.spend else None,
        reliance_hhi=rel_hhi,
        reliance_band=hhi_band(rel_hhi) if rel_hhi is not None else None,
        blast=blast_ranking(analysis),
        spofs=spof_paths(analysis),
        rise_percent=rise_percent,
    )


def chart_data(report: Report) -> dict[str, Any]:
    """The concentration chart's data (drawn in the browser by the analysis script)."""
    groups = report.groups[:15]
    return {
        "groups": [g.name for g in groups],
        "reliance": [round(100 * (g.reliance or 0.0), 1) for g in groups],
        "spend": [round(100 * (g.spend_share or 0.0), 1) for g in groups],
        "labels": {
            "reliance": _("reliance (percentage of critical processes)"),
            "spend": _("spend share (percentage)"),
            "axis": _("percent"),
        },
    }
