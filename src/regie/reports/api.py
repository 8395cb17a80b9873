"""The reports API: a report of an organisation as PDF or HTML (binary responses).

Mounted on the Regie API (``/api/v1``) with ``api.add_router("", regie.reports.api.router)``.
Thin: find the organisation in the caller's scope (404 otherwise, never 403), make the report
through the service (which records it in the audit trail), return the file.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from pydantic import Field

from regie.analysis.selectors import visible_organisation
from regie.api.auth import caller
from regie.api.problems import ApiError, FieldError, Problem
from regie.api.schema_base import CamelSchema

from .selectors import ReportError
from .services import ReportFile, report_generate

router = Router(tags=["reports"])
ERRORS = {400: Problem, 401: Problem, 404: Problem}
PREFIX = "/organisations/{code}/reports"

#: The success response as OpenAPI: a PDF document or one self-contained HTML page.
FILE_RESPONSE: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The report as a file (Content-Disposition names it).",
            "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "text/html": {"schema": {"type": "string"}},
            },
        }
    }
}


class ReportQuery(CamelSchema):
    format: Literal["pdf", "html"] = Field(
        "pdf", description="pdf (default) or html (one self-contained file)"
    )
    lang: Literal["nl", "en"] = Field("nl", description="language of the report: nl (default) or en")


class ProcurementQuery(ReportQuery):
    tender: int = Field(..., ge=1, description="id of the organisation's tender")


def _file(made: ReportFile) -> HttpResponse:
    response = HttpResponse(made.content, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    return response


def _make(
    request: HttpRequest, code: str, query: ReportQuery, kind: str, tender: str | None = None
) -> HttpResponse:
    user = caller(request)
    org = visible_organisation(user=user, code=code)
    try:
        made = report_generate(
            actor=user, organisation=org, kind=kind, fmt=query.format, language=query.lang, tender=tender
        )
    except ReportError as exc:
        raise ApiError(400, str(exc), errors=[FieldError(exc.field, exc.reason)]) from exc
    return _file(made)


@router.get(
    f"{PREFIX}/dependency",
    response={200: None, **ERRORS},
    url_name="reports-dependency",
    summary="The organisation's dependency report (PDF or HTML).",
    openapi_extra=FILE_RESPONSE,
)
def dependency_report(request: HttpRequest, code: str, query: Query[ReportQuery]) -> HttpResponse:
    """Key figures, jurisdiction exposure, concentration, continuity, accepted risks and the exit
    roadmap, for a council or board. Recorded in the audit trail."""
    return _make(request, code, query, "dependency")


@router.get(
    f"{PREFIX}/procurement",
    response={200: None, **ERRORS},
    url_name="reports-procurement",
    summary="The decision report of one of the organisation's tenders (PDF or HTML).",
    openapi_extra=FILE_RESPONSE,
)
def procurement_report(request: HttpRequest, code: str, query: Query[ProcurementQuery]) -> HttpResponse:
    """The tender, the award criteria and weights, the bids ranked with their effect on the
    dependencies, and the decision with its justification. Recorded in the audit trail."""
    return _make(request, code, query, "procurement", str(query.tender))
