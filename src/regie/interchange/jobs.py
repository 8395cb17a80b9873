"""Imports of the web page, run beside the request so the page can poll their progress (ADR 0068).

The upload request creates an :class:`ImportJob` and starts the import in a thread of the web
process; the page then asks for the job every second and shows rows validated and written, and
at the end the report. The import itself is unchanged: one transaction, all or nothing, and a
dry run rolls back. The job record and the progress file live outside that transaction.
"""

from __future__ import annotations

import datetime
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from regie.accounts.permissions import require_edit
from regie.audit.models import AuditAction
from regie.audit.services import audit_record

from .models import ImportJob, JobState
from .progress import Progress, read_progress
from .services import UnknownFormatError, import_file

if TYPE_CHECKING:
    from regie.accounts.models import User
    from regie.register.models import Organisation

log = logging.getLogger(__name__)
STORED_PROBLEMS = 1000  # the page shows the first 1,000 problems; the rest are counted
STALE_AFTER = datetime.timedelta(minutes=10)  # no sign of life: the web process was stopped


def job_dir() -> Path:
    return Path(getattr(settings, "VAR_DIR", Path.cwd() / "var")) / "import-jobs"


def progress_path(job: ImportJob) -> Path:
    return job_dir() / f"{job.pk}.json"


def job_create(
    *,
    actor: User,
    organisation: Organisation,
    filename: str,
    format: str,  # noqa: A002 - the name import_file uses
    dry_run: bool,
    sheet: str = "",
) -> ImportJob:
    require_edit(actor, organisation)
    job = ImportJob.objects.create(
        organisation=organisation,
        created_by=actor,
        filename=filename[:255],
        format=format,
        dry_run=dry_run,
        sheet=sheet[:32],
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=job,
        organisation_id=organisation.pk,
        after={"file": job.filename, "format": format, "dry_run": dry_run},
        message="import started on the import page",
    )
    return job


def job_start(job: ImportJob, data: bytes) -> None:
    """Run the import in a thread of this process, or right here when threads are switched off."""
    if getattr(settings, "REGIE_IMPORT_IN_BACKGROUND", True):
        thread = threading.Thread(
            target=_run_in_thread, args=(job.pk, data), name=f"import-{job.pk}", daemon=True
        )
        transaction.on_commit(thread.start)  # the thread must see the job record
    else:
        job_run(job.pk, data)


def _run_in_thread(job_id: Any, data: bytes) -> None:
    try:
        job_run(job_id, data)
    finally:
        connection.close()  # this thread's own connection


def job_run(job_id: Any, data: bytes) -> None:
    job = ImportJob.objects.select_related("organisation", "created_by").get(pk=job_id)
    progress = Progress(progress_path(job))
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, phase="reading")
    fields: dict[str, Any] = {}
    try:
        report = import_file(
            actor=_starter(job),
            organisation=job.organisation,
            path_or_bytes=data,
            format=job.format or None,
            dry_run=job.dry_run,
            filename=job.filename,
            progress=progress,
            sheet=job.sheet,
        )
        fields = {"state": JobState.DONE, "report": report.as_dict(limit=STORED_PROBLEMS, stored=True)}
    except (UnknownFormatError, ValueError, PermissionDenied) as exc:
        fields = {"state": JobState.FAILED, "error": str(exc)}
    except Exception:  # the job must end whatever happened; the transaction was rolled back
        log.exception("import job %s failed", job.pk)
        fields = {"state": JobState.FAILED, "error": "The import stopped unexpectedly; nothing was saved."}
    finally:
        counts = progress.as_dict()
        ImportJob.objects.filter(pk=job.pk).update(
            phase="done",
            rows_total=counts["total"],
            rows_validated=counts["validated"],
            rows_written=counts["written"],
            finished_at=timezone.now(),
            **(fields or {"state": JobState.FAILED, "error": "The import was interrupted."}),
        )
        progress_path(job).unlink(missing_ok=True)


def _starter(job: ImportJob) -> User:
    """Who started the job; never the system (None), which may do more than any user."""
    if job.created_by is None or not job.created_by.is_active:
        raise PermissionDenied("The account that started this import no longer exists.")
    return job.created_by


def job_status(job: ImportJob) -> dict[str, Any]:
    """What the page shows: state, phase and counts (live while running), the report at the end."""
    if not job.finished:
        live = read_progress(progress_path(job))
        path = progress_path(job)
        last_sign = job.created_at
        if path.exists():
            last_sign = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
        if timezone.now() - last_sign > STALE_AFTER:
            ImportJob.objects.filter(pk=job.pk, state__in=(JobState.QUEUED, JobState.RUNNING)).update(
                state=JobState.FAILED,
                phase="done",
                error="The import was interrupted (the web server stopped); nothing was saved.",
                finished_at=timezone.now(),
            )
            job.refresh_from_db()
        elif live is not None:
            return {"phase": live.get("phase", ""), "total": live.get("total", 0),
                    "validated": live.get("validated", 0), "written": live.get("written", 0)}  # fmt: skip
    return {
        "phase": job.phase,
        "total": job.rows_total,
        "validated": job.rows_validated,
        "written": job.rows_written,
    }
