"""The procurement API under /api/v1/organisations/{code}/tenders (ADR 0112).

Mounted with ``api.add_router("", regie.procurement.api.router)``. Thin: find the organisation
and tender in the caller's scope (404 otherwise, also for another organisation's tender), call a
selector or service, answer lowerCamelCase. Changes to a tender or bid need ``If-Match`` with
the ETag read; a refused value answers 400 naming the field (camelCase).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.params import P, PathEx
from ninja.params.functions import Header
from pydantic.alias_generators import to_camel

from regie.analysis.selectors import visible_organisation
from regie.api.auth import caller
from regie.api.concurrency import etag_of, require_match
from regie.api.problems import ApiError, FieldError, Problem
from regie.register.models import Organisation

from .models import Bid, Tender
from .schemas import (
    BidIn,
    BidOut,
    BidPatch,
    DecisionIn,
    DecisionOut,
    TenderIn,
    TenderOut,
    TenderPatch,
    WeightsIn,
)
from .scoring import WeightError
from .selectors import assessment_for, bid_for, decisions_for, tender_for, tenders_for
from .services import bid_create, bid_delete, bid_update, decision_record, tender_create, tender_update

router = Router(tags=["procurement"])
READ = {401: Problem, 404: Problem}
WRITE = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 412: Problem, 428: Problem}
PREFIX = "/organisations/{code}/tenders"
TENDER = f"{PREFIX}/{{tenderId}}"
IF_MATCH: Any = Header(
    None, alias="If-Match", description="The ETag of the version you read (412/428 otherwise)."
)
TenderId = PathEx[int, P(alias="tenderId")]
BidId = PathEx[int, P(alias="bidId")]


#: Service field names that the API calls otherwise.
_API_NAMES = {"min_seal": "minimumSeal"}


def _camel_field(name: str) -> str:
    head, dot, rest = name.partition(".")
    return _API_NAMES.get(head, to_camel(head)) + dot + rest


@contextmanager
def _refusals() -> Iterator[None]:
    """A service's refusal as a problem: 400 naming each field, 403 for a missing role."""
    try:
        yield
    except PermissionDenied as exc:
        raise ApiError(403, str(exc) or "You may not change this organisation's tenders.") from exc
    except WeightError as exc:
        raise ApiError(400, str(exc), errors=[FieldError(_camel_field(exc.field), exc.reason)]) from exc
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            errors = [
                FieldError(_camel_field(field), " ".join(msgs)) for field, msgs in exc.message_dict.items()
            ]
            raise ApiError(400, "; ".join(f"{e.name}: {e.reason}" for e in errors), errors=errors) from exc
        raise ApiError(400, "; ".join(exc.messages)) from exc


def _org(request: HttpRequest, code: str) -> tuple[Any, Organisation]:
    user = caller(request)
    return user, visible_organisation(user=user, code=code)


def _tender(request: HttpRequest, code: str, tender_id: int) -> tuple[Any, Tender]:
    user, org = _org(request, code)
    return user, tender_for(user=user, organisation=org, pk=tender_id)


def _tender_data(payload: TenderIn | TenderPatch) -> dict[str, Any]:
    fields = ("reference", "title", "description", "status", "contract_months", "published_on", "closes_on")
    given = payload.model_fields_set
    return {f: getattr(payload, f) for f in fields if f in given}


def _tender_extras(payload: TenderIn | TenderPatch) -> dict[str, Any]:
    given = payload.model_fields_set
    out: dict[str, Any] = {}
    if "processes" in given:
        out["processes"] = payload.processes
    if "reference_components" in given:
        out["reference_components"] = payload.reference_components
    if "minimum_seal" in given:
        out["min_seal"] = payload.minimum_seal
    if "required_clauses" in given:
        out["required_clauses"] = payload.required_clauses
    if "weights" in given:
        out["weights"] = payload.weights
    return out


