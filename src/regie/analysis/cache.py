"""Computed analysis results per organisation, cached in the process and keyed by revision.

An organisation's analysis (and the report and JSON built from it) depends only on the
catalogue and on that organisation's rows. :func:`organisation_revision` reads their revision
counters (:mod:`regie.api.revision`, ADR 0125): database triggers on every register table
bump them in the same transaction as any write, through the services, a bulk import or plain
SQL. The counters are read from the database on every call, before anything is computed, so
every server process sees a change made in another one at once and nothing is served stale.

Callers check permissions first (:func:`regie.analysis.selectors.visible_organisation`); the
cache holds results, never decisions about who may see them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

from regie.accounts.permissions import can_view
from regie.api.revision import revision
from regie.core.analysis import AnalysisOptions
from regie.register.selectors import NotVisibleError

from .report import Report, build_report
from .selectors import analyse_organisation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User
    from regie.register.models import Organisation

T = TypeVar("T")

MAX_ENTRIES = 16  # results of a national organisation take megabytes; keep the recent few

_entries: OrderedDict[Hashable, tuple[tuple[object, ...], Any]] = OrderedDict()
_lock = threading.Lock()


def organisation_revision(organisation_id: int) -> tuple[object, ...]:
    """Changes whenever the catalogue or anything of this organisation may have changed."""
    return revision(organisation_id)


def cached(key: Hashable, organisation_id: int, compute: Callable[[], T]) -> T:
    """``compute()``'s result for ``key``, recomputed when the organisation's revision changed."""
    revision = organisation_revision(organisation_id)
    with _lock:
        hit = _entries.get(key)
        if hit is not None and hit[0] == revision:
            _entries.move_to_end(key)
            value: T = hit[1]
            return value
    value = compute()
    with _lock:
        _entries[key] = (revision, value)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    """Forget every cached result (tests)."""
    with _lock:
        _entries.clear()


def report_for(
    *, user: User | AnonymousUser, organisation: Organisation, rise_percent: float = 10.0
) -> Report:
    """The organisation's report (every figure, with evidence) if the user may see it;
    NotVisibleError otherwise. Computed once per revision of the organisation's data."""
    if not can_view(user, organisation):
        raise NotVisibleError(f"No organisation with code {organisation.code!r}.")

    def compute() -> Report:
        options = AnalysisOptions(rise_percent=rise_percent, detail=True)
        return build_report(analyse_organisation(organisation, options), rise_percent=rise_percent)

    return cached(("report", organisation.pk, float(rise_percent)), organisation.pk, compute)
