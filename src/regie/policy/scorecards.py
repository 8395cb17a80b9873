"""Writes and reads of sovereignty scorecards (domain.md §4; EU Cloud Sovereignty Framework)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from regie.accounts.permissions import can_view, require_edit
from regie.analysis.selectors import analyse_organisation
from regie.audit.models import AuditAction
from regie.audit.services import audit_record
from regie.core.analysis import AnalysisOptions
from regie.register.models import Organisation, Product, Service
from regie.register.selectors import NotVisibleError
from regie.register.services import provenance_create

from .models import Scorecard, ScorecardAnswer
from .sovereignty import QUESTION_BY_ID, WEIGHT_SETS, Score, score, share_at_or_above

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User

    Actor = User | AnonymousUser | None

__all__ = ["scorecard_answer", "scorecard_get_or_create", "scorecard_score", "sovereignty_rollup"]


def scorecard_get_or_create(
    *,
    actor: Actor,
    organisation: Organisation,
    service: Service | None = None,
    product: Product | None = None,
) -> Scorecard:
    if actor is not None:
        require_edit(actor, organisation)
    if (service is None) == (product is None):
        raise ValidationError("A scorecard is for one service or one product.")
    card, created = Scorecard.objects.get_or_create(
        organisation=organisation, service=service, product=product
    )
    if created:
        audit_record(actor=actor, action=AuditAction.CREATE, instance=card, organisation_id=organisation.pk)
    return card


def scorecard_answer(
    *,
    actor: Actor,
    scorecard: Scorecard,
    question: str,
    option: str,
    evidence: str = "",
    source: str = "",
    checked_on: dt.date | None = None,
) -> ScorecardAnswer:
    """Record an answer with its evidence; a source records its provenance."""
    if actor is not None:
        require_edit(actor, scorecard.organisation_id)
    q = QUESTION_BY_ID.get(question)
    if q is None:
        raise ValidationError({"question": f"Unknown question {question!r}."})
    try:
        q.option(option)
    except KeyError as exc:
        raise ValidationError({"option": f"{question}: unknown answer {option!r}."}) from exc
    with transaction.atomic():
        prov = (
            provenance_create(actor=actor, source=source, checked_on=checked_on) if source.strip() else None
        )
        answer, _created = ScorecardAnswer.objects.update_or_create(
            scorecard=scorecard,
            question=question,
            defaults={"option": option, "evidence": evidence.strip(), "provenance": prov},
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=scorecard,
            organisation_id=scorecard.organisation_id,
            after={"question": question, "option": option, "evidence": evidence, "source": source},
        )
    return answer


def scorecard_score(card: Scorecard, weights: str | None = None) -> Score:
    return score(card.answers_map(), weights or card.weights)


def sovereignty_rollup(
    *, user: User | AnonymousUser | None, organisation: Organisation, weights: str | None = None
) -> dict[str, Any]:
    """Share of the critical processes served at SEAL >= n (n = 0..4).

    A process's SEAL is the weakest of every service in its closure and every product of
    its usages; a service or product without a scorecard counts as SEAL 0 (unknown is risk).
    """
    if user is not None and not can_view(user, organisation):
        raise NotVisibleError(f"No organisation with code {organisation.code!r}.")
    if weights is not None and weights not in WEIGHT_SETS:
        raise ValidationError({"weights": f"Unknown weight set {weights!r}."})
    cards = list(Scorecard.objects.filter(organisation=organisation).prefetch_related("answers"))
    by_service: dict[Any, int] = {
        c.service_id: scorecard_score(c, weights).seal for c in cards if c.service_id
    }
    by_product: dict[Any, int] = {
        c.product_id: scorecard_score(c, weights).seal for c in cards if c.product_id
    }
    a = analyse_organisation(organisation, AnalysisOptions(detail=False, spof=False))
    g = a.graph
    snap = g.snap
    cols = snap.catalogue.cols
    crit = [p for p in range(g.n_p) if snap.orgs.process_critical[g.process[p]]]
    ps = g.process_services.tocsr()
    pu = g.process_usages.tocsr()
    seals = []
    for p in crit:
        levels = [
            by_service.get(cols.service_keys[s], 0) for s in ps.indices[ps.indptr[p] : ps.indptr[p + 1]]
        ]
        for u in pu.indices[pu.indptr[p] : pu.indptr[p + 1]]:
            prod = int(snap.orgs.usage_product[g.usage[u]])
            if prod >= 0:
                levels.append(by_product.get(cols.product_keys[prod], 0))
        seals.append(min(levels) if levels else 0)
    return {
        "critical_processes": len(crit),
        "share_at_or_above": {n: share_at_or_above(seals, n) for n in range(5)},
        "scorecards": len(cards),
    }
