"""An organisation's roadmap: its exit plans ordered by risk reduction per euro (ADR 0118).

Greedy and cumulative: each round runs every remaining plan as a scenario on top of the
steps already taken, and takes the plan with the highest reduction of the risk measure
(:mod:`regie.planning.risk`) per euro of its estimated cost. Ties go to the larger
reduction, then the lower cost, then the title. A plan with a cost of zero and a positive
reduction comes first (its reduction per euro is shown as unbounded, ``None``). Plans whose
cost is unknown, or whose effect cannot be computed, are not ranked: they are listed apart
with the reason, never treated as free.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from regie.accounts.permissions import can_view
from regie.analysis.scenarios import FigureRow, figure_rows
from regie.analysis.selectors import organisation_snapshot
from regie.core.analysis import Analysis, AnalysisOptions, analyse
from regie.core.rehost import Rehost, rehost
from regie.core.scenarios import Scenario, ScenarioResult
from regie.core.snapshot import Snapshot
from regie.register.models import ExitPlan, Organisation
from regie.register.selectors import NotVisibleError

from .matching import move_for
from .risk import RiskMeasure, risk_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User

__all__ = ["PlanEffect", "Roadmap", "RoadmapStep", "effect_of", "roadmap_for", "roadmap_of"]

_OPTIONS = AnalysisOptions(detail=False)


@dataclass(frozen=True)
class RoadmapStep:
    plan: ExitPlan
    title: str
    alternative: str | None
    cost: float
    risk_reduction: float  # on top of the steps before it
    per_euro: float | None  # None: cost zero
    cumulative_cost: float
    risk_after: float
    figures_after: tuple[FigureRow, ...]  # changed figures: before the roadmap → after this step
    terms_after: dict[str, float] = field(default_factory=dict)

    @property
    def per_million_euro(self) -> float | None:
        return None if self.per_euro is None else round(self.per_euro * 1_000_000, 6)

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan.pk,
            "title": self.title,
            "alternative": self.alternative,
            "usage": self.plan.usage_id,
            "service": self.plan.service_id,
            "cost": self.cost,
            "riskReduction": self.risk_reduction,
            "perEuro": self.per_euro,
            "perMillionEuro": self.per_million_euro,
            "cumulativeCost": self.cumulative_cost,
            "riskAfter": self.risk_after,
            "termsAfter": self.terms_after,
            "figuresAfter": [
                {"name": r.name, "label": r.label, "before": r.before, "after": r.after, "delta": r.delta}
                for r in self.figures_after
            ],
        }


@dataclass(frozen=True)
class Roadmap:
    organisation: Organisation
    risk_before: float
    steps: tuple[RoadmapStep, ...]
    unranked: tuple[tuple[ExitPlan, str], ...]
    terms_before: dict[str, float] = field(default_factory=dict)

    @property
    def risk_after(self) -> float:
        return self.steps[-1].risk_after if self.steps else self.risk_before

    @property
    def total_cost(self) -> float:
        return self.steps[-1].cumulative_cost if self.steps else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation.code,
            "riskBefore": self.risk_before,
            "riskAfter": self.risk_after,
            "termsBefore": self.terms_before,
            "totalCost": self.total_cost,
            "steps": [s.to_dict() for s in self.steps],
            "unranked": [
                {"plan": p.pk, "title": p.title, "usage": p.usage_id, "service": p.service_id, "reason": r}
                for p, r in self.unranked
            ],
        }


def _names(snap: Snapshot) -> dict[str, str]:
    cat = snap.catalogue
    return {str(cat.cols.entity_keys[e]): cat.cols.entity_names[e] for e in cat.group_entity.tolist()}


def _rows(before: Analysis, after: Analysis, snap: Snapshot) -> tuple[FigureRow, ...]:
    result = ScenarioResult(Scenario(_("roadmap"), ()), before, after, ())
    return tuple(r for r in figure_rows(result, _names(snap)) if r.changed)


def _order_key(reduction: float, cost: float, title: str, pk: int) -> tuple[Any, ...]:
    if cost > 0:
        ratio = reduction / cost
    else:
        ratio = math.inf if reduction > 0 else (0.0 if reduction == 0 else -math.inf)
    return (-ratio, -reduction, cost, title, pk)


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def roadmap_of(organisation: Organisation, plans: Sequence[ExitPlan] | None = None) -> Roadmap:
    """The roadmap of the organisation (no permission check: trusted callers)."""
    if plans is None:
        plans = list(
            ExitPlan.objects.filter(organisation=organisation)
            .select_related("usage", "usage__product", "usage__reference_component", "service", "alternative")
            .order_by("title", "pk")
        )
    snap = organisation_snapshot(organisation)
    org = [organisation.pk]
    base = analyse(snap, org, _OPTIONS)
    risk0 = risk_of(base)
    pending: list[tuple[ExitPlan, Rehost, float]] = []
    unranked: list[tuple[ExitPlan, str]] = []
    for plan in plans:
        move, why = move_for(plan)
        cost = _money(plan.estimated_cost)
        if move is None:
            unranked.append((plan, _("effect cannot be computed: %(why)s") % {"why": why}))
        elif cost is None:
            unranked.append((plan, _("cost unknown: not ranked (never counted as free)")))
        else:
            pending.append((plan, move, cost))
    steps: list[RoadmapStep] = []
    current, risk_now, spent = snap, risk0, 0.0
    while pending:
        best: tuple[tuple[Any, ...], int, Snapshot, Analysis, RiskMeasure] | None = None
        for i, (plan, move, cost) in enumerate(pending):
            trial = rehost(current, move)
            after = analyse(trial, org, _OPTIONS)
            risk = risk_of(after)
            key = _order_key(risk_now.total - risk.total, cost, plan.title, plan.pk)
            if best is None or key < best[0]:
                best = (key, i, trial, after, risk)
        assert best is not None
        _key, i, trial, after, risk = best
        plan, _move, cost = pending.pop(i)
        reduction = round(risk_now.total - risk.total, 6)
        spent += cost
        steps.append(
            RoadmapStep(
                plan=plan,
                title=plan.title,
                alternative=plan.alternative.name if plan.alternative is not None else None,
                cost=cost,
                risk_reduction=reduction,
                per_euro=reduction / cost if cost > 0 else None,
                cumulative_cost=spent,
                risk_after=risk.total,
                figures_after=_rows(base, after, trial),
                terms_after={k: round(v, 6) for k, v in risk.terms.items()},
            )
        )
        current, risk_now = trial, risk
    return Roadmap(
        organisation=organisation,
        risk_before=risk0.total,
        steps=tuple(steps),
        unranked=tuple(unranked),
        terms_before={k: round(v, 6) for k, v in risk0.terms.items()},
    )


def roadmap_for(*, user: User | AnonymousUser, organisation: Organisation) -> Roadmap:
    """The organisation's roadmap, if the user may see it; NotVisibleError otherwise."""
    if not can_view(user, organisation):
        raise NotVisibleError(f"No organisation with code {organisation.code!r}.")
    return roadmap_of(organisation)


