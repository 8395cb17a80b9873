"""The assessment of a tender's bids (ADR 0110, 0111): eligibility, sovereignty, marginal effect,
findings a bid would raise, weighted ranking. No permission check here: callers are the
scoped selectors (``selectors.assessment_for``) and trusted callers (the command line).

The marginal effect of a bid is a scenario on the organisation's snapshot, never on the
register: the usages in the tender's scope (usages required by the scope processes, and usages
realising a scope reference component; retired ones excluded) are rehosted onto the bid's product
and services under a contract with the bidder (``regie.core.rehost``). The organisation's figures
before and after are compared, and the framework is evaluated on both to list the findings
that the bid would add.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from regie.analysis.scenarios import FigureRow, figure_rows
from regie.analysis.selectors import organisation_snapshot
from regie.core.analysis import Analysis, AnalysisOptions, analyse
from regie.core.rehost import NewContract, Rehost, rehost
from regie.core.scenarios import Scenario, ScenarioResult
from regie.core.snapshot import Snapshot
from regie.policy.context import build_context
from regie.policy.evaluate import Hit, evaluate
from regie.policy.framework import Framework, framework_for
from regie.policy.sovereignty import OBJECTIVES, QUESTIONS, score
from regie.register.models import ClauseKind, Contract, Dependency, Usage

from .models import Bid, Decision, Tender
from .scoring import CRITERIA, check_weights, rank

__all__ = ["BidAssessment", "Sovereignty", "TenderAssessment", "assess", "scope_usage_ids"]

#: Figure families reported as the marginal effect of a bid.
EFFECT_PREFIXES: tuple[str, ...] = (
    "exposure.",
    "reliance.",
    "spend.hhi",
    "hhi.",
    "blast.",
    "lockin.",
    "spof.",
)
_LOCKIN_POINTS = {
    "lockin.easily_substitutable": 0,
    "lockin.medium_complexity": 1,
    "lockin.highly_complex": 2,
    "lockin.not_substitutable": 3,
}


@dataclass(frozen=True)
class Sovereignty:
    seal: int  # overall: the weakest objective
    weighted: float  # 0-100
    objectives: Mapping[str, int]
    unanswered: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "seal": self.seal,
            "weighted": self.weighted,
            "objectives": dict(self.objectives),
            "unanswered": list(self.unanswered),
        }


@dataclass(frozen=True)
class BidAssessment:
    bid: Bid
    eligible: bool
    reasons: tuple[str, ...]
    sovereignty: Sovereignty
    effects: tuple[FigureRow, ...]
    findings: tuple[tuple[str, str, str], ...]  # (rule id, severity, message) the bid would add
    measures: Mapping[str, float | None]
    scores: Mapping[str, float]
    total: float
    rank: int | None

    @property
    def cost(self) -> float | None:
        return self.measures.get("cost")

    def to_dict(self) -> dict[str, Any]:
        b = self.bid
        return {
            "bid": b.pk,
            "bidder": {"id": b.bidder_id, "name": b.bidder.name},
            "product": None if b.product_id is None else {"id": b.product_id, "name": str(b.product)},
            "services": [{"id": s.pk, "name": s.name} for s in b.services.all()],
            "annualPrice": None if b.annual_price is None else float(b.annual_price),
            "totalValue": None if b.total_value is None else float(b.total_value),
            "eligible": self.eligible,
            "reasons": list(self.reasons),
            "sovereignty": self.sovereignty.to_dict(),
            "effects": [
                {"name": r.name, "label": r.label, "before": r.before, "after": r.after, "delta": r.delta}
                for r in self.effects
            ],
            "findings": [{"rule": r, "severity": s, "message": m} for r, s, m in self.findings],
            "measures": dict(self.measures),
            "scores": dict(self.scores),
            "total": self.total,
            "rank": self.rank,
        }


@dataclass(frozen=True)
class TenderAssessment:
    tender: Tender
    weights: dict[str, float]
    bids: tuple[BidAssessment, ...]
    decision: Decision | None
    scope_usages: tuple[int, ...]

    @property
    def ranked(self) -> tuple[BidAssessment, ...]:
        return tuple(sorted((b for b in self.bids if b.rank is not None), key=lambda b: b.rank or 0))

    @property
    def ineligible(self) -> tuple[BidAssessment, ...]:
        return tuple(b for b in self.bids if not b.eligible)

    def to_dict(self) -> dict[str, Any]:
        t = self.tender
        d = self.decision
        return {
            "tender": {
                "id": t.pk,
                "organisation": t.organisation.code,
                "reference": t.reference,
                "title": t.title,
                "status": t.status,
                "minimumSeal": {k: v for k, v in t.min_seals.items() if v is not None},
                "requiredClauses": list(t.required_clauses),
                "processes": sorted(t.processes.values_list("pk", flat=True)),
                "referenceComponents": sorted(t.reference_components.values_list("pk", flat=True)),
            },
            "weights": dict(self.weights),
            "scopeUsages": list(self.scope_usages),
            "bids": [b.to_dict() for b in sorted(self.bids, key=lambda b: (b.rank or math.inf, b.bid.pk))],
            "decision": None
            if d is None
            else {
                "id": d.pk,
                "bid": d.bid_id,
                "justification": d.justification,
                "decidedOn": d.decided_on.isoformat(),
                "decidedBy": d.decided_by.username if d.decided_by else None,
                "supersedes": d.supersedes_id,
            },
        }


def scope_usage_ids(tender: Tender) -> tuple[int, ...]:
    """The organisation's usages in the tender's scope (retired ones excluded)."""
    processes = list(tender.processes.values_list("pk", flat=True))
    components = list(tender.reference_components.values_list("pk", flat=True))
    if not processes and not components:
        return ()
    required = Dependency.objects.filter(
        organisation_id=tender.organisation_id, kind="requires", from_process__in=processes
    ).values_list("to_usage_id", flat=True)
    rows = (
        Usage.objects.filter(organisation_id=tender.organisation_id)
        .filter(Q(pk__in=list(required)) | Q(reference_component__in=components))
        .exclude(status="retired")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return tuple(rows)


def _objective_name(code: str) -> str:
    nl, en = OBJECTIVES[code]
    return en if (get_language() or "nl").startswith("en") else nl


def _eligibility(tender: Tender, bid: Bid, sov: Sovereignty) -> tuple[str, ...]:
    reasons: list[str] = []
    for code, minimum in tender.min_seals.items():
        if minimum is None:
            continue
        level = sov.objectives.get(code, 0)
        if level < minimum:
            missing = [q for q in sov.unanswered if q.startswith(code + ".")]
            text = _("SEAL %(level)d for objective %(name)s (%(code)s), minimum %(minimum)d") % {
                "level": level,
                "name": _objective_name(code),
                "code": code,
                "minimum": minimum,
            }
            if missing:
                text += " — " + _("unanswered, counted as SEAL 0: %(q)s") % {"q": ", ".join(missing)}
            reasons.append(text)
    labels = dict(ClauseKind.choices)
    for kind in tender.required_clauses:
        offered = (bid.clauses or {}).get(kind, "unknown")
        if offered == "yes":
            continue
        name = str(labels.get(kind, kind))
        if offered == "no":
            reasons.append(_("required clause “%(clause)s” not offered") % {"clause": name})
        else:
            reasons.append(_("required clause “%(clause)s”: unknown whether offered") % {"clause": name})
    return tuple(reasons)


def _sovereignty(bid: Bid) -> Sovereignty:
    answers = {q.id: bid.answers[q.id] for q in QUESTIONS if (bid.answers or {}).get(q.id)}
    s = score(answers)
    return Sovereignty(s.seal, s.weighted, dict(s.objectives), s.unanswered)


def _cost(tender: Tender, bid: Bid) -> float | None:
    """Cost over the contract term: the total value, else the annual price times the term."""
    if bid.total_value is not None:
        return float(bid.total_value)
    if bid.annual_price is not None:
        return float(bid.annual_price) * tender.contract_months / 12.0
    return None


def _annual(tender: Tender, bid: Bid) -> float | None:
    if bid.annual_price is not None:
        return float(bid.annual_price)
    if bid.total_value is not None:
        return float(bid.total_value) * 12.0 / tender.contract_months
    return None


def _extra(tender: Tender, bid_keys: Mapping[Hashable, str]) -> dict[str, dict[Any, Any]]:
    rows = Contract.objects.filter(organisation_id=tender.organisation_id).values_list(
        "pk", "reference", "title", "renewal_decision"
    )
    decisions: dict[Any, Any] = {pk: (d or "undecided") for pk, _r, _t, d in rows}
    names: dict[Any, Any] = {pk: (ref or title) for pk, ref, title, _d in rows}
    for key, name in bid_keys.items():
        decisions[key] = "undecided"
        names[key] = name
    return {"renewal_decision": decisions, "contract_name": names}


def _measures(figures: Mapping[str, float]) -> dict[str, float]:
    def get(name: str) -> float:
        v = figures.get(name, 0.0)
        return 0.0 if v is None or math.isnan(v) else float(v)

    exposed = sum(get(f"exposure.{d}.exposed") for d in ("control", "location", "access"))
    unknown = sum(get(f"exposure.{d}.unknown") for d in ("control", "location", "access"))
    blast = max((get(k) for k in figures if k.startswith("blast.") and k.endswith(".critical")), default=0.0)
    return {
        "exposure": exposed + 0.5 * unknown,
        "concentration": get("spend.hhi"),
        "continuity": get("spof.critical_processes") + blast,
        "lockin": sum(points * get(k) for k, points in _LOCKIN_POINTS.items()),
    }


def _hit_key(h: Hit) -> tuple[str, str, str]:
    return (h.rule, h.subject, h.subject_key)


def _message(h: Hit) -> str:
    return h.message_en if (get_language() or "nl").startswith("en") else h.message_nl


@dataclass
class _Base:
    snap: Snapshot
    before: Analysis
    hits: set[tuple[str, str, str]]
    options: AnalysisOptions
    framework: Framework


def _base(tender: Tender, snap: Snapshot, as_of: dt.date) -> _Base:
    options = AnalysisOptions(as_of=as_of, detail=False)
    before = analyse(snap, [tender.organisation_id], options)
    framework = framework_for(tender.organisation)
    ctx = build_context(before, as_of=as_of, extra=_extra(tender, {}))
    return _Base(snap, before, {_hit_key(h) for h in evaluate(ctx, framework.applied)}, options, framework)


def _bid_effect(
    tender: Tender, bid: Bid, base: _Base, usages: tuple[int, ...], as_of: dt.date
) -> tuple[tuple[FigureRow, ...], tuple[tuple[str, str, str], ...], dict[str, float]]:
    org = tender.organisation_id
    services = tuple(s.pk for s in bid.services.all())
    offered = {k: (1 if v == "yes" else 0) for k, v in (bid.clauses or {}).items() if v in ("yes", "no")}
    key = ("bid", bid.pk)
    start = (tender.closes_on or as_of).toordinal()
    change = Rehost(
        org=org,
        usages=usages,
        services=services,
        product=bid.product_id,
        contract=NewContract(
            counterparty=bid.bidder_id,
            key=key,
            annual_value=_annual(tender, bid),
            start=start,
            end=start + round(tender.contract_months * 365.25 / 12),
            clauses=offered,
        ),
    )
    after_snap = rehost(base.snap, change)
    after = analyse(after_snap, [org], base.options)
    result = ScenarioResult(Scenario(str(bid), ()), base.before, after, ())
    cat = after_snap.catalogue
    names = {str(cat.cols.entity_keys[e]): cat.cols.entity_names[e] for e in cat.group_entity.tolist()}
    rows = tuple(r for r in figure_rows(result, names) if r.changed and r.name.startswith(EFFECT_PREFIXES))
    ctx = build_context(after, as_of=as_of, extra=_extra(tender, {key: tender.reference}))
    new = {}
    for h in evaluate(ctx, base.framework.applied):
        if _hit_key(h) not in base.hits and _hit_key(h) not in new:
            new[_hit_key(h)] = (h.rule, h.severity, _message(h))
    order = {"fail": 0, "warn": 1, "info": 2}
    findings = tuple(sorted(new.values(), key=lambda f: (order.get(f[1], 9), f[0], f[2])))
    return rows, findings, _measures(after.figures())


def assess(
    tender: Tender, weights: Mapping[str, object] | None = None, *, as_of: dt.date | None = None
) -> TenderAssessment:
    """Assess every bid of the tender (no permission check). ``weights`` override the saved
    weights for this assessment only (WeightError names a bad one)."""
    chosen = check_weights(weights or {}, tender.weights)
    today = as_of or dt.date.today()
    bids = list(tender.bids.select_related("bidder", "product").prefetch_related("services").order_by("pk"))
    usages = scope_usage_ids(tender)
    rows = []
    if bids:
        base = _base(tender, organisation_snapshot(tender.organisation), today)
        for bid in bids:
            sov = _sovereignty(bid)
            reasons = _eligibility(tender, bid, sov)
            effects, findings, figures = _bid_effect(tender, bid, base, usages, today)
            measures: dict[str, float | None] = {"cost": _cost(tender, bid), "sovereignty": sov.weighted}
            measures.update(figures)
            rows.append((bid, sov, reasons, effects, findings, measures))
    ranked = rank([r[5] for r in rows], [not r[2] for r in rows], chosen)
    out = tuple(
        BidAssessment(
            bid=bid,
            eligible=not reasons,
            reasons=reasons,
            sovereignty=sov,
            effects=effects,
            findings=findings,
            measures=measures,
            scores={c: rk.scores[c] for c in CRITERIA},
            total=rk.total,
            rank=rk.rank,
        )
        for (bid, sov, reasons, effects, findings, measures), rk in zip(rows, ranked, strict=True)
    )
    decision = tender.decisions.select_related("decided_by").order_by("-created_at", "-pk").first()
    return TenderAssessment(tender, chosen, out, decision, usages)