@router.get(PREFIX, response={200: list[TenderOut], **READ}, url_name="tenders")
def list_tenders(request: HttpRequest, code: str) -> Any:
    """The organisation's tenders, newest first."""
    user, org = _org(request, code)
    return [TenderOut.of(t) for t in tenders_for(user=user, organisation=org)]


@router.post(PREFIX, response={201: TenderOut, **WRITE, 409: Problem}, url_name="tender-create")
def create_tender(request: HttpRequest, code: str, payload: TenderIn, response: HttpResponse) -> Any:
    """Create a tender with its scope, minimum requirements and weights."""
    user, org = _org(request, code)
    with _refusals():
        tender = tender_create(
            actor=user, organisation=org, data=_tender_data(payload), **_tender_extras(payload)
        )
    response["ETag"] = etag_of(tender)
    return Status(201, TenderOut.of(tender))


@router.get(TENDER, response={200: TenderOut, **READ}, url_name="tender")
def get_tender(request: HttpRequest, code: str, tender_id: TenderId, response: HttpResponse) -> Any:
    _user, tender = _tender(request, code, tender_id)
    response["ETag"] = etag_of(tender)
    return TenderOut.of(tender)


@router.patch(TENDER, response={200: TenderOut, **WRITE}, url_name="tender-update")
def update_tender(
    request: HttpRequest,
    *,
    code: str,
    tender_id: TenderId,
    payload: TenderPatch,
    response: HttpResponse,
    if_match: str | None = IF_MATCH,
) -> Any:
    """Change a tender (partial; needs If-Match)."""
    user, tender = _tender(request, code, tender_id)
    with transaction.atomic(), _refusals():
        tender = Tender.objects.select_for_update().get(pk=tender.pk)
        require_match(tender, if_match)
        tender_update(actor=user, tender=tender, data=_tender_data(payload), **_tender_extras(payload))
    response["ETag"] = etag_of(tender)
    return TenderOut.of(tender)


@router.get(
    f"{TENDER}/assessment", response={200: dict[str, Any], 400: Problem, **READ}, url_name="tender-assessment"
)
def get_assessment(request: HttpRequest, code: str, tender_id: TenderId, weights: Query[WeightsIn]) -> Any:
    """Every bid assessed: eligibility with reasons, sovereignty, marginal effect, findings it
    would raise, scores and rank. Weights given as query parameters apply to this answer only."""
    user, tender = _tender(request, code, tender_id)
    with _refusals():
        return assessment_for(user=user, tender=tender, weights=weights.given()).to_dict()


@router.put(f"{TENDER}/weights", response={200: TenderOut, **WRITE}, url_name="tender-weights")
def save_weights(
    request: HttpRequest,
    *,
    code: str,
    tender_id: TenderId,
    payload: WeightsIn,
    response: HttpResponse,
    if_match: str | None = IF_MATCH,
) -> Any:
    """Save the award weights on the tender (needs If-Match)."""
    user, tender = _tender(request, code, tender_id)
    with transaction.atomic(), _refusals():
        tender = Tender.objects.select_for_update().get(pk=tender.pk)
        require_match(tender, if_match)
        tender_update(actor=user, tender=tender, weights=payload.given())
    response["ETag"] = etag_of(tender)
    return TenderOut.of(tender)


@router.get(f"{TENDER}/bids", response={200: list[BidOut], **READ}, url_name="tender-bids")
def list_bids(request: HttpRequest, code: str, tender_id: TenderId) -> Any:
    _user, tender = _tender(request, code, tender_id)
    return [BidOut.of(b) for b in tender.bids.select_related("bidder").prefetch_related("services")]


def _bid_data(payload: BidIn | BidPatch) -> dict[str, Any]:
    return {f: getattr(payload, f) for f in payload.model_fields_set}


