"""Reads: the report documents an organisation's members may see (NotVisibleError otherwise).

``user=None`` is a trusted caller (the command line), as in ``regie.analysis.selectors``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import translation

from regie.accounts.permissions import can_view
from regie.planning.roadmap import Roadmap, roadmap_of
from regie.register.models import Organisation
from regie.register.selectors import NotVisibleError

from .dependency import build_dependency_report
from .document import Document
from .procurement import build_procurement_report

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User

LANGUAGES = ("nl", "en")
KINDS = ("dependency", "procurement")
FORMATS = ("pdf", "html")


class ReportError(ValueError):
    """A report that cannot be made as asked (a field and a reason, for a clear message)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def _check(user: User | AnonymousUser | None, organisation: Organisation) -> None:
    if user is not None and not can_view(user, organisation):
        raise NotVisibleError(f"No organisation with code {organisation.code!r}.")


def _roadmap(organisation: Organisation) -> tuple[Roadmap | None, str]:
    """The ranked exit roadmap (the caller is checked already), or None with the reason."""
    try:
        return roadmap_of(organisation), ""
    except (LookupError, ValueError) as exc:
        return None, str(exc)


def dependency_report_for(
    *, user: User | AnonymousUser | None, organisation: Organisation, language: str = "nl"
) -> Document:
    """The organisation's dependency report in Dutch or English."""
    _check(user, organisation)
    if language not in LANGUAGES:
        raise ReportError("lang", "nl or en")
    with translation.override(language):
        roadmap, why = _roadmap(organisation)
        return build_dependency_report(organisation, language=language, roadmap=roadmap, roadmap_error=why)


def procurement_report_for(
    *, user: User | AnonymousUser | None, organisation: Organisation, tender: str, language: str = "nl"
) -> Document:
    """The decision report of one tender of the organisation."""
    _check(user, organisation)
    if language not in LANGUAGES:
        raise ReportError("lang", "nl or en")
    with translation.override(language):
        return build_procurement_report(organisation, tender=tender, language=language)


def report_for(
    *,
    user: User | AnonymousUser | None,
    organisation: Organisation,
    kind: str = "dependency",
    language: str = "nl",
    tender: str | None = None,
) -> Document:
    if kind == "dependency":
        return dependency_report_for(user=user, organisation=organisation, language=language)
    if kind == "procurement":
        if not tender:
            raise ReportError("tender", "a procurement report needs the id of a tender")
        return procurement_report_for(user=user, organisation=organisation, tender=tender, language=language)
    raise ReportError("kind", "dependency or procurement")
