"""Writes of the procurement assessment: tenders, bids, weights and decisions — checked,
atomic and audited. Every refusal names the field (``ValidationError`` with a field dict).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from regie.accounts.permissions import require_edit
from regie.audit.models import AuditAction
from regie.audit.services import audit_record, snapshot_of
from regie.policy.sovereignty import OBJECTIVES, QUESTION_BY_ID
from regie.register.models import (
    ClauseKind,
    GemmaElement,
    LegalEntity,
    Organisation,
    Process,
    Product,
    Service,
    TriState,
)

from .assessment import assess
from .models import MIN_SEAL_FIELDS, WEIGHT_FIELDS, Bid, Decision, Tender, TenderStatus
from .scoring import WeightError, check_weights

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User

    Actor = User | AnonymousUser | None

__all__ = [
    "bid_create",
    "bid_delete",
    "bid_update",
    "decision_record",
    "tender_create",
    "tender_update",
    "tender_weights_save",
]

_TENDER_FIELDS = (
    "title",
    "reference",
    "description",
    "status",
    "contract_months",
    "published_on",
    "closes_on",
)


def _allowed(actor: Actor, organisation: Organisation | int) -> None:
    if actor is not None:
        require_edit(actor, organisation)


def _clean_required_clauses(values: Iterable[str]) -> list[str]:
    known = set(ClauseKind.values)
    out: list[str] = []
    for v in values:
        if v not in known:
            raise ValidationError(
                {"required_clauses": f"Unknown clause {v!r}; clauses are {', '.join(sorted(known))}."}
            )
        if v not in out:
            out.append(v)
    return out


def _clean_min_seal(values: Mapping[str, int | None]) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for code, level in values.items():
        if code not in OBJECTIVES:
            raise ValidationError({"min_seal": f"Unknown objective {code!r}; objectives are SOV-1 … SOV-8."})
        if level is not None and (
            isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 4
        ):
            raise ValidationError(
                {f"min_seal.{code}": "A minimum SEAL is a whole number from 0 to 4, or empty."}
            )
        out[code] = level
    return out


def _scope(
    organisation: Organisation, processes: Iterable[Any] | None, components: Iterable[Any] | None
) -> tuple[list[Process] | None, list[GemmaElement] | None]:
    procs = None
    if processes is not None:
        ids = [getattr(p, "pk", p) for p in processes]
        procs = list(Process.objects.filter(organisation=organisation, pk__in=ids))
        if len(procs) != len(set(ids)):
            raise ValidationError(
                {"processes": "Every process must be one of this organisation's processes."}
            )
    comps = None
    if components is not None:
        ids = [getattr(c, "pk", c) for c in components]
        comps = list(GemmaElement.objects.filter(kind="referentiecomponent", pk__in=ids))
        if len(comps) != len(set(ids)):
            raise ValidationError({"reference_components": "Every item must be a GEMMA reference component."})
    return procs, comps


def _save(instance: Any) -> None:
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationError(f"The database refused the record: {exc}") from exc


def _apply_tender(
    tender: Tender,
    data: Mapping[str, Any],
    min_seal: Mapping[str, int | None] | None,
    required_clauses: Iterable[str] | None,
    weights: Mapping[str, object] | None,
) -> None:
    for key, value in data.items():
        if key not in _TENDER_FIELDS:
            raise ValidationError({key: "Not a field of a tender."})
        setattr(tender, key, value)
    if min_seal is not None:
        for code, level in _clean_min_seal(min_seal).items():
            setattr(tender, MIN_SEAL_FIELDS[code], level)
    if required_clauses is not None:
        tender.required_clauses = _clean_required_clauses(required_clauses)
    if weights is not None:
        try:
            clean = check_weights(weights, tender.weights)
        except WeightError as exc:
            raise ValidationError({exc.field: exc.reason}) from exc
        for c, value in clean.items():
            setattr(tender, WEIGHT_FIELDS[c], value)


def _tender_snapshot(tender: Tender) -> dict[str, Any]:
    return snapshot_of(tender)


def tender_create(
    *,
    actor: Actor,
    organisation: Organisation,
    data: Mapping[str, Any],
    processes: Iterable[Any] | None = None,
    reference_components: Iterable[Any] | None = None,
    min_seal: Mapping[str, int | None] | None = None,
    required_clauses: Iterable[str] | None = None,
    weights: Mapping[str, object] | None = None,
) -> Tender:
    _allowed(actor, organisation)
    tender = Tender(organisation=organisation)
    _apply_tender(tender, data, min_seal, required_clauses, weights)
    procs, comps = _scope(organisation, processes, reference_components)
    if Tender.objects.filter(organisation=organisation, reference=tender.reference).exists():
        raise ValidationError({"reference": "This organisation already has a tender with this reference."})
    with transaction.atomic():
        _save(tender)
        if procs is not None:
            tender.processes.set(procs)
        if comps is not None:
            tender.reference_components.set(comps)
        audit_record(actor=actor, action=AuditAction.CREATE, instance=tender, after=_tender_snapshot(tender))
    return tender


def tender_update(
    *,
    actor: Actor,
    tender: Tender,
    data: Mapping[str, Any] | None = None,
    processes: Iterable[Any] | None = None,
    reference_components: Iterable[Any] | None = None,
    min_seal: Mapping[str, int | None] | None = None,
    required_clauses: Iterable[str] | None = None,
    weights: Mapping[str, object] | None = None,
) -> Tender:
    _allowed(actor, tender.organisation_id)
    before = _tender_snapshot(tender)
    _apply_tender(tender, data or {}, min_seal, required_clauses, weights)
    procs, comps = _scope(tender.organisation, processes, reference_components)
    clash = Tender.objects.filter(organisation_id=tender.organisation_id, reference=tender.reference)
    if clash.exclude(pk=tender.pk).exists():
        raise ValidationError({"reference": "This organisation already has a tender with this reference."})
    with transaction.atomic():
        _save(tender)
        if procs is not None:
            tender.processes.set(procs)
        if comps is not None:
            tender.reference_components.set(comps)
        after = _tender_snapshot(tender)
        if after != before:
            audit_record(actor=actor, action=AuditAction.UPDATE, instance=tender, before=before, after=after)
    return tender


def tender_weights_save(*, actor: Actor, tender: Tender, weights: Mapping[str, object]) -> Tender:
    """Save the award weights on the tender (a bad weight is refused by name)."""
    return tender_update(actor=actor, tender=tender, weights=weights)


def _decimal(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError({field: "Give an amount in euros, e.g. 125000.00."}) from exc
    if not number.is_finite() or number < 0:
        raise ValidationError({field: "An amount cannot be negative."})
    return number.quantize(Decimal("0.01"))


def _clean_answers(answers: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for qid, option in answers.items():
        q = QUESTION_BY_ID.get(qid)
        if q is None:
            raise ValidationError({f"answers.{qid}": "Unknown scorecard question."})
        if option in (None, ""):
            continue  # unanswered: counts as SEAL 0
        try:
            q.option(str(option))
        except KeyError as exc:
            keys = ", ".join(o.key for o in q.options)
            raise ValidationError(
                {f"answers.{qid}": f"Unknown answer {option!r}; answers are {keys}."}
            ) from exc
        out[qid] = str(option)
    return out


def _clean_clauses(clauses: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for kind, present in clauses.items():
        if kind not in ClauseKind.values:
            raise ValidationError({f"clauses.{kind}": "Unknown clause."})
        if present not in TriState.values:
            raise ValidationError({f"clauses.{kind}": "Give yes, no or unknown."})
        if present != TriState.UNKNOWN:
            out[kind] = str(present)
    return out


def _by_id(model: Any, value: Any, field: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise ValidationError({field: "Give a catalogue id."})
    return model.objects.filter(pk=int(value)).first()


def _apply_bid_references(bid: Bid, data: Mapping[str, Any]) -> None:
    if "bidder" in data:
        bidder = data["bidder"]
        if not isinstance(bidder, LegalEntity):
            bidder = _by_id(LegalEntity, bidder, "bidder")
        if bidder is None:
            raise ValidationError({"bidder": "No such legal entity in the catalogue."})
        bid.bidder = bidder
    if "product" in data:
        product = data["product"]
        if product not in (None, "") and not isinstance(product, Product):
            product = _by_id(Product, product, "product")
            if product is None:
                raise ValidationError({"product": "No such product in the catalogue."})
        bid.product = product or None


def _apply_bid(bid: Bid, data: Mapping[str, Any]) -> list[Service] | None:
    allowed = {"bidder", "product", "services", "annual_price", "total_value", "answers", "clauses", "notes"}
    for key in data:
        if key not in allowed:
            raise ValidationError({key: "Not a field of a bid."})
    _apply_bid_references(bid, data)
    for field in ("annual_price", "total_value"):
        if field in data:
            setattr(bid, field, _decimal(data[field], field))
    if "answers" in data:
        bid.answers = _clean_answers(data["answers"] or {})
    if "clauses" in data:
        bid.clauses = _clean_clauses(data["clauses"] or {})
    if "notes" in data:
        bid.notes = str(data["notes"] or "")
    if "services" not in data:
        return None
    ids = [getattr(s, "pk", s) for s in data["services"] or []]
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise ValidationError({"services": "Give services by their catalogue ids."})
    found = list(Service.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"services": "Every service must be a service in the catalogue."})
    return found


def _bid_snapshot(bid: Bid) -> dict[str, Any]:
    snap = snapshot_of(bid)
    if bid.pk is not None:
        snap["services"] = sorted(bid.services.values_list("pk", flat=True))
    return snap


def bid_create(*, actor: Actor, tender: Tender, data: Mapping[str, Any]) -> Bid:
    _allowed(actor, tender.organisation_id)
    if "bidder" not in data:
        raise ValidationError({"bidder": "A bid has a bidder."})
    bid = Bid(tender=tender)
    services = _apply_bid(bid, data)
    with transaction.atomic():
        _save(bid)
        if services is not None:
            bid.services.set(services)
        audit_record(actor=actor, action=AuditAction.CREATE, instance=bid, after=_bid_snapshot(bid))
    return bid


def bid_update(*, actor: Actor, bid: Bid, data: Mapping[str, Any]) -> Bid:
    _allowed(actor, bid.tender.organisation_id)
    before = _bid_snapshot(bid)
    services = _apply_bid(bid, data)
    with transaction.atomic():
        _save(bid)
        if services is not None:
            bid.services.set(services)
        after = _bid_snapshot(bid)
        if after != before:
            audit_record(actor=actor, action=AuditAction.UPDATE, instance=bid, before=before, after=after)
    return bid


def bid_delete(*, actor: Actor, bid: Bid) -> None:
    _allowed(actor, bid.tender.organisation_id)
    if Decision.objects.filter(bid=bid).exists():
        raise ValidationError({"bid": "A bid that a decision chose cannot be deleted."})
    with transaction.atomic():
        before = _bid_snapshot(bid)
        audit_record(actor=actor, action=AuditAction.DELETE, instance=bid, before=before)
        bid.delete()


def decision_record(
    *,
    actor: Actor,
    tender: Tender,
    bid: Bid,
    justification: str,
    decided_on: dt.date | None = None,
    weights: Mapping[str, object] | None = None,
) -> Decision:
    """Award the tender to an eligible bid, with a justification. The scores and weights of the
    assessment are stored with it; an earlier decision is superseded, never changed."""
    _allowed(actor, tender.organisation_id)
    if bid.tender_id != tender.pk:
        raise ValidationError({"bid": "The bid is not a bid on this tender."})
    text = (justification or "").strip()
    if not text:
        raise ValidationError({"justification": "Explain why this bid is chosen."})
    try:
        assessment = assess(tender, weights)
    except WeightError as exc:
        raise ValidationError({exc.field: exc.reason}) from exc
    row = next(b for b in assessment.bids if b.bid.pk == bid.pk)
    if not row.eligible:
        raise ValidationError({"bid": "An ineligible bid cannot be chosen: " + "; ".join(row.reasons)})
    user = actor if actor is not None and actor.is_authenticated else None
    with transaction.atomic():
        previous = (
            Decision.objects.select_for_update().filter(tender=tender).order_by("-created_at", "-pk").first()
        )
        decision = Decision(
            tender=tender,
            bid=bid,
            justification=text,
            weights=assessment.weights,
            scores={str(b.bid.pk): {"total": b.total, "rank": b.rank, **b.scores} for b in assessment.bids},
            decided_by=user,
            decided_on=decided_on or dt.date.today(),
            supersedes=previous,
        )
        _save(decision)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=decision,
            organisation_id=tender.organisation_id,
            after=snapshot_of(decision),
            message=f"decision on {tender.reference}: bid {bid.pk} ({bid})"[:300],
        )
        if tender.status != TenderStatus.DECIDED:
            tender_update(actor=actor, tender=tender, data={"status": TenderStatus.DECIDED})
    return decision
