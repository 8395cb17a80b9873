"""Suggested alternatives for a usage or a service, ranked and explained (ADR 0117).

Ranking, most important first: fit (1–5, unknown last), EU-based (yes, unknown, no), open
source (yes, unknown, no), maturity (widespread, proven, emerging, unknown), a match on the
product before a match on a reference component only, then the name. Unknown ranks below
yes: unknown counts as risk, and is shown as unknown.

Migration effort (low, medium, high) starts from the engine's migration-difficulty score of
the usage (or of the organisation's use of the service), item by item with the lock-in
policy's thresholds: below ``medium_from`` low, below ``high_from`` medium, else high. An
alternative whose maturity is emerging or unknown is one level harder. Each reason is shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regie.accounts.permissions import can_view
from regie.analysis.labels import SUBSTITUTABILITY, label
from regie.core.analysis import AnalysisOptions, analyse
from regie.core.lockin import LockinPolicy, Substitutability
from regie.register.models import Alternative, ExitPlan, Organisation, Service, Usage
from regie.register.selectors import NotVisibleError, get_visible

from .matching import Match, alternative_service, candidates_for_service, candidates_for_usage, move_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User

__all__ = ["EFFORTS", "Effort", "Suggestion", "alternatives_for", "effort_of"]

EFFORTS: tuple[str, ...] = ("low", "medium", "high")
EFFORT_LABELS = {"low": gettext_lazy("low"), "medium": gettext_lazy("medium"), "high": gettext_lazy("high")}
_TRI = {"yes": 0, "unknown": 1, "no": 2}
_MATURITY = {"widespread": 0, "proven": 1, "emerging": 2, "": 3}


@dataclass(frozen=True)
class Effort:
    level: str  # low, medium, high
    score: int  # the engine's migration-difficulty score
    substitutability: str | None  # the engine's class (None: not analysed)
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return str(EFFORT_LABELS[self.level])

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "score": self.score,
            "substitutability": self.substitutability,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Suggestion:
    """One alternative from the catalogue, why it is suggested, and its migration effort."""

    alternative: Alternative
    rank: int
    matches: tuple[str, ...]
    effort: Effort
    service: Service | None  # the alternative's catalogue service (what a scenario moves to)
    computable: bool  # whether a plan with it has an effect the roadmap can compute
    not_computable: str | None = None  # why not

    @property
    def name(self) -> str:
        return self.alternative.name

    def to_dict(self) -> dict[str, Any]:
        a = self.alternative
        return {
            "rank": self.rank,
            "alternative": a.pk,
            "name": a.name,
            "category": a.category,
            "fit": a.fit,
            "euBased": a.eu_based,
            "openSource": a.open_source,
            "licence": a.licence,
            "selfHostable": a.self_hostable,
            "maturity": a.maturity or None,
            "provider": a.provider.name if a.provider is not None else None,
            "product": a.product.name if a.product is not None else None,
            "service": self.service.name if self.service is not None else None,
            "computable": self.computable,
            "notComputable": self.not_computable,
            "matches": list(self.matches),
            "migrationNotes": a.migration_notes,
            "effort": self.effort.to_dict(),
        }


def _rank_key(m: Match) -> tuple[Any, ...]:
    a = m.alternative
    return (
        -(a.fit or 0),
        _TRI.get(a.eu_based, 1),
        _TRI.get(a.open_source, 1),
        _MATURITY.get(a.maturity or "", 3),
        not m.direct,
        a.name,
    )


def _tri_fact(value: Any) -> int:
    return -1 if value is None else int(bool(value))


def _points(facts: dict[str, Any], policy: LockinPolicy) -> list[tuple[int, str]]:
    """The engine's score item by item (regie.core.lockin._score), with a reason per item."""
    out: list[tuple[int, str]] = []
    export = _tri_fact(facts.get("open_export"))
    if export == 0:
        out.append((2, _("no export in an open standard")))
    elif export < 0:
        out.append((1, _("export in an open standard unknown")))
    n = int(facts.get("proprietary_integrations") or 0)
    if n:
        out.append(
            (
                2 if n >= policy.many_integrations else 1,
                _("%(n)d integrations without an open standard") % {"n": n},
            )
        )
    if _tri_fact(facts.get("exit_assistance")) != 1:
        out.append((1, _("no exit-assistance clause known")))
    if _tri_fact(facts.get("data_return_open_format")) != 1:
        out.append((1, _("no clause known on data return in an open format")))
    remaining = facts.get("remaining_years")
    if remaining is not None and remaining >= policy.long_remaining_years:
        out.append((1, _("contract runs %(years).1f more years") % {"years": remaining}))
    notice = facts.get("notice_days")
    if notice is not None and notice >= policy.long_notice_days:
        out.append((1, _("notice period of %(days)d days") % {"days": notice}))
    if "data_volume_gb" in facts:
        volume = facts["data_volume_gb"]
        if volume is None or (isinstance(volume, float) and math.isnan(volume)):
            out.append((1, _("data volume unknown")))
        elif volume >= policy.huge_volume_gb:
            out.append((2, _("data volume of %(gb)d GB") % {"gb": volume}))
        elif volume >= policy.large_volume_gb:
            out.append((1, _("data volume of %(gb)d GB") % {"gb": volume}))
    else:
        out.append((1, _("data volume unknown")))
    return out


