"""The analysis API: every figure of an organisation, per section, and scenarios.

Mounted on the Regie API (``/api/v1``) with ``api.add_router("", regie.analysis.api.router)``.
Every endpoint is thin: find the organisation in the caller's scope (404 otherwise, never 403),
run the analysis through the selectors, return a section. Properties are lowerCamelCase.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.responses import NinjaJSONEncoder
from pydantic import Field

from regie.api.auth import caller
from regie.api.problems import ApiError, FieldError, Problem
from regie.api.schema_base import CamelInput, CamelSchema

from . import sections
from .cache import cached, report_for
from .report import Report
from .scenarios import ScenarioError, parse_changes, scenario_for
from .selectors import visible_organisation
from .serialise import camel

router = Router(tags=["analysis"])

ERRORS = {401: Problem, 404: Problem}
PREFIX = "/organisations/{code}/analysis"


class RiseQuery(CamelSchema):
    rise_percent: float = Field(
        10.0, ge=0, le=1000, description="The price rise for price power, in percent."
    )


def _section(
    name: str, build: Callable[[Report], dict[str, Any]]
) -> Callable[[HttpRequest, str, RiseQuery], Any]:
    def endpoint(request: HttpRequest, code: str, query: Query[RiseQuery]) -> Any:
        user = caller(request)
        org = visible_organisation(user=user, code=code)

        def body() -> bytes:  # the section as JSON, encoded once per revision (see .cache)
            report = report_for(user=user, organisation=org, rise_percent=query.rise_percent)
            return json.dumps(camel(build(report)), cls=NinjaJSONEncoder).encode()

        key = ("api", name, org.pk, float(query.rise_percent))
        return HttpResponse(cached(key, org.pk, body), content_type="application/json")

    return endpoint


_SECTIONS: tuple[tuple[str, str, Callable[[Report], dict[str, Any]], str], ...] = (
    ("", "analysis", sections.everything, "Key figures and every section of the organisation's analysis."),
    (
        "/exposure",
        "analysis-exposure",
        sections.exposure,
        "Exposure to jurisdictions, with laws and evidence.",
    ),
    (
        "/concentration",
        "analysis-concentration",
        sections.concentration,
        "Reliance and spend per provider group, HHI with bands.",
    ),
    (
        "/continuity",
        "analysis-continuity",
        sections.continuity,
        "Blast radius per provider group, single points of failure, recovery gaps.",
    ),
    (
        "/lock-in",
        "analysis-lock-in",
        sections.lock_in,
        "DORA substitutability per application, with evidence.",
    ),
    ("/price-power", "analysis-price-power", sections.price_power, "What a unilateral price rise costs."),
)

for suffix, name, build, summary in _SECTIONS:
    router.add_api_operation(
        PREFIX + suffix,
        ["GET"],
        _section(name, build),
        response={200: dict[str, Any], **ERRORS},
        url_name=name,
        summary=summary,
        operation_id=name.replace("-", "_"),
    )


class ScenarioIn(CamelInput):
    """A list of changes applied to a copy of the organisation's snapshot (never to the register)."""

    name: str = Field("", max_length=200)
    changes: list[dict[str, Any]] = Field(
        ..., min_length=1, max_length=50, description="Changes; see docs/analysis.md for the kinds."
    )
    rise_percent: float = Field(10.0, ge=0, le=1000)


@router.post(
    PREFIX.replace("/analysis", "/scenarios"),
    response={200: dict[str, Any], 400: Problem, **ERRORS},
    url_name="analysis-scenario",
    summary="Run a scenario: every figure before, after and the difference.",
)
def run_scenario(request: HttpRequest, code: str, payload: ScenarioIn) -> Any:

    user = caller(request)
    org = visible_organisation(user=user, code=code)
    try:
        result = scenario_for(
            user=user,
            organisation=org,
            changes=parse_changes(payload.changes),
            rise_percent=payload.rise_percent,
            name=payload.name,
        )
    except ScenarioError as exc:
        raise ApiError(400, str(exc), errors=[FieldError(exc.field, exc.reason)]) from exc
    return camel(result.to_dict())
