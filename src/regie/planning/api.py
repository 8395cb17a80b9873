"""The exit-planning API: an organisation's roadmap and suggested alternatives.

Mounted on the Regie API (``/api/v1``). Thin endpoints: find the organisation (and usage or
service) in the caller's scope, 404 otherwise (never 403), call a selector, return JSON.
Properties are lowerCamelCase.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from regie.analysis.selectors import visible_organisation
from regie.analysis.serialise import camel
from regie.api.auth import caller
from regie.api.problems import Problem
from regie.register.models import Service, Usage
from regie.register.selectors import NotVisibleError

from .roadmap import roadmap_for
from .suggestions import alternatives_for

router = Router(tags=["planning"])

ERRORS = {401: Problem, 404: Problem}
PREFIX = "/organisations/{code}"
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


@router.get(
    PREFIX + "/usages/{usageId}/alternatives",
    response={200: dict[str, Any], **ERRORS},
    url_name="planning-usage-alternatives",
    summary="Alternatives from the catalogue for an application, ranked, with migration effort.",
    operation_id="planningUsageAlternatives",
)
def usage_alternatives(request: HttpRequest, code: str, usageId: int) -> Any:  # noqa: N803 - the path names it
    usage_id = usageId
    user = caller(request)
    org = visible_organisation(user=user, code=code)
    usage = (
        Usage.objects.filter(pk=usage_id, organisation=org).select_related("product").first()
        if 0 < usage_id <= _MAX_ID
        else None
    )
    if usage is None:
        raise NotVisibleError(f"No application with id {usage_id} in {code}.")
    found = alternatives_for(user=user, usage=usage)
    return {"usage": usage.pk, "name": usage.name, "alternatives": [s.to_dict() for s in found]}


@router.get(
    PREFIX + "/services/{serviceId}/alternatives",
    response={200: dict[str, Any], **ERRORS},
    url_name="planning-service-alternatives",
    summary="Alternatives from the catalogue for a service, ranked, with migration effort.",
    operation_id="planningServiceAlternatives",
)
def service_alternatives(request: HttpRequest, code: str, serviceId: int) -> Any:  # noqa: N803 - the path names it
    service_id = serviceId
    user = caller(request)
    org = visible_organisation(user=user, code=code)
    service = (
        Service.objects.filter(pk=service_id).select_related("product").first()
        if 0 < service_id <= _MAX_ID
        else None
    )
    if service is None:
        raise NotVisibleError(f"No service with id {service_id}.")
    found = alternatives_for(user=user, service=service, organisation=org)
    return {"service": service.pk, "name": service.name, "alternatives": [s.to_dict() for s in found]}
