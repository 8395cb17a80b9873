"""The import page of an organisation (upload, dry run, report) and the downloads.

Thin: find the organisation in the caller's scope, call the interchange services, render.
The same view renders the whole page or, for htmx, only the report.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from regie.accounts.permissions import can_edit
from regie.register.models import Organisation
from regie.register.selectors import organisations_of

from .jobs import job_create, job_start, job_status
from .models import ImportJob
from .problems import ImportReport
from .registry import exporters, importers
from .services import UnknownFormatError, export_organisation, import_file
from .sheets.formats import XLSX_MEDIA_TYPE
from .sheets.layout import SHEETS
from .sheets.workbook import template_bytes


def _organisation(request: HttpRequest, code: str) -> Organisation:
    organisation = organisations_of(user=request.user).filter(code=code).first()
    if organisation is None:
        raise Http404(_("No such organisation."))
    return organisation


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    format = forms.ChoiceField(label=_("Format"), required=False)
    sheet = forms.ChoiceField(
        label=_("Register (CSV)"),
        required=False,
        help_text=_("Which register a CSV file holds; else the end of its file name or its columns tell."),
    )
    dry_run = forms.BooleanField(label=_("Check only (dry run): write nothing"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sheets: list[tuple[str, Any]] = [("", _("Recognise from the file name or the columns"))]
        sheets += [(s.key, s.nl if get_language() == "nl" else s.en) for s in SHEETS]
        self.fields["sheet"].choices = sheets  # type: ignore[attr-defined]
        choices: list[tuple[str, Any]] = [("", _("Recognise from the file name"))]
        choices += [(i.name, i.label) for i in sorted(importers().values(), key=lambda i: i.name)]
        self.fields["format"].choices = choices  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = int(settings.REGIE_MAX_UPLOAD_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s bytes; the limit is %(limit)s bytes."),
                params={"size": f"{upload.size:,}", "limit": f"{limit:,}"},
            )
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    if not can_edit(request.user, organisation):
        raise PermissionDenied(_("You may not change this organisation's register."))
    report: ImportReport | None = None
    error = ""
    form = UploadForm(request.POST or None, request.FILES or None)
    htmx = bool(getattr(request, "htmx", False))
    if request.method == "POST" and form.is_valid() and htmx:
        # with JavaScript: the import runs beside this request and the page polls its progress
        upload = form.cleaned_data["file"]
        job = job_create(
            actor=request.user,  # type: ignore[arg-type]  # login_required: a signed-in user
            organisation=organisation,
            filename=upload.name or "upload",
            format=form.cleaned_data["format"] or "",
            dry_run=form.cleaned_data["dry_run"],
            sheet=form.cleaned_data["sheet"] or "",
        )
        job_start(job, upload.read())
        job.refresh_from_db()  # finished already when the import ran in this request
        return render(request, "interchange/_job.html", _job_context(organisation, job))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = import_file(
                actor=request.user,
                organisation=organisation,
                path_or_bytes=upload.read(),
                format=form.cleaned_data["format"] or None,
                dry_run=form.cleaned_data["dry_run"],
                filename=upload.name,
                sheet=form.cleaned_data["sheet"] or "",
            )
        except (UnknownFormatError, ValueError) as exc:
            error = str(exc)
    context = {
        "organisation": organisation,
        "form": form,
        "report": report,
        "error": error,
        "exporters": sorted(exporters().values(), key=lambda e: e.name),
        "section": "import",
        "max_bytes": int(settings.REGIE_MAX_UPLOAD_BYTES),
    }
    if htmx and request.method == "POST":
        return render(request, "interchange/_report.html", context)
    return render(request, "interchange/import.html", context)


def _job_context(organisation: Organisation, job: ImportJob) -> dict[str, Any]:
    status = job_status(job)
    report = ImportReport.from_dict(job.report) if job.report else None
    total = status["total"] or 0
    return {
        "organisation": organisation,
        "job": job,
        "status": status,
        "report": report,
        "error": job.error,
        "percent": {k: round(100 * status[k] / total) if total else 0 for k in ("validated", "written")},
    }


@login_required
@require_GET
def import_job(request: HttpRequest, org: str, job: uuid.UUID) -> HttpResponse:
    """The progress of an import started on the page (polled by htmx), and its report at the end."""
    organisation = _organisation(request, org)
    if not can_edit(request.user, organisation):
        raise PermissionDenied(_("You may not change this organisation's register."))
    found = ImportJob.objects.filter(pk=job, organisation=organisation).first()
    if found is None:
        raise Http404(_("No such import."))
    return render(request, "interchange/_job.html", _job_context(organisation, found))


@login_required
@require_GET
def export_download(request: HttpRequest, org: str, fmt: str) -> HttpResponse:
    organisation = _organisation(request, org)
    exporter = exporters().get(fmt)
    if exporter is None:
        raise Http404(_("Unknown export format."))
    data = export_organisation(actor=request.user, organisation=organisation, format=fmt)
    response = HttpResponse(data, content_type=exporter.media_type)
    name = f"regie-{slugify(organisation.code)}.{exporter.extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def schema_download(request: HttpRequest) -> HttpResponse:
    """The published JSON Schema of the organisation document (public: it holds no data)."""
    from .jsondoc.schema import SCHEMA_PATH

    return HttpResponse(SCHEMA_PATH.read_bytes(), content_type="application/schema+json")


@login_required
@require_GET
def template_download(request: HttpRequest, org: str) -> HttpResponse:
    _organisation(request, org)
    response = HttpResponse(template_bytes(), content_type=XLSX_MEDIA_TYPE)
    response["Content-Disposition"] = 'attachment; filename="regie-sjabloon.xlsx"'
    return response
