"""The figures of the organisations a catalogue change touches, before and after it.

``regie reference update`` analyses only the affected organisations (see :mod:`.impact`): once
before the bundle is applied and once after, each organisation in its own scope (with its own
local overrides), and reports per organisation every figure that changed (before → after).
Besides the engine's figures (:meth:`regie.core.analysis.Analysis.figures`) the jurisdiction
exposure is counted per country (``exposure.<dimension>.<country>``: processes exposed to it),
so that a change of owner from one foreign country to another shows even when the number of
exposed processes stays the same.

All affected organisations without overrides are analysed on one snapshot (the catalogue is
compiled once); an organisation with overrides gets its own overlaid snapshot.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from regie.analysis.adapter import build_snapshot
from regie.core.analysis import Analysis, AnalysisOptions, analyse
from regie.core.facts import DIMENSIONS
from regie.register.models import LegalEntity, Organisation

from .models import FactOverride
from .overlay import with_overrides

Figures = dict[str, float]
OPTIONS = AnalysisOptions(detail=False, threads=False)


def _with_jurisdictions(analysis: Analysis) -> Figures:
    figures = dict(analysis.figures())
    codes = analysis.graph.snap.catalogue.cols.country_codes
    for d, dim in enumerate(DIMENSIONS):
        per_country = np.asarray(analysis.exposure.countries[d].sum(axis=0)).ravel()
        for c in np.nonzero(per_country)[0].tolist():
            figures[f"exposure.{dim}.{codes[c]}"] = float(per_country[c])
    return figures


def figures_of(organisation_ids: Iterable[int]) -> dict[int, Figures]:
    """Every figure of each organisation, each analysed on its own (with its overrides)."""
    ids = sorted(set(organisation_ids))
    if not ids:
        return {}
    overridden = set(
        FactOverride.objects.filter(organisation_id__in=ids).values_list("organisation_id", flat=True)
    )
    plain = [pk for pk in ids if pk not in overridden]
    out: dict[int, Figures] = {}
    if plain:
        snap = build_snapshot(organisation_ids=plain)
        for pk in plain:
            out[pk] = _with_jurisdictions(analyse(snap, [pk], OPTIONS))
    for pk in sorted(overridden):
        snap = with_overrides(build_snapshot(organisation_ids=[pk]), pk)
        out[pk] = _with_jurisdictions(analyse(snap, [pk], OPTIONS))
    return out


@dataclass(frozen=True)
class FigureChange:
    figure: str
    before: float | None
    after: float | None

    def describe(self, names: dict[str, str]) -> str:
        return f"{label(self.figure, names)}: {_num(self.before)} → {_num(self.after)}"


@dataclass(frozen=True)
class OrganisationChange:
    organisation_id: int
    code: str
    name: str
    changes: tuple[FigureChange, ...]


def _num(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:g}" if float(value).is_integer() else f"{value:.4g}"


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def diff(before: Figures, after: Figures) -> tuple[FigureChange, ...]:
    """The figures that differ; a figure that appears or disappears has None on one side."""
    keys = sorted(set(before) | set(after))
    return tuple(
        FigureChange(k, before.get(k), after.get(k)) for k in keys if not _same(before.get(k), after.get(k))
    )


def compare(before: dict[int, Figures], after: dict[int, Figures]) -> list[OrganisationChange]:
    """Per organisation (by name), the figures that changed; organisations without change too."""
    ids = set(before) | set(after)
    orgs = Organisation.objects.filter(pk__in=ids).order_by("name").values_list("pk", "code", "name")
    return [
        OrganisationChange(pk, code, name, diff(before.get(pk, {}), after.get(pk, {})))
        for pk, code, name in orgs
    ]


def _group_key(figure: str) -> str | None:
    """The provider group (entity key) a figure name mentions: ``reliance.12``,
    ``spend.share.12``, ``blast.12.impact``; None for scope-wide figures."""
    return next((p for p in figure.split(".")[1:] if p.isdigit()), None)


def group_names(changes: Iterable[OrganisationChange]) -> dict[str, str]:
    """Names of the provider groups (entity keys) that figure names mention."""
    keys = {int(k) for org in changes for c in org.changes if (k := _group_key(c.figure)) is not None}
    return {str(pk): name for pk, name in LegalEntity.objects.filter(pk__in=keys).values_list("pk", "name")}


def label(figure: str, names: dict[str, str]) -> str:
    """A figure name with the provider group's name for its entity key (``reliance.12`` →
    ``reliance.12 (Hg)``)."""
    key = _group_key(figure)
    return f"{figure} ({names[key]})" if key is not None and key in names else figure
