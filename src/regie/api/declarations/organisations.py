"""Organisations: every organisation-specific resource hangs below /organisations/{code}."""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import FilterLookup
from pydantic import Field, StrictInt

from regie.register.models import Organisation, OrganisationKind, Province

from ..resources import Resource, register
from ..schema_base import CamelFilter, CamelInput, CamelSchema
from .types import Id


class OrganisationOut(CamelSchema):
    id: int
    code: str
    name: str
    kind: OrganisationKind
    cbs_code: str
    oin: str
    kvk: str
    province: Province | None
    inhabitants: int | None
    staff: int | None
    joint_arrangements: list[int]
    trusted_countries: list[str] = Field(description="Country codes; empty: the EU/EEA countries.")
    created_at: datetime.datetime

    @staticmethod
    def resolve_province(obj: Organisation) -> str | None:
        return obj.province or None

    @staticmethod
    def resolve_joint_arrangements(obj: Organisation) -> list[int]:
        return sorted(o.pk for o in obj.joint_arrangements.all())

    @staticmethod
    def resolve_trusted_countries(obj: Organisation) -> list[str]:
        return sorted(c.pk for c in obj.trusted_countries.all())


class OrganisationUpdate(CamelInput):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: OrganisationKind | None = None
    cbs_code: str | None = Field(None, max_length=10)
    oin: str | None = Field(None, max_length=20)
    kvk: str | None = Field(None, max_length=8)
    province: Province | None = None
    inhabitants: StrictInt | None = Field(None, ge=0, le=2_147_483_647)
    staff: StrictInt | None = Field(None, ge=0, le=2_147_483_647)
    joint_arrangements: list[Id] | None = None
    trusted_countries: list[str] | None = None


class OrganisationFilter(CamelFilter):
    kind: OrganisationKind | None = None
    province: Province | None = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "code__icontains"])] = None


ORGANISATIONS = register(
    Resource(
        path="organisations",
        name="Organisation",
        plural="Organisations",
        model=Organisation,
        out=OrganisationOut,
        update=OrganisationUpdate,
        filters=OrganisationFilter,
        sort=("name", "code", "kind", "inhabitants"),
        param="code",
        lookup="code",
        lookup_type=str,
        operations=frozenset({"list", "read", "update"}),
        prefetch_related=("joint_arrangements", "trusted_countries"),
        description="The organisations you are a member of. Administrators may change their own.",
    )
)
