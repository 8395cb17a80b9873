"""Reads of analysis results, always scoped to what the caller may see.

The engine (``regie.core``) knows nothing of users; these selectors check ``can_view`` first,
then compile the organisation's part of the register into a snapshot on the cached catalogue
and run the engine. An organisation the caller may not see is reported as not found
(:class:`~regie.register.selectors.NotVisibleError`), never as forbidden.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from regie.accounts.permissions import can_view
from regie.core.analysis import Analysis, AnalysisOptions, analyse
from regie.core.snapshot import Snapshot
from regie.reference.overlay import with_overrides
from regie.register.models import Organisation
from regie.register.selectors import NotVisibleError

from .adapter import build_snapshot

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User


class UnknownOrganisationError(LookupError):
    """No organisation has this code (raised to trusted callers such as the command line)."""


def organisation_by_code(*, code: str) -> Organisation:
    """The organisation with this code, for trusted callers (the command line)."""
    org = Organisation.objects.filter(code=code).first()
    if org is None:
        known = ", ".join(Organisation.objects.order_by("code").values_list("code", flat=True)[:20])
        raise UnknownOrganisationError(
            f"No organisation with code {code!r}." + (f" Known codes: {known}." if known else "")
        )
    return org


def visible_organisation(*, user: User | AnonymousUser, code: str) -> Organisation:
    """The organisation with this code if the user may see it; NotVisibleError otherwise."""
    org = Organisation.objects.filter(code=code).first()
    if org is None or not can_view(user, org):
        raise NotVisibleError(f"No organisation with code {code!r}.")
    return org


def organisation_snapshot(organisation: Organisation) -> Snapshot:
    """The organisation's register compiled on the cached catalogue, with the organisation's
    local overrides of catalogue facts applied (no permission check)."""
    return with_overrides(build_snapshot(organisation_ids=[organisation.pk]), organisation.pk)


def analyse_organisation(organisation: Organisation, options: AnalysisOptions | None = None) -> Analysis:
    """Every figure of one organisation, with evidence (no permission check: trusted callers)."""
    snap = organisation_snapshot(organisation)
    return analyse(snap, [organisation.pk], options)


def analysis_for(
    *, user: User | AnonymousUser, organisation: Organisation, options: AnalysisOptions | None = None
) -> Analysis:
    """Every figure of the organisation, if the user may see it; NotVisibleError otherwise."""
    if not can_view(user, organisation):
        raise NotVisibleError(f"No organisation with code {organisation.code!r}.")
    return analyse_organisation(organisation, options)


def snapshot_for(*, user: User | AnonymousUser, organisation: Organisation) -> Snapshot:
    """The organisation's snapshot, if the user may see it (for scenarios and dependency views)."""
    if not can_view(user, organisation):
        raise NotVisibleError(f"No organisation with code {organisation.code!r}.")
    return organisation_snapshot(organisation)
