"""Loading the reference bundle: validate it, then apply it all-or-nothing.

    from regie.reference.bundle import load_bundle
    report = load_bundle()            # the bundle shipped with Regie
    report = load_bundle(Path("..."))  # a newer bundle (a directory with bundle.yaml)

Loading the same bundle twice changes nothing: the second report says 0 changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction

from .apply import BundleWriter
from .models import BundleLoad
from .reading import DEFAULT_BUNDLE, BundleError, ParsedBundle, read_bundle
from .report import BundleReport, FactChange

if TYPE_CHECKING:
    from regie.register.services import Actor

__all__ = [
    "DEFAULT_BUNDLE",
    "BundleError",
    "BundleReport",
    "FactChange",
    "installed_version",
    "load_bundle",
    "read_bundle",
]


class _DryRun(Exception):  # noqa: N818 - control flow, not an error
    def __init__(self, report: BundleReport) -> None:
        self.report = report


def installed_version() -> str | None:
    """The version of the last bundle loaded into this database, or None."""
    last = BundleLoad.objects.order_by("-loaded_at", "-id").first()
    return last.version if last else None


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def load_bundle(path: Path | None = None, *, actor: Actor = None, dry_run: bool = False) -> BundleReport:
    """Validate the bundle, then upsert everything in one transaction; BundleError if refused.

    ``actor=None`` is the system; a user must be a catalogue maintainer. With ``dry_run`` the
    changes are computed and reported, then rolled back.
    """
    bundle = read_bundle(path)
    try:
        return _apply(bundle, actor=actor, dry_run=dry_run)
    except _DryRun as done:
        return done.report


def _apply(bundle: ParsedBundle, *, actor: Actor, dry_run: bool) -> BundleReport:
    with transaction.atomic():
        report = BundleReport(
            version=bundle.version,
            date=bundle.date.isoformat(),
            path=str(bundle.path),
            previous_version=installed_version(),
            dry_run=dry_run,
        )
        BundleWriter(bundle, actor=actor, report=report).apply()
        if dry_run:
            raise _DryRun(report)
        if report.change_count or report.previous_version != bundle.version:
            BundleLoad.objects.create(
                version=bundle.version, bundle_date=bundle.date, changes=report.change_count
            )
        return report


def refuse_older(path: Path | None) -> None:
    """BundleError if the bundle at ``path`` is older than the one installed (for ``update``)."""
    bundle = read_bundle(path)
    current = installed_version()
    if current is not None and version_key(bundle.version) < version_key(current):
        raise BundleError(
            [f"bundle.yaml: field 'version': {bundle.version} is older than the installed bundle {current}."]
        )