def effort_of(sub: Substitutability | None, facts: dict[str, Any], maturity: str) -> Effort:
    """Migration effort from the engine's evidence (``facts``) and the alternative's maturity."""
    policy = LockinPolicy()
    points = _points(facts, policy)
    score = sum(p for p, _r in points)
    level = 0 if score < policy.medium_from else (1 if score < policy.high_from else 2)
    reasons = [f"{r} (+{p})" for p, r in points]
    reasons.insert(0, _("migration-difficulty score %(score)d") % {"score": score})
    if sub is not None:
        reasons.insert(
            1,
            _("the engine classes it as %(cls)s") % {"cls": label(SUBSTITUTABILITY, sub.substitutability)},
        )
    if maturity in ("emerging", ""):
        level = min(level + 1, 2)
        reasons.append(
            _("the alternative is still emerging: one level harder")
            if maturity
            else _("the alternative's maturity is unknown: one level harder")
        )
    return Effort(EFFORTS[level], score, sub.substitutability if sub else None, tuple(reasons))


def _usage_evidence(usage: Usage) -> tuple[Substitutability | None, dict[str, Any]]:
    from regie.analysis.selectors import organisation_snapshot

    snap = organisation_snapshot(usage.organisation)
    analysis = analyse(snap, [usage.organisation_id], AnalysisOptions(detail=True, spof=False))
    for sub in analysis.substitutability:
        if sub.key == usage.pk:
            return sub, {f.attribute: f.value for f in sub.evidence.facts}
    return None, {}


def _service_evidence(
    service: Service, organisation: Organisation | None
) -> tuple[Substitutability | None, dict[str, Any]]:
    if organisation is not None:
        from regie.analysis.selectors import organisation_snapshot

        snap = organisation_snapshot(organisation)
        analysis = analyse(snap, [organisation.pk], AnalysisOptions(detail=True, spof=False))
        for sub in analysis.service_substitutability:
            if sub.key == service.pk:
                return sub, {f.attribute: f.value for f in sub.evidence.facts}
    # not used by the organisation (or none given): the catalogue's facts only, no contract
    export = service.product.export_open_standard if service.product is not None else "unknown"
    return None, {"open_export": {"yes": True, "no": False}.get(export)}


def _suggest(
    matches: list[Match], sub: Substitutability | None, facts: dict[str, Any], subject: ExitPlan
) -> tuple[Suggestion, ...]:
    """``subject`` is an unsaved plan for the usage or service: with each alternative, whether
    the roadmap could compute its effect (and why not) is exactly what it would say."""
    out = []
    for rank, m in enumerate(sorted(matches, key=_rank_key), start=1):
        service, _why = alternative_service(m.alternative)
        subject.alternative = m.alternative
        _move, reason = move_for(subject)
        out.append(
            Suggestion(
                alternative=m.alternative,
                rank=rank,
                matches=m.reasons,
                effort=effort_of(sub, facts, m.alternative.maturity),
                service=service,
                computable=reason is None,
                not_computable=reason,
            )
        )
    return tuple(out)


def alternatives_for(
    *,
    user: User | AnonymousUser,
    usage: Usage | None = None,
    service: Service | None = None,
    organisation: Organisation | None = None,
) -> tuple[Suggestion, ...]:
    """Ranked alternatives for a usage the user may see, or for a service (with the
    organisation whose use of it gives the evidence, if given and visible)."""
    if (usage is None) == (service is None):
        raise ValueError("give a usage or a service")
    if usage is not None:
        usage = get_visible(user=user, model=Usage, pk=usage.pk)
        sub, facts = _usage_evidence(usage)
        subject = ExitPlan(organisation_id=usage.organisation_id, usage=usage)
        return _suggest(candidates_for_usage(usage), sub, facts, subject)
    assert service is not None
    if organisation is not None and not can_view(user, organisation):
        raise NotVisibleError(f"No organisation with code {organisation.code!r}.")
    if not user.is_authenticated:
        raise NotVisibleError("No such service.")
    sub, facts = _service_evidence(service, organisation)
    subject = ExitPlan(service=service)
    if organisation is not None:
        subject.organisation_id = organisation.pk
    return _suggest(candidates_for_service(service), sub, facts, subject)