@router.post(f"{TENDER}/bids", response={201: BidOut, **WRITE}, url_name="tender-bid-create")
def create_bid(
    request: HttpRequest, code: str, tender_id: TenderId, payload: BidIn, response: HttpResponse
) -> Any:
    user, tender = _tender(request, code, tender_id)
    data = _bid_data(payload)
    data["bidder"] = payload.bidder
    with _refusals():
        bid = bid_create(actor=user, tender=tender, data=data)
    response["ETag"] = etag_of(bid)
    return Status(201, BidOut.of(bid))


@router.get(f"{TENDER}/bids/{{bidId}}", response={200: BidOut, **READ}, url_name="tender-bid")
def get_bid(
    request: HttpRequest, code: str, tender_id: TenderId, bid_id: BidId, response: HttpResponse
) -> Any:
    user, tender = _tender(request, code, tender_id)
    bid = bid_for(user=user, tender=tender, pk=bid_id)
    response["ETag"] = etag_of(bid)
    return BidOut.of(bid)


@router.patch(f"{TENDER}/bids/{{bidId}}", response={200: BidOut, **WRITE}, url_name="tender-bid-update")
def update_bid(
    request: HttpRequest,
    *,
    code: str,
    tender_id: TenderId,
    bid_id: BidId,
    payload: BidPatch,
    response: HttpResponse,
    if_match: str | None = IF_MATCH,
) -> Any:
    """Change a bid (partial; needs If-Match)."""
    user, tender = _tender(request, code, tender_id)
    bid_for(user=user, tender=tender, pk=bid_id)
    with transaction.atomic(), _refusals():
        bid = Bid.objects.select_for_update().select_related("tender").get(pk=bid_id)
        require_match(bid, if_match)
        bid_update(actor=user, bid=bid, data=_bid_data(payload))
    response["ETag"] = etag_of(bid)
    return BidOut.of(bid)


@router.delete(
    f"{TENDER}/bids/{{bidId}}", response={204: None, **WRITE, 409: Problem}, url_name="tender-bid-delete"
)
def delete_bid(
    request: HttpRequest, code: str, tender_id: TenderId, bid_id: BidId, if_match: str | None = IF_MATCH
) -> Any:
    user, tender = _tender(request, code, tender_id)
    bid_for(user=user, tender=tender, pk=bid_id)
    with transaction.atomic():
        bid = Bid.objects.select_for_update().select_related("tender").get(pk=bid_id)
        require_match(bid, if_match)
        try:
            bid_delete(actor=user, bid=bid)
        except PermissionDenied as exc:
            raise ApiError(403, str(exc)) from exc
        except ValidationError as exc:
            raise ApiError(409, "; ".join(exc.messages)) from exc
    return Status(204, None)


@router.get(f"{TENDER}/decisions", response={200: list[DecisionOut], **READ}, url_name="tender-decisions")
def list_decisions(request: HttpRequest, code: str, tender_id: TenderId) -> Any:
    """Every decision on the tender, newest (the one that holds) first."""
    user, tender = _tender(request, code, tender_id)
    rows = list(decisions_for(user=user, tender=tender))
    return [DecisionOut.of(d, current=i == 0) for i, d in enumerate(rows)]


@router.post(f"{TENDER}/decisions", response={201: DecisionOut, **WRITE}, url_name="tender-decision-create")
def record_decision(request: HttpRequest, code: str, tender_id: TenderId, payload: DecisionIn) -> Any:
    """Award the tender to an eligible bid with a justification (supersedes an earlier decision)."""
    user, tender = _tender(request, code, tender_id)
    bid = tender.bids.filter(pk=payload.bid).first()
    if bid is None:
        raise ApiError(
            400, "bid: not a bid on this tender", errors=[FieldError("bid", "not a bid on this tender")]
        )
    with _refusals():
        decision = decision_record(
            actor=user,
            tender=tender,
            bid=bid,
            justification=payload.justification,
            decided_on=payload.decided_on,
            weights=payload.weights or None,
        )
    return Status(201, DecisionOut.of(decision, current=True))
