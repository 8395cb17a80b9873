"""The sector API under /api/v1/sector/... (sector analysts) and
/api/v1/organisations/{code}/sector/... (members of an organisation).

Mounted with ``api.add_router("", regie.sector.api.router)``. Thin: the selectors check the
role and disclose every row; a refused or too-small group answers 400 with the reason.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from regie.analysis.selectors import visible_organisation
from regie.analysis.serialise import camel
from regie.api.auth import caller
from regie.api.problems import ApiError, Problem
from regie.api.schema_base import CamelSchema

from .disclosure import SuppressedError
from .population import GroupFilter
from .selectors import joint_procurement, peer_benchmark, sector_report, systemic_suppliers

router = Router(tags=["sector"])

ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem}


class GroupQuery(CamelSchema):
    kind: str = ""
    province: str = ""
    joint_arrangement: str = ""

    def chosen(self) -> GroupFilter:
        return GroupFilter(self.kind, self.province, self.joint_arrangement)


def _refused(exc: SuppressedError) -> ApiError:
    return ApiError(400, str(exc), title="Suppressed")


@router.get(
    "/sector",
    response={200: dict[str, Any], **ERRORS},
    url_name="sector-report",
    summary="Every sector aggregate over a group (suppressed below k organisations).",
)
def report(request: HttpRequest, query: Query[GroupQuery]) -> Any:
    try:
        return camel(sector_report(user=caller(request), chosen=query.chosen()))
    except SuppressedError as exc:
        raise _refused(exc) from exc


@router.get(
    "/sector/systemic-suppliers",
    response={200: list[dict[str, Any]], **ERRORS},
    url_name="sector-systemic",
    summary="Systemic suppliers, each with the criteria that designate it.",
)
def systemic(request: HttpRequest, query: Query[GroupQuery]) -> Any:
    try:
        return camel(systemic_suppliers(user=caller(request), chosen=query.chosen()))
    except SuppressedError as exc:
        raise _refused(exc) from exc


@router.get(
    "/sector/joint-procurement",
    response={200: list[dict[str, Any]], **ERRORS},
    url_name="sector-procurement",
    summary="Contracts ending together, clustered (counts only).",
)
def procurement(request: HttpRequest) -> Any:
    return camel(joint_procurement(user=caller(request)))


@router.get(
    "/organisations/{code}/sector/peers",
    response={200: dict[str, Any], **ERRORS},
    url_name="sector-peers",
    summary="The organisation's figures against its peers (percentiles).",
)
def peers(request: HttpRequest, code: str) -> Any:
    user = caller(request)
    org = visible_organisation(user=user, code=code)
    try:
        return camel(peer_benchmark(user=user, organisation=org))
    except SuppressedError as exc:
        raise _refused(exc) from exc


@router.get(
    "/organisations/{code}/sector/joint-procurement",
    response={200: list[dict[str, Any]], **ERRORS},
    url_name="sector-organisation-procurement",
    summary="The joint procurement clusters the organisation is in (named to opted-in members).",
)
def organisation_procurement(request: HttpRequest, code: str) -> Any:
    user = caller(request)
    org = visible_organisation(user=user, code=code)
    return camel(joint_procurement(user=user, organisation=org))
