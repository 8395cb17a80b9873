"""Reads of tenders and their assessment, always scoped to what the caller may see.

A tender of an organisation the caller may not see is reported as not found
(:class:`~regie.register.selectors.NotVisibleError`), never as forbidden. The report session
renders the procurement decision report from :func:`assessment_for` (keep these names).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from regie.accounts.permissions import can_view
from regie.audit.models import AuditEntry
from regie.register.models import Organisation
from regie.register.selectors import NotVisibleError

from .assessment import BidAssessment, Sovereignty, TenderAssessment, assess
from .models import Bid, Decision, Tender

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User

__all__ = [
    "BidAssessment",
    "Sovereignty",
    "TenderAssessment",
    "assessment_for",
    "bid_for",
    "decisions_for",
    "history_for",
    "tender_for",
    "tenders_for",
]


def _check(user: User | AnonymousUser, organisation: Organisation | int) -> None:
    if not can_view(user, organisation):
        raise NotVisibleError("No such tender.")


def tenders_for(*, user: User | AnonymousUser, organisation: Organisation) -> QuerySet[Tender]:
    """The organisation's tenders, newest first."""
    _check(user, organisation)
    return (
        Tender.objects.filter(organisation=organisation)
        .select_related("organisation")
        .prefetch_related("bids")
        .order_by("-created_at", "-pk")
    )


def tender_for(*, user: User | AnonymousUser, organisation: Organisation, pk: int) -> Tender:
    """One tender of the organisation; NotVisibleError if it is not there or not visible."""
    _check(user, organisation)
    tender = Tender.objects.filter(organisation=organisation, pk=pk).select_related("organisation").first()
    if tender is None:
        raise NotVisibleError("No such tender.")
    return tender


def bid_for(*, user: User | AnonymousUser, tender: Tender, pk: int) -> Bid:
    _check(user, tender.organisation_id)
    bid = Bid.objects.filter(tender=tender, pk=pk).select_related("bidder", "product").first()
    if bid is None:
        raise NotVisibleError("No such bid.")
    return bid


def decisions_for(*, user: User | AnonymousUser, tender: Tender) -> QuerySet[Decision]:
    """Every decision on the tender, newest first (the first is the one that holds)."""
    _check(user, tender.organisation_id)
    return tender.decisions.select_related("bid__bidder", "bid__product", "decided_by").order_by(
        "-created_at", "-pk"
    )


def history_for(*, user: User | AnonymousUser, tender: Tender, limit: int = 50) -> list[AuditEntry]:
    """The audit trail of the tender, its bids and its decisions, newest first."""
    _check(user, tender.organisation_id)
    bids = [str(pk) for pk in Bid.objects.filter(tender=tender).values_list("pk", flat=True)]
    decisions = [str(pk) for pk in tender.decisions.values_list("pk", flat=True)]
    rows = AuditEntry.objects.filter(organisation_id=tender.organisation_id).filter(
        Q(object_type="procurement.tender", object_id=str(tender.pk))
        | Q(object_type="procurement.bid", object_id__in=bids)
        | Q(object_type="procurement.decision", object_id__in=decisions)
    )
    return list(rows.order_by("-at", "-pk")[:limit])


def assessment_for(
    *, user: User | AnonymousUser, tender: Tender, weights: Mapping[str, object] | None = None
) -> TenderAssessment:
    """The assessment of every bid; ``weights`` override the saved ones for this read only
    (``scoring.WeightError`` names a bad weight)."""
    _check(user, tender.organisation_id)
    return assess(tender, weights)
