"""Import and export over the API: the same two services as the command line and the web page.

Mounted on the Regie API (``/api/v1``) with ``api.add_router("", regie.interchange.api.router)``.
Thin: find the organisation in the caller's scope (404 otherwise), call the service, answer.
An import answers 200 with its report whether or not it found problems (``ok`` says which;
nothing is written unless there are none); a request it cannot start is a 400 problem.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.text import slugify
from ninja import File, Query, Router, UploadedFile
from pydantic import Field

from regie.analysis.selectors import visible_organisation
from regie.api.auth import caller
from regie.api.problems import ApiError, FieldError, Problem
from regie.api.schema_base import CamelSchema

from .registry import exporters
from .services import UnknownFormatError, export_organisation, import_file

router = Router(tags=["import and export"])
ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem}
PREFIX = "/organisations/{code}"


class ProblemOut(CamelSchema):
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    letter: str = ""


class ImportReportOut(CamelSchema):
    format: str
    file: str
    dry_run: bool
    ok: bool = Field(..., description="true when the file has no problems")
    written: bool = Field(..., description="true when the import was saved (never on a dry run)")
    problems: list[ProblemOut]
    omitted_problems: int = Field(0, description="problems beyond the first 1,000, not listed")
    notices: list[ProblemOut]
    created: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int]


class ImportQuery(CamelSchema):
    format: str | None = Field(None, description="import format; default: from the file name")
    dry_run: bool = Field(True, description="check only and write nothing (default true)")
    sheet: str = Field(
        "",
        description="csv: the register the file holds (processes, usages, redundancy_groups, "
        "dependencies, data_sets, contracts, clauses, exit_plans, exit_plan_steps, or the sheet's "
        "Dutch or English name); default: from the end of the file name, else from the columns "
        "when they fit one register",
    )


@router.post(
    f"{PREFIX}/imports",
    response={200: ImportReportOut, **ERRORS},
    url_name="interchange-import",
    summary="Import a file into the organisation's register (all or nothing).",
)
def import_upload(
    request: HttpRequest, code: str, query: Query[ImportQuery], file: File[UploadedFile]
) -> dict[str, Any]:
    """Every problem is reported with its place (sheet, row, column); nothing is written unless
    there is none. A dry run (the default) checks everything, including the database's own
    rules, and writes nothing."""
    user = caller(request)
    organisation = visible_organisation(user=user, code=code)
    limit = int(settings.REGIE_MAX_UPLOAD_BYTES)
    if file.size is not None and file.size > limit:
        raise ApiError(400, f"The file is {file.size:,} bytes; the limit is {limit:,} bytes.",
                       errors=[FieldError("file", "too large")])  # fmt: skip
    try:
        report = import_file(
            actor=user,
            organisation=organisation,
            path_or_bytes=file.read(limit + 1),
            format=query.format,
            dry_run=query.dry_run,
            filename=file.name or "upload",
            sheet=query.sheet,
        )
    except (UnknownFormatError, ValueError) as exc:
        raise ApiError(400, str(exc), errors=[FieldError("format", str(exc))]) from exc
    return report.as_dict(limit=1000)


@router.get(
    f"{PREFIX}/exports/{{fmt}}",
    response={200: None, **ERRORS},
    url_name="interchange-export",
    summary="The organisation's register in an export format (json, xlsx, archimate, dora).",
    openapi_extra={
        "responses": {
            200: {
                "description": "The export as a file (Content-Disposition names it).",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def export_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """json: the lossless organisation document (schema at /schema/regie-organisation-1.schema.json);
    xlsx: the spreadsheet template filled in; archimate: the Open Exchange Format; dora: the
    Register of Information templates in a zip."""
    user = caller(request)
    organisation = visible_organisation(user=user, code=code)
    exporter = exporters().get(fmt)
    if exporter is None:
        known = ", ".join(sorted(exporters()))
        raise ApiError(
            400, f"Unknown export format '{fmt}'; known: {known}.", errors=[FieldError("fmt", "unknown")]
        )
    data = export_organisation(actor=user, organisation=organisation, format=fmt)
    response = HttpResponse(data, content_type=exporter.media_type)
    response["Content-Disposition"] = (
        f'attachment; filename="regie-{slugify(organisation.code)}.{exporter.extension}"'
    )
    return response
