"""The analysis report as plain text for the terminal (``regie analyse``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from regie.core.explain import Evidence
from regie.core.facts import DIMENSIONS
from regie.register.models import Organisation

from . import labels
from .report import KeyFigure, Report


def number(value: float | None, unit: str = "") -> str:
    """A figure for people: thousands separated, EUR without cents, shares as percentages."""
    if value is None:
        return _("unknown")
    if unit == "%":
        return f"{100 * value:.1f} %"
    if unit in ("EUR", "HHI") or float(value).is_integer():
        text = f"{value:,.0f}".replace(",", "\N{NARROW NO-BREAK SPACE}")
        return f"EUR {text}" if unit == "EUR" else text
    return f"{value:,.2f}"


def hours(value: float | None) -> str:
    return _("unknown") if value is None else f"{number(value)} h"


def path_text(evidence: Evidence) -> str:
    return " → ".join(s.name for s in evidence.path)


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    rows = [list(r) for r in rows]
    widths = [len(h) for h in headers]
    for r in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, r, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _key_figure(k: KeyFigure) -> str:
    value = number(k.value, k.unit)
    return f"  {k.label}: {value}" + (f" ({k.note})" if k.note else "")


def render(report: Report, organisation: Organisation) -> str:
    out: list[str] = [
        _("Analysis of %(name)s (%(code)s)") % {"name": organisation.name, "code": organisation.code},
        "",
        _("Key figures"),
    ]
    out += [_key_figure(k) for k in report.key_figures]
    for section in (_exposure, _concentration, _continuity, _lock_in, _price_power):
        out += ["", *section(report)]
    return "\n".join(out) + "\n"


def _exposure(report: Report) -> list[str]:
    out = [_("Exposure by jurisdiction (processes per dimension)")]
    if report.jurisdictions:
        out += _table(
            [_("country"), *(labels.label(labels.DIMENSIONS, d) for d in DIMENSIONS), _("laws")],
            (
                [
                    f"{j.country} {j.name}" + ("" if j.trusted else " *"),
                    *(str(c) for c in j.counts),
                    "; ".join(j.laws.values()) or "-",
                ]
                for j in report.jurisdictions
            ),
        )
        out.append(_("* outside the trusted jurisdictions"))
    else:
        out.append("  " + _("no known exposure"))
    for d in DIMENSIONS:
        items = report.unknown.get(d, [])
        if items:
            out.append(
                _("  %(dimension)s unknown for %(count)d process(es): %(names)s")
                % {
                    "dimension": labels.label(labels.DIMENSIONS, d),
                    "count": len(items),
                    "names": ", ".join(path_text(e.evidence) or str(e.process) for e in items[:5]),
                }
            )
    return out


def _concentration(report: Report) -> list[str]:
    a = report.analysis
    out = [_("Concentration: reliance and spend per provider group")]
    if report.groups:
        out += _table(
            [_("provider group"), _("reliance"), _("critical processes"), _("spend"), _("spend share")],
            (
                [
                    g.name,
                    number(g.reliance, "%"),
                    str(g.critical_processes),
                    number(g.spend, "EUR"),
                    number(g.spend_share, "%"),
                ]
                for g in report.groups
            ),
        )
    else:
        out.append("  " + _("no provider groups"))
    if report.reliance_hhi is not None:
        out.append(
            _("  HHI of reliance: %(hhi)s (%(band)s)")
            % {
                "hhi": number(report.reliance_hhi, "HHI"),
                "band": labels.label(labels.BANDS, report.reliance_band),
            }
        )
    if report.spend_hhi is not None:
        out.append(
            _("  HHI of spend: %(hhi)s (%(band)s)")
            % {"hhi": number(report.spend_hhi, "HHI"), "band": labels.label(labels.BANDS, report.spend_band)}
        )
    if a.spend_unknown_contracts:
        out.append(_("  contracts with unknown value: %(n)d") % {"n": a.spend_unknown_contracts})
    out += [
        _("  HHI %(category)s: %(hhi)s (%(band)s)")
        % {"category": category, "hhi": number(t.hhi, "HHI"), "band": labels.label(labels.BANDS, t.band)}
        for t, category in (
            *((t, t.category) for t in a.refcomp_shares),
            *((t, labels.label(labels.SERVICE_KINDS, t.category)) for t in a.kind_shares),
        )
    ]
    return out


def _continuity(report: Report) -> list[str]:
    out = [_("Blast radius: processes down when a provider group fails")]
    if report.blast:
        out += _table(
            [_("provider group"), _("processes"), _("critical"), _("impact")],
            (
                [b.name, str(b.failed_processes), str(b.critical_failed), number(b.impact)]
                for b in report.blast
            ),
        )
    else:
        out.append("  " + _("no process depends on a provider group"))
    out += ["", _("Single points of failure (critical processes)")]
    out += [f"  {' → '.join(step.name for step in s.path)}" for s in report.spofs] or ["  " + _("none")]
    out += ["", _("Recovery gaps")]
    out += [
        "  "
        + _("%(process)s: %(state)s (MTD %(mtd)s, RTO %(rto)s; %(services)s)")
        % {
            "process": name,
            "state": labels.label(labels.RECOVERY_STATES, r.state),
            "mtd": hours(r.mtd_hours),
            "rto": hours(r.rto_hours),
            "services": ", ".join(f"{_service_name(report, k)} {hours(h)}" for k, h in r.services) or "-",
        }
        for r, name in report.recovery_rows
    ] or ["  " + _("none")]
    return out


def _lock_in(report: Report) -> list[str]:
    a = report.analysis
    out = [_("Lock-in (DORA substitutability)")]
    out += [f"  {labels.label(labels.SUBSTITUTABILITY, c)}: {n}" for c, n in a.lockin.counts().items()]
    for s in a.substitutability:
        reason = f" — {labels.label(labels.REASONS, s.reason)}" if s.reason else ""
        override = " " + _("(override: %(why)s)") % {"why": s.justification or "-"} if s.overridden else ""
        out.append(
            f"    {s.name}: {labels.label(labels.SUBSTITUTABILITY, s.substitutability)}{reason}{override}"
        )
    return out


def _price_power(report: Report) -> list[str]:
    a = report.analysis
    out = [_("Price power: a unilateral price rise of %(pct)s %%") % {"pct": number(report.rise_percent)}]
    if not a.price:
        return [*out, "  " + _("no contracts with a known value")]
    return out + _table(
        [_("provider group"), _("spend"), _("without price cap"), _("rise cost"), _("inescapable")],
        (
            [
                p.name,
                number(p.spend, "EUR"),
                number(p.uncapped_spend, "EUR"),
                number(p.rise_cost, "EUR"),
                number(p.inescapable_cost, "EUR"),
            ]
            for p in a.price
        ),
    )


def _service_name(report: Report, key: object) -> str:
    cat = report.analysis.graph.snap.catalogue
    i = cat.service_index.get(key)
    return cat.cols.service_names[i] if i is not None else str(key)
