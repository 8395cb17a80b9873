"""The two entry points of interchange: import a file, export an organisation.

The CLI, the web upload and the API call these; they check permissions, apply the size and
safety limits, and run an import inside one transaction that is rolled back on any problem
and on a dry run.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction

from regie.accounts.permissions import can_view, require_edit
from regie.audit.context import reset_request_id, set_request_id

from .context import ImportContext
from .problems import ImportRefused, ImportReport
from .progress import Progress
from .registry import exporters, importers

if TYPE_CHECKING:
    from regie.register.models import Organisation
    from regie.register.services import Actor

    from .jsondoc.bulkexport import BulkResult


class UnknownFormatError(ValueError):
    pass


def guess_format(name: str) -> str:
    """The import format for a file name, by its extension."""
    suffix = Path(name).suffix.lower().lstrip(".")
    for importer in importers().values():
        if suffix in importer.extensions:
            return importer.name
    known = ", ".join(sorted(importers()))
    raise UnknownFormatError(f"Cannot tell the format of '{name}'; name one of: {known}.")


def import_file(
    *,
    actor: Actor,
    organisation: Organisation | None,
    path_or_bytes: str | Path | bytes,
    format: str | None = None,  # noqa: A002 - the public name the API uses
    dry_run: bool = False,
    filename: str = "",
    progress: Progress | None = None,
    sheet: str = "",
) -> ImportReport:
    """Import a file into an organisation: all or nothing, every problem named by its place.

    ``sheet`` names the register a CSV holds (key, Dutch or English sheet name); without it the
    file name or, when unambiguous, the columns tell."""
    if isinstance(path_or_bytes, (str, Path)) and not filename:
        filename = Path(path_or_bytes).name
    chosen = format or guess_format(filename or "upload")
    registered = importers()
    if chosen not in registered:
        raise UnknownFormatError(f"Unknown import format '{chosen}'; known: {', '.join(sorted(registered))}.")
    importer = registered[chosen]
    report = ImportReport(format=chosen, file=filename, dry_run=dry_run)
    if importer.needs_organisation and organisation is None:
        raise ValueError(f"The format '{chosen}' imports into an organisation; name one.")
    if actor is not None and organisation is not None:
        require_edit(actor, organisation)
    try:
        data, _name = _read(path_or_bytes, filename)
    except ImportRefused as exc:
        report.problems.append(exc.problem)
        return report

    def run(ctx: ImportContext) -> None:
        ctx.sheet = sheet
        importer.run(data, ctx)

    return run_import(
        report, actor=actor, organisation=organisation, dry_run=dry_run, run=run, progress=progress
    )


def run_import(
    report: ImportReport,
    *,
    actor: Actor,
    organisation: Organisation | None,
    dry_run: bool,
    run: Callable[[ImportContext], None],
    progress: Progress | None = None,
) -> ImportReport:
    """Run an importer in one transaction: rolled back on any problem and on a dry run."""
    report.request_id = f"import-{uuid.uuid4().hex}"
    token = set_request_id(report.request_id)
    try:
        with transaction.atomic():
            ctx = ImportContext(actor=actor, organisation=organisation, report=report)
            if progress is not None:
                ctx.progress = progress
            ctx.progress.start("reading")
            try:
                run(ctx)
            except ImportRefused as exc:
                report.problems.append(exc.problem)
            ctx.progress.start("saving")
            if report.problems or dry_run:
                transaction.set_rollback(True)
            else:
                report.written = True
    finally:
        reset_request_id(token)
    return report


def _read(source: str | Path | bytes, filename: str) -> tuple[bytes, str]:
    from .limits import read_limited

    return read_limited(source, name=filename)


def export_organisation(*, actor: Actor, organisation: Organisation, format: str) -> bytes:  # noqa: A002
    """An organisation's register in an export format, if the actor may see it."""
    if actor is not None and not can_view(actor, organisation):
        raise PermissionDenied("You may not see this organisation's register.")
    registered = exporters()
    if format not in registered:
        raise UnknownFormatError(f"Unknown export format '{format}'; known: {', '.join(sorted(registered))}.")
    return registered[format].run(actor, organisation)


def export_every_organisation(*, directory: Path, jobs: int = 1) -> BulkResult:
    """Every organisation's JSON document into ``directory`` as ``<code>.json`` (ADR 0128).

    The system's operation: the command line calls it (``regie export --all``); it takes no
    actor, and no web page or API call reaches it, for no user may export organisations other
    than those they may see.
    """
    from .jsondoc.bulkexport import export_every_organisation as export_all

    return export_all(directory, jobs=jobs)
