"""API schemas of the procurement assessment (lowerCamelCase on the wire)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import Field

from regie.api.schema_base import CamelInput, CamelSchema

from .models import Bid, Decision, Tender


class TenderOut(CamelSchema):
    id: int
    reference: str
    title: str
    description: str
    status: str
    processes: list[int]
    reference_components: list[int]
    minimum_seal: dict[str, int]
    required_clauses: list[str]
    weights: dict[str, float]
    contract_months: int
    published_on: dt.date | None
    closes_on: dt.date | None
    bids: int

    @classmethod
    def of(cls, t: Tender) -> TenderOut:
        return cls(
            id=t.pk,
            reference=t.reference,
            title=t.title,
            description=t.description,
            status=t.status,
            processes=sorted(t.processes.values_list("pk", flat=True)),
            reference_components=sorted(t.reference_components.values_list("pk", flat=True)),
            minimum_seal={k: v for k, v in t.min_seals.items() if v is not None},
            required_clauses=list(t.required_clauses),
            weights=t.weights,
            contract_months=t.contract_months,
            published_on=t.published_on,
            closes_on=t.closes_on,
            bids=t.bids.count(),
        )


class TenderIn(CamelInput):
    reference: str = Field(min_length=1, max_length=80)
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    status: str = "draft"
    processes: list[int] = []
    reference_components: list[int] = []
    minimum_seal: dict[str, int | None] = {}
    required_clauses: list[str] = []
    weights: dict[str, float] = {}
    contract_months: int = Field(48, ge=1, le=600)
    published_on: dt.date | None = None
    closes_on: dt.date | None = None


class TenderPatch(CamelInput):
    reference: str | None = Field(None, min_length=1, max_length=80)
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    status: str | None = None
    processes: list[int] | None = None
    reference_components: list[int] | None = None
    minimum_seal: dict[str, int | None] | None = None
    required_clauses: list[str] | None = None
    weights: dict[str, float] | None = None
    contract_months: int | None = Field(None, ge=1, le=600)
    published_on: dt.date | None = None
    closes_on: dt.date | None = None


class WeightsIn(CamelInput):
    price: float | None = None
    sovereignty: float | None = None
    exposure: float | None = None
    concentration: float | None = None
    continuity: float | None = None
    lockin: float | None = None

    def given(self) -> dict[str, float]:
        return {k: v for k, v in self.model_dump().items() if v is not None}


class BidOut(CamelSchema):
    id: int
    bidder: int
    bidder_name: str
    product: int | None
    services: list[int]
    annual_price: Decimal | None
    total_value: Decimal | None
    answers: dict[str, str]
    clauses: dict[str, str]
    notes: str

    @classmethod
    def of(cls, b: Bid) -> BidOut:
        return cls(
            id=b.pk,
            bidder=b.bidder_id,
            bidder_name=b.bidder.name,
            product=b.product_id,
            services=sorted(b.services.values_list("pk", flat=True)),
            annual_price=b.annual_price,
            total_value=b.total_value,
            answers=dict(b.answers),
            clauses=dict(b.clauses),
            notes=b.notes,
        )


class BidIn(CamelInput):
    bidder: int
    product: int | None = None
    services: list[int] = []
    annual_price: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    total_value: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    answers: dict[str, str] = {}
    clauses: dict[str, str] = {}
    notes: str = ""


class BidPatch(CamelInput):
    bidder: int | None = None
    product: int | None = None
    services: list[int] | None = None
    annual_price: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    total_value: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    answers: dict[str, str] | None = None
    clauses: dict[str, str] | None = None
    notes: str | None = None


class DecisionOut(CamelSchema):
    id: int
    bid: int
    justification: str
    decided_on: dt.date
    decided_by: str | None
    weights: dict[str, Any]
    supersedes: int | None
    current: bool

    @classmethod
    def of(cls, d: Decision, *, current: bool) -> DecisionOut:
        return cls(
            id=d.pk,
            bid=d.bid_id,
            justification=d.justification,
            decided_on=d.decided_on,
            decided_by=d.decided_by.username if d.decided_by else None,
            weights=dict(d.weights),
            supersedes=d.supersedes_id,
            current=current,
        )


class DecisionIn(CamelInput):
    bid: int
    justification: str = Field(min_length=1)
    decided_on: dt.date | None = None
    weights: dict[str, float] = {}
