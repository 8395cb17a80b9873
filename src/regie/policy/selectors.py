"""Reads of the strategic framework, always scoped to what the caller may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from regie.accounts.permissions import can_view
from regie.register.models import Organisation
from regie.register.selectors import NotVisibleError

from .framework import Framework, adoptions_for, framework_for
from .models import FigureSnapshot, Finding, PolicyAdoption

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User

SEVERITY_ORDER = {"fail": 0, "warn": 1, "info": 2}


def _check(user: User | AnonymousUser, organisation: Organisation) -> None:
    if not can_view(user, organisation):
        raise NotVisibleError(f"No organisation with code {organisation.code!r}.")


def findings_for(
    *, user: User | AnonymousUser, organisation: Organisation, status: str | None = None
) -> list[Finding]:
    """The organisation's findings, most severe first (``status`` None: open and accepted)."""
    _check(user, organisation)
    qs: QuerySet[Finding] = Finding.objects.filter(organisation=organisation)
    qs = qs.filter(status=status) if status else qs.exclude(status="resolved")
    return sorted(qs, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.rule, f.subject_key))


def finding_for(*, user: User | AnonymousUser, organisation: Organisation, pk: int) -> Finding:
    _check(user, organisation)
    finding = Finding.objects.filter(organisation=organisation, pk=pk).first()
    if finding is None:
        raise NotVisibleError(f"No finding {pk}.")
    return finding


def framework_of(
    *, user: User | AnonymousUser, organisation: Organisation
) -> tuple[Framework, list[PolicyAdoption]]:
    """What applies to the organisation, and the adoptions it comes from."""
    _check(user, organisation)
    return framework_for(organisation), adoptions_for(organisation)


def trend_for(*, user: User | AnonymousUser, organisation: Organisation) -> list[FigureSnapshot]:
    _check(user, organisation)
    return list(FigureSnapshot.objects.filter(organisation=organisation).order_by("day"))
