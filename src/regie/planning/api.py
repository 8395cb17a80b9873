"""The exit-planning API: an organisation's roadmap and suggested alternatives.

Mounted on the Regie API (``/api/v1``). Thin endpoints: find the organisation (and usage or
service) in the caller's scope, 404 otherwise (never 403), call a selector, return JSON.
Properties are lowerCamelCase.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Router

from regie.analysis.selectors import visible_organisation
from regie.analysis.serialise import camel
from regie.api.auth import caller
from regie.api.problems import Problem
from regie.register.models import Service, Usage
from regie.register.selectors import NotVisibleError

from .roadmap import roadmap_for
from .suggestions import Suggestion, alternatives_for

router = Router(tags=["planning"])

ERRORS = {401: Problem, 404: Problem}
PREFIX = "/organisations/{code}"
M = TypeVar("M", bound=Model)
_MAX_ID = 2**63 - 1  # larger ids exist nowhere (and SQLite cannot even compare them)


@router.get(
    PREFIX + "/roadmap",
    response={200: dict[str, Any], **ERRORS},
    url_name="planning-roadmap",
    summary="Exit plans ordered by risk reduction per euro, with the figures after each step.",
    operation_id="planningRoadmap",
)
def roadmap(request: HttpRequest, code: str) -> Any:
    user = caller(request)
    org = visible_organisation(user=user, code=code)
    return camel(roadmap_for(user=user, organisation=org).to_dict())


def _alternatives(request: HttpRequest, code: str, pk: int, kind: type[Usage | Service]) -> dict[str, Any]:
    """The ranked alternatives for one of the organisation's applications, or for a service of
    the catalogue with the organisation's use of it as the evidence; 404 for any other id."""
    user = caller(request)
    org = visible_organisation(user=user, code=code)
    if kind is Usage:
        usage = _row(Usage.objects.filter(organisation=org), pk, f"No application with id {pk} in {code}.")
        return _listed("usage", usage, alternatives_for(user=user, usage=usage))
    service = _row(Service.objects.all(), pk, f"No service with id {pk}.")
    return _listed("service", service, alternatives_for(user=user, service=service, organisation=org))


def _row(rows: QuerySet[M], pk: int, missing: str) -> M:
    """The row with that id (its product fetched with it), or NotVisibleError (a 404)."""
    found = rows.filter(pk=pk).select_related("product").first() if 0 < pk <= _MAX_ID else None
    if found is None:
        raise NotVisibleError(missing)
    return found


def _listed(key: str, subject: Usage | Service, found: Sequence[Suggestion]) -> dict[str, Any]:
    return {key: subject.pk, "name": subject.name, "alternatives": [s.to_dict() for s in found]}


@router.get(
    PREFIX + "/usages/{usageId}/alternatives",
    response={200: dict[str, Any], **ERRORS},
    url_name="planning-usage-alternatives",
    summary="Alternatives from the catalogue for an application, ranked, with migration effort.",
    operation_id="planningUsageAlternatives",
)
def usage_alternatives(request: HttpRequest, code: str, usageId: int) -> Any:  # noqa: N803 - the path names it
    return _alternatives(request, code, usageId, Usage)


@router.get(
    PREFIX + "/services/{serviceId}/alternatives",
    response={200: dict[str, Any], **ERRORS},
    url_name="planning-service-alternatives",
    summary="Alternatives from the catalogue for a service, ranked, with migration effort.",
    operation_id="planningServiceAlternatives",
)
def service_alternatives(request: HttpRequest, code: str, serviceId: int) -> Any:  # noqa: N803 - the path names it
    return _alternatives(request, code, serviceId, Service)
