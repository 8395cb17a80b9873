"""Tenders, bids and decisions in the JSON document (ADR 0066).

Procurement records of the organisation (``regie.procurement``), restored like the framework's
records (ADR 0065) by the system or an administrator of Regie: a decision is history (who
decided, when) and is never rewritten. Bids name their bidder, product and services by the
document ids of the catalogue records; a decision's scores, which the database keys by bid id,
are keyed by the bids' document ids.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from regie.procurement.models import MIN_SEAL_FIELDS, WEIGHT_FIELDS, Bid, Decision, Tender

from .parts import Part

TENDER_FIELDS = (
    *("reference", "created_at", "title", "description", "status", "processes", "reference_components"),
    *MIN_SEAL_FIELDS.values(),
    "required_clauses",
    *WEIGHT_FIELDS.values(),
    *("contract_months", "published_on", "closes_on"),
)
BID_FIELDS = (
    *("tender", "created_at", "bidder", "product", "services", "annual_price", "total_value"),
    *("answers", "clauses", "notes"),
)
DECISION_FIELDS = (
    *("tender", "created_at", "bid", "justification", "weights", "scores", "decided_by", "decided_on"),
    "supersedes",
)
PROCUREMENT_PARTS: tuple[Part, ...] = (
    Part(
        "tenders",
        Tender,
        "tender",
        TENDER_FIELDS,
        stamps=("created_at",),
        many={"processes": "processes", "reference_components": "gemma_elements"},
    ),
    Part(
        "bids",
        Bid,
        "bid",
        BID_FIELDS,
        refs={"tender": "tenders", "bidder": "legal_entities", "product": "products"},
        stamps=("created_at",),
        many={"services": "services"},
    ),
    Part(
        "decisions",
        Decision,
        "decision",
        DECISION_FIELDS,
        refs={"tender": "tenders", "bid": "bids", "supersedes": "decisions"},
        users=("decided_by",),
        stamps=("created_at",),
        bid_keyed=("scores",),
    ),
)
#: Never changed once recorded: an equal record is left alone, a different one is not rewritten.
IMMUTABLE: tuple[type[models.Model], ...] = (Decision,)


ORGANISATION_PATH: dict[str, str] = {
    "tenders": "organisation",
    "bids": "tender__organisation",
    "decisions": "tender__organisation",
}


def base_querysets() -> dict[str, models.QuerySet[Any]]:
    return {
        "tenders": Tender.objects.prefetch_related("processes", "reference_components"),
        "bids": Bid.objects.prefetch_related("services"),
        "decisions": Decision.objects.select_related("decided_by"),
    }


__all__ = ["IMMUTABLE", "ORGANISATION_PATH", "PROCUREMENT_PARTS", "base_querysets"]
