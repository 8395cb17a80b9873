"""Computed analysis results per organisation, cached in the process and keyed by revision.

An organisation's analysis (and the report and JSON built from it) depends only on the
catalogue and on that organisation's rows. :func:`organisation_revision` is a cheap stamp of
both: the catalogue's revision (:func:`regie.analysis.adapter.catalogue_revision`: audited
catalogue changes, row counts and last ``updated_at``) and, in one query, the organisation's
last audit entry and the row count and last ``updated_at`` of every table that holds its
rows (the register's tenant tables, found through :mod:`regie.register.tenancy`). Any write
through the services is audited, and rows written past them (bulk loads) change a count or an
``updated_at``: either changes the stamp, and the next request recomputes. The stamp is read
from the database on every call, so every server process sees a change made in another one
at once; nothing is shared between processes and nothing is served stale.

Callers check permissions first (:func:`regie.analysis.selectors.visible_organisation`); the
cache holds results, never decisions about who may see them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.db import connection, models

from regie.accounts.permissions import can_view
from regie.core.analysis import AnalysisOptions
from regie.register.selectors import NotVisibleError
from regie.register.tenancy import organisation_lookup

from .adapter import catalogue_revision
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
_sql: list[str] = []


def _revision_sql() -> str:
    """One statement: the organisation's last audit entry and a stamp per tenant table."""
    if _sql:
        return _sql[0]
    quote = connection.ops.quote_name
    parts = ["(SELECT MAX(id) FROM audit_auditentry WHERE organisation_id = %s)"]
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        lookup = organisation_lookup(model)
        if lookup is None or model._meta.label == "register.Organisation":
            continue
        table = quote(model._meta.db_table)
        fields = {f.name: f for f in model._meta.concrete_fields}

        def column(name: str, fields: dict[str, models.Field[Any, Any]] = fields) -> str:
            return quote(str(fields[name].column))

        stamp = "COUNT(*)"
        if "updated_at" in fields:
            stamp += f" || '/' || COALESCE(CAST(MAX(t.{column('updated_at')}) AS TEXT), '')"
        if lookup == "organisation_id":
            where = f"FROM {table} t WHERE t.{column('organisation')} = %s"
        else:  # one step away: contract__organisation_id, plan__organisation_id
            via, _, rest = lookup.partition("__")
            link = fields.get(via)
            if rest != "organisation_id" or not isinstance(link, models.ForeignKey):
                continue
            parent = quote(link.related_model._meta.db_table)
            where = f"FROM {table} t JOIN {parent} p ON p.id = t.{column(via)} WHERE p.organisation_id = %s"
        parts.append(f"(SELECT {stamp} {where})")
    _sql.append("SELECT " + ", ".join(parts))
    return _sql[0]


def organisation_revision(organisation_id: int) -> tuple[object, ...]:
    """Changes whenever the catalogue or anything of this organisation may have changed."""
    with connection.cursor() as cursor:
        sql = _revision_sql()
        cursor.execute(sql, [organisation_id] * sql.count("%s"))
        row = cursor.fetchone()
    return (catalogue_revision(), tuple(row or ()))


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
