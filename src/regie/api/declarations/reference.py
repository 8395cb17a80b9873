"""Reference data (countries, laws, the GEMMA taxonomy) and provenance records."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import PermissionDenied
from ninja import FilterLookup
from pydantic import Field, StrictBool, StrictInt

from regie.accounts.permissions import can_edit, can_edit_catalogue, organisation_ids
from regie.register.models import Country, GemmaElement, GemmaKind, Law, Provenance
from regie.register.services import provenance_create

from ..resources import READ_ONLY, Resource, register
from ..schema_base import CamelFilter, CamelInput, CamelSchema
from .types import Date, Id, Name, Text

if TYPE_CHECKING:
    from django.db import models

    from regie.accounts.models import User

TAG = "Referentiegegevens / reference data"


class CountryOut(CamelSchema):
    code: str
    name_nl: str
    name_en: str
    eu_member: bool
    eea_member: bool
    gdpr_adequacy: bool | None
    provenance_id: int | None


class CountryCreate(CamelInput):
    code: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")
    name_nl: str = Field(min_length=1, max_length=100)
    name_en: str = Field(min_length=1, max_length=100)
    eu_member: StrictBool = False
    eea_member: StrictBool = False
    gdpr_adequacy: StrictBool | None = None
    provenance_id: Id | None = None


class CountryFilter(CamelFilter):
    q: Annotated[str | None, FilterLookup(["name_nl__icontains", "name_en__icontains", "code__iexact"])] = (
        None
    )
    eu_member: bool | None = None
    eea_member: bool | None = None


register(
    Resource(
        path="countries",
        name="Country",
        plural="Countries",
        model=Country,
        out=CountryOut,
        create=CountryCreate,
        filters=CountryFilter,
        sort=("code", "name_nl", "name_en"),
        param="countryCode",
        lookup="code",
        lookup_type=str,
        tag=TAG,
        immutable=("code",),
    )
)


class LawOut(CamelSchema):
    id: int
    code: str
    name: str
    country_id: str
    citation: str
    summary: str
    trigger_control: bool
    trigger_location: bool
    trigger_access: bool
    in_force_from: datetime.date | None
    in_force_until: datetime.date | None
    provenance_id: int | None


class LawCreate(CamelInput):
    code: str = Field(pattern=r"^[-a-zA-Z0-9_]{1,60}$")
    name: Name
    country_id: str = Field(max_length=2)
    citation: str = Field("", max_length=200)
    summary: Text = ""
    trigger_control: StrictBool = False
    trigger_location: StrictBool = False
    trigger_access: StrictBool = False
    in_force_from: Date | None = None
    in_force_until: Date | None = None
    provenance_id: Id | None = None


class LawFilter(CamelFilter):
    country_id: str | None = None
    trigger_control: bool | None = None
    trigger_location: bool | None = None
    trigger_access: bool | None = None


register(
    Resource(
        path="laws",
        name="Law",
        plural="Laws",
        model=Law,
        out=LawOut,
        create=LawCreate,
        filters=LawFilter,
        sort=("name", "code", "country_id", "in_force_from"),
        param="lawId",
        tag=TAG,
    )
)


class GemmaElementOut(CamelSchema):
    id: int
    kind: GemmaKind
    name: str
    bbn: str
    availability: int | None
    integrity: int | None
    confidentiality: int | None
    status: str


class GemmaElementCreate(CamelInput):
    kind: GemmaKind
    name: Name
    bbn: str = Field("", max_length=10)
    availability: StrictInt | None = Field(None, ge=1, le=3)
    integrity: StrictInt | None = Field(None, ge=1, le=3)
    confidentiality: StrictInt | None = Field(None, ge=1, le=3)
    status: str = Field("", max_length=40)


class GemmaFilter(CamelFilter):
    kind: GemmaKind | None = None
    q: Annotated[str | None, FilterLookup("name__icontains")] = None


register(
    Resource(
        path="gemma-elements",
        name="GemmaElement",
        plural="GemmaElements",
        model=GemmaElement,
        out=GemmaElementOut,
        create=GemmaElementCreate,
        filters=GemmaFilter,
        sort=("kind", "name"),
        param="gemmaElementId",
        tag=TAG,
    )
)


class ProvenanceOut(CamelSchema):
    id: int
    source: str
    checked_on: datetime.date | None
    entered_by_label: str
    entered_at: datetime.datetime
    verified: bool
    note: str


class ProvenanceCreate(CamelInput):
    source: str = Field(min_length=1, max_length=500, pattern=r"\S")
    checked_on: Date | None = None
    verified: StrictBool = True
    note: Text = ""


class ProvenanceFilter(CamelFilter):
    q: Annotated[str | None, FilterLookup("source__icontains")] = None
    verified: bool | None = None


def create_provenance(user: User, data: Mapping[str, Any], m2m: Mapping[str, list[Any]]) -> models.Model:
    """Provenance is recorded by whoever may record a fact: an editor or a catalogue maintainer."""
    editor = any(can_edit(user, org_id) for org_id in organisation_ids(user) or [])
    if not (editor or can_edit_catalogue(user)):
        raise PermissionDenied("Only editors and catalogue maintainers may record provenance.")
    return provenance_create(
        actor=user,
        source=data["source"],
        checked_on=data.get("checked_on"),
        verified=data.get("verified", True),
        note=data.get("note", ""),
    )


register(
    Resource(
        path="provenance-records",
        name="ProvenanceRecord",
        plural="ProvenanceRecords",
        model=Provenance,
        out=ProvenanceOut,
        create=ProvenanceCreate,
        filters=ProvenanceFilter,
        sort=("entered_at", "checked_on", "source"),
        param="provenanceRecordId",
        tag=TAG,
        operations=READ_ONLY | {"create"},
        creator=create_provenance,
        description="Where facts come from. Records are never changed afterwards.",
    )
)