@dataclass(frozen=True)
class PlanEffect:
    """What one plan changes on its own: the risk measure and the figures before and after."""

    plan: ExitPlan
    risk_before: float
    risk_after: float | None  # None: cannot be computed (see ``reason``)
    figures: tuple[FigureRow, ...]
    reason: str | None
    terms_before: dict[str, float] = field(default_factory=dict)
    terms_after: dict[str, float] = field(default_factory=dict)

    @property
    def reduction(self) -> float | None:
        return None if self.risk_after is None else round(self.risk_before - self.risk_after, 6)


def effect_of(plan: ExitPlan) -> PlanEffect:
    """The plan's effect on its own, on the organisation's current register (no permission
    check: the caller found the plan through a scoped selector)."""
    organisation = plan.organisation
    snap = organisation_snapshot(organisation)
    base = analyse(snap, [organisation.pk], _OPTIONS)
    risk0 = risk_of(base)
    terms0 = {k: round(v, 6) for k, v in risk0.terms.items()}
    move, why = move_for(plan)
    if move is None:
        return PlanEffect(plan, risk0.total, None, (), why, terms0)
    trial = rehost(snap, move)
    after = analyse(trial, [organisation.pk], _OPTIONS)
    risk = risk_of(after)
    return PlanEffect(
        plan,
        risk0.total,
        risk.total,
        _rows(base, after, trial),
        None,
        terms0,
        {k: round(v, 6) for k, v in risk.terms.items()},
    )
