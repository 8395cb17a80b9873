"""The exit roadmap: the organisation's exit plans in the order that buys the most risk reduction
per euro (:func:`regie.planning.roadmap.roadmap_of`, ADR 0118), or, where it cannot be
computed, the exit plans as registered with the reason."""

from __future__ import annotations

from django.utils.translation import gettext as _

from regie.analysis.scenarios import FigureRow
from regie.planning.roadmap import Roadmap
from regie.register.models import ExitPlan, Organisation

from . import wording as n
from .charts import ChartSpec, Series
from .document import Chart, Note, Paragraph, Section, Table

SHOWN_FIGURES = 3  # changed figures named per step


def roadmap_section(
    section: Section, organisation: Organisation, roadmap: Roadmap | None, error: str = ""
) -> None:
    if roadmap is not None:
        _ranked(section, roadmap)
        return
    section.add(
        Note(
            _(
                "The ranked exit roadmap is unavailable%(why)s; the exit plans in the register are "
                "listed instead."
            )
            % {"why": f" ({error})" if error else ""},
            "warn",
        )
    )
    _registered(section, organisation)


def _figure(value: float | None) -> str:
    """A figure before or after a step; none where it does not exist (a group no longer present)."""
    return "–" if value is None else n.number(value, 0 if float(value).is_integer() else 1)


def _effects(rows: tuple[FigureRow, ...]) -> str:
    """The first changed figures of a step: label, before → after."""
    parts = [f"{r.label}: {_figure(r.before)} → {_figure(r.after)}" for r in rows[:SHOWN_FIGURES]]
    more = len(rows) - SHOWN_FIGURES
    if more > 0:
        parts.append(_("%(n)d more figures") % {"n": more})
    return "; ".join(parts) or "–"


def _ranked(section: Section, roadmap: Roadmap) -> None:
    steps = roadmap.steps
    section.add(
        Paragraph(
            _(
                "The exit plans in the order that removes the most risk per euro. Risk is measured in points "
                "from 0 (no risk found) to 100: a weighted sum of the shares of critical processes with "
                "non-EU control, with non-EU data location or access, with unknown exposure, relying on the "
                "largest provider group and down when the worst provider group fails, and of the "
                "applications that are hard to substitute. Each step is counted on top of the steps "
                "before it."
            )
        ),
    )
    if not steps:
        section.add(Note(_("No exit plan can be ranked yet.")))
    else:
        section.add(
            Table(
                (
                    "#",
                    _("Exit plan"),
                    _("Alternative"),
                    _("Cost"),
                    _("Reduction (points)"),
                    _("Points per € 1 million"),
                    _("Cumulative cost"),
                    _("Risk after (points)"),
                ),
                tuple(
                    (
                        str(i),
                        s.title,
                        s.alternative or "–",
                        n.eur(s.cost),
                        n.number(s.risk_reduction, 1),
                        _("unbounded (no cost)")
                        if s.per_euro is None
                        else n.number(s.per_euro * 1_000_000, 1),
                        n.eur(s.cumulative_cost),
                        n.number(s.risk_after, 1),
                    )
                    for i, s in enumerate(steps, 1)
                ),
                numeric=frozenset({0, 3, 4, 5, 6, 7}),
                caption=_(
                    "Risk before the roadmap: %(before)s points; after every step: %(after)s points, "
                    "for %(cost)s."
                )
                % {
                    "before": n.number(roadmap.risk_before, 1),
                    "after": n.number(roadmap.risk_after, 1),
                    "cost": n.eur(roadmap.total_cost),
                },
                widths=(0.35, 2.2, 1.5, 1.1, 1.1, 1.0, 1.2, 1.0),
            ),
            Table(
                ("#", _("Exit plan"), _("What changes after this step (before → after)")),
                tuple((str(i), s.title, _effects(s.figures_after)) for i, s in enumerate(steps, 1)),
                numeric=frozenset({0}),
                widths=(0.35, 2.6, 5.0),
            ),
            Chart(
                ChartSpec(
                    title=_("Risk that remains after each step (points, 0 to 100)"),
                    categories=(_("Now"), *(f"{i}. {s.title}" for i, s in enumerate(steps, 1))),
                    series=(Series(_("risk"), (roadmap.risk_before, *(s.risk_after for s in steps))),),
                    axis=_("risk in points"),
                    description=_("The risk now and after each step of the roadmap, in order."),
                )
            ),
        )
    if roadmap.unranked:
        section.add(
            Table(
                (_("Exit plan not ranked"), _("Reason")),
                tuple((p.title, reason) for p, reason in roadmap.unranked),
                marked=frozenset(range(len(roadmap.unranked))),
                widths=(3.0, 4.5),
            )
        )


def _registered(section: Section, organisation: Organisation) -> None:
    plans = list(
        ExitPlan.objects.filter(organisation=organisation)
        .select_related("usage__product", "service", "alternative")
        .order_by("title")
    )
    if not plans:
        section.add(Note(_("The register holds no exit plans."), "warn"))
        return
    section.add(
        Table(
            (_("Exit plan"), _("For"), _("Alternative"), _("Owner"), _("Cost"), _("Duration"), _("Status")),
            tuple(
                (
                    p.title,
                    str(p.usage or p.service or "–"),
                    str(p.alternative or "–"),
                    p.owner or "–",
                    n.eur(None if p.estimated_cost is None else float(p.estimated_cost)),
                    "–" if p.duration_days is None else _("%(n)d days") % {"n": p.duration_days},
                    str(p.get_status_display()),
                )
                for p in plans
            ),
            numeric=frozenset({4, 5}),
            widths=(2.4, 1.8, 1.6, 1.2, 1.1, 0.9, 1.4),
        )
    )
