"""The analysis of one organisation as JSON sections (what the API returns; snake_case here,
lowerCamelCase on the wire). Each section carries its evidence: paths and facts with provenance.
"""

from __future__ import annotations

from typing import Any

from regie.core.explain import jsonable

from .report import Report, chart_data


def exposure(report: Report) -> dict[str, Any]:
    a = report.analysis
    return {
        "counts": a.exposure.counts(),
        "jurisdictions": [
            {
                "country": j.country,
                "name": j.name,
                "trusted": j.trusted,
                "processes": {d: j.count(d) for d in ("control", "location", "access")},
                "laws": [{"key": jsonable(k), "name": n} for k, n in j.laws.items()],
            }
            for j in report.jurisdictions
        ],
        "unknown": {d: len(items) for d, items in report.unknown.items()},
        "process_exposures": [p.to_dict() for p in a.process_exposures],
    }


def concentration(report: Report) -> dict[str, Any]:
    a = report.analysis
    return {
        "groups": [
            {
                "group": jsonable(g.group),
                "name": g.name,
                "reliance": g.reliance,
                "critical_processes": g.critical_processes,
                "spend": g.spend,
                "spend_share": g.spend_share,
            }
            for g in report.groups
        ],
        "reliance_hhi": report.reliance_hhi,
        "reliance_band": report.reliance_band,
        "spend": a.spend.to_dict() if a.spend else None,
        "spend_unknown_contracts": a.spend_unknown_contracts,
        "refcomp_shares": [t.to_dict() for t in a.refcomp_shares],
        "kind_shares": [t.to_dict() for t in a.kind_shares],
        "chart": chart_data(report),
    }


def continuity(report: Report) -> dict[str, Any]:
    a = report.analysis
    return {
        "blast_radius": [
            {
                "group": jsonable(b.group),
                "name": b.name,
                "failed_processes": b.failed_processes,
                "critical_failed": b.critical_failed,
                "impact": b.impact,
            }
            for b in report.blast
        ],
        "single_points_of_failure": [
            {**s.spof.to_dict(), "path": [step.to_dict() for step in s.path]} for s in report.spofs
        ],
        "spof_count": a.spof_count,
        "spof_critical_processes": a.spof_critical_processes,
        "recovery_gaps": [r.to_dict() for r in a.recovery],
    }


def lock_in(report: Report) -> dict[str, Any]:
    a = report.analysis
    return {"counts": a.lockin.counts(), "substitutability": [s.to_dict() for s in a.substitutability]}


def price_power(report: Report) -> dict[str, Any]:
    a = report.analysis
    return {
        "rise_percent": report.rise_percent,
        "rise_cost": float(sum(p.rise_cost for p in a.price)),
        "inescapable_cost": float(sum(p.inescapable_cost for p in a.price)),
        "groups": [p.to_dict() for p in a.price],
    }


def everything(report: Report) -> dict[str, Any]:
    """Key figures and every section."""
    return {
        "organisation": jsonable(report.analysis.orgs[0]) if report.analysis.orgs else None,
        "figures": report.analysis.figures(),
        "key_figures": [
            {"key": k.key, "label": k.label, "value": k.value, "unit": k.unit, "note": k.note}
            for k in report.key_figures
        ],
        "exposure": exposure(report),
        "concentration": concentration(report),
        "continuity": continuity(report),
        "lock_in": lock_in(report),
        "price_power": price_power(report),
    }
