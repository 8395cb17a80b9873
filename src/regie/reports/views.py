"""The reports page of an organisation (/o/<code>/reports/) and the report files.

Thin: find the organisation in the caller's scope (404 otherwise), make the report through
the service (recorded in the audit trail), return the file. The HTML report is a
self-contained page with inline CSS: it is served with a policy that allows inline styles and
no script, and may be framed by Regie's own pages for the preview.
"""

from __future__ import annotations

from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from regie.analysis.selectors import visible_organisation
from regie.procurement.selectors import tenders_for
from regie.register.models import Organisation
from regie.register.selectors import NotVisibleError

from .selectors import LANGUAGES, ReportError
from .services import report_generate

#: The report page carries its own styles and no script; only Regie may frame it.
REPORT_POLICY = {"style-src": ["'unsafe-inline'"], "script-src": ["'none'"], "frame-ancestors": ["'self'"]}


def _organisation(request: HttpRequest, code: str) -> Organisation:
    try:
        org = visible_organisation(user=request.user, code=code)
    except NotVisibleError as exc:
        raise Http404(str(exc)) from exc
    request.session["regie_org"] = org.code
    return org


def _language(request: HttpRequest) -> str:
    lang = request.GET.get("lang") or (get_language() or "nl")[:2]
    return lang if lang in LANGUAGES else "nl"


@login_required
@require_GET
def reports(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    return render(
        request,
        "reports/index.html",
        {
            "organisation": organisation,
            "tenders": list(tenders_for(user=request.user, organisation=organisation)),
            "language": _language(request),
            "languages": (("nl", "Nederlands"), ("en", "English")),
        },
    )


@login_required
@require_GET
@xframe_options_sameorigin
@csp_replace(REPORT_POLICY)  # type: ignore[arg-type]  # typed for views without URL arguments
def report_file(
    request: HttpRequest, org: str, kind: str, fmt: str, tender: int | None = None
) -> HttpResponse:
    organisation = _organisation(request, org)
    try:
        made = report_generate(
            actor=request.user,
            organisation=organisation,
            kind=kind,
            fmt=fmt,
            language=_language(request),
            tender=None if tender is None else str(tender),
        )
    except (NotVisibleError, ReportError) as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(made.content, content_type=made.content_type)
    disposition = "inline" if fmt == "html" and request.GET.get("preview") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{made.filename}"'
    return response
