"""The roadmap as plain text (the command line)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .risk import WEIGHTS
from .roadmap import Roadmap

__all__ = ["euros", "render_roadmap", "risk_measure_lines"]

TERM_LABELS = {
    "control": gettext_lazy("critical processes with non-EU control exposure"),
    "location_access": gettext_lazy("critical processes with non-EU data location or access"),
    "unknown": gettext_lazy("critical processes with an unknown exposure"),
    "reliance": gettext_lazy("critical processes relying on the top provider group"),
    "blast": gettext_lazy("critical processes down when the worst provider group fails"),
    "lock_in": gettext_lazy("usages not substitutable (highly complex counts half)"),
}


def term_label(term: str) -> str:
    return str(TERM_LABELS[term])


def euros(value: float) -> str:
    return f"EUR {value:,.0f}".replace(",", ".")


def risk_measure_lines() -> list[str]:
    return [f"  {WEIGHTS[k]:>4.0f} × {term_label(k)}" for k in WEIGHTS]


def _per_million(value: float | None) -> str:
    return _("no cost") if value is None else f"{value * 1_000_000:.2f}"


def render_roadmap(road: Roadmap) -> str:
    lines = [
        _("Roadmap of %(org)s") % {"org": road.organisation.name},
        _("Risk now: %(risk).2f points (0–100), weighted:") % {"risk": road.risk_before},
        *risk_measure_lines(),
        "",
    ]
    if road.steps:
        lines.append(
            _("#  plan | alternative | cost | risk reduction | per million euro | risk after | total cost")
        )
    for i, s in enumerate(road.steps, start=1):
        lines.append(
            f"{i}. {s.title} | {s.alternative or '-'} | {euros(s.cost)} | {s.risk_reduction:+.2f}"
            f" | {_per_million(s.per_euro)} | {s.risk_after:.2f} | {euros(s.cumulative_cost)}"
        )
        lines.extend(f"     {r.label}: {_fmt(r.before)} → {_fmt(r.after)}" for r in s.figures_after[:8])
    if road.unranked:
        lines += ["", _("Not ranked:")]
        lines += [f"- {p.title}: {reason}" for p, reason in road.unranked]
    return "\n".join(lines) + "\n"


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.3f}"
