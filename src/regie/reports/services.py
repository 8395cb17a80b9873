"""Making a report file. A report discloses the register, so each one made is recorded in the
audit trail: who, which organisation, which kind, format and language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from regie.audit.models import AuditAction
from regie.audit.services import audit_record
from regie.register.models import Organisation

from .as_html import render_html
from .as_pdf import render_pdf
from .selectors import FORMATS, ReportError, report_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User

CONTENT_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    content_type: str
    filename: str


def report_generate(
    *,
    actor: User | AnonymousUser | None,
    organisation: Organisation,
    kind: str = "dependency",
    fmt: str = "pdf",
    language: str = "nl",
    tender: str | None = None,
    trusted: bool = False,
) -> ReportFile:
    """The report as a file, recorded in the audit trail.

    ``trusted`` (the command line) skips the visibility check; otherwise the actor must be
    allowed to see the organisation (NotVisibleError).
    """
    if fmt not in FORMATS:
        raise ReportError("format", "pdf or html")
    doc = report_for(
        user=None if trusted else actor,
        organisation=organisation,
        kind=kind,
        language=language,
        tender=tender,
    )
    content = render_pdf(doc) if fmt == "pdf" else render_html(doc).encode("utf-8")
    stem = f"{organisation.code}-{kind}" + (f"-{tender}" if kind == "procurement" and tender else "")
    filename = f"regie-{stem}-{doc.generated_at:%Y%m%d}-{language}.{fmt}"
    audit_record(
        actor=actor,
        action=AuditAction.EVENT,
        object_type="reports.report",
        object_id=kind if not tender else f"{kind}:{tender}"[:64],
        object_repr=f"{doc.title}: {doc.subject}",
        organisation_id=organisation.pk,
        after={"kind": kind, "format": fmt, "language": language, "tender": tender, "bytes": len(content)},
        message=f"Report generated ({kind}, {fmt}, {language})",
    )
    return ReportFile(content, CONTENT_TYPES[fmt], filename)
