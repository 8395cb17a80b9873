"""Reads of the government-wide view, always scoped to the caller and always disclosed.

Every function here returns rows that went through :func:`~regie.sector.disclosure.disclose`
(or raises :class:`~regie.sector.disclosure.SuppressedError`); pages, the API, exports and
the command line only ever call these.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.accounts.permissions import can_view
from regie.register.models import Organisation
from regie.register.selectors import NotVisibleError

from . import aggregate
from .benchmark import compare, org_metrics
from .disclosure import SuppressedError, disclose, require_population
from .population import GroupFilter, Population, digest_of, mask_of, min_group, population
from .procurement import cluster_row, clusters
from .systemic import SystemicThresholds, assess

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User


#: How each benchmarked figure is called on pages and in reports.
METRIC_LABELS: dict[str, Any] = {
    "non_eu_control_share": _("share of critical processes with non-EU control exposure"),
    "top_group_reliance": _("reliance on the largest provider group"),
    "groups_relied_on": _("provider groups relied on"),
    "hard_to_substitute_share": _("share of applications that are hard to substitute"),
}


def is_sector_analyst(user: User | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or getattr(user, "is_sector_analyst", False))
    )


def require_analyst(user: User | AnonymousUser) -> None:
    if not is_sector_analyst(user):
        raise PermissionDenied("Only sector analysts see the government-wide view.")


def _group(pop: Population, chosen: GroupFilter) -> frozenset[int]:
    """The members of an admitted group; SuppressedError for a refused or small one."""
    if chosen.key not in pop.admission.admitted:
        reason = pop.admission.refused.get(chosen.key, "fewer than k organisations")
        raise SuppressedError(f"group refused: {reason}")
    members = pop.admission.members(chosen.key)
    require_population(len(members), k=pop.k)
    return members


def group_choices(*, user: User | AnonymousUser) -> dict[str, Any]:
    """The filters and which of their combinations are admitted (for forms and the API)."""
    require_analyst(user)
    pop = population(k=min_group())
    return {
        "k": pop.k,
        "kinds": sorted({o.kind for o in pop.orgs.values()}),
        "provinces": sorted({o.province for o in pop.orgs.values() if o.province}),
        "joint_arrangements": sorted({a for o in pop.orgs.values() for a in o.arrangements}),
        "admitted": sorted(str(k) for k in pop.admission.admitted if str(k).startswith("kind=")),
    }


def sector_report(*, user: User | AnonymousUser, chosen: GroupFilter) -> dict[str, Any]:
    """Every sector aggregate over the chosen group, disclosed."""
    require_analyst(user)
    pop = population(k=min_group())
    members = _group(pop, chosen)
    digest, rows, _state = digest_of(pop)
    mask = mask_of(digest, rows, members)
    k = pop.k
    return {
        "group": chosen.key,
        "k": k,
        "population": disclose([aggregate.population_row(digest, mask)], k=k)[0],
        "reliance": disclose(aggregate.reliance_rows(digest, mask), k=k, keep=("group", "name")),
        "refcomp_hhi": disclose(aggregate.refcomp_rows(digest, mask), k=k, keep=("refcomp",)),
        "jurisdictions": disclose(aggregate.jurisdiction_rows(digest, mask), k=k, keep=("country",)),
        "substitutability": disclose(aggregate.substitutability_rows(digest, mask), k=k, keep=("class",)),
        "findings_by_rule": findings_by_rule(members, k=k),
        "trend": findings_trend(members, k=k),
        "trend_by_rule": findings_trend_by_rule(members, k=k),
    }


def thresholds() -> SystemicThresholds:
    return SystemicThresholds.from_mapping(getattr(settings, "REGIE_SECTOR_SYSTEMIC", None))


def systemic_suppliers(*, user: User | AnonymousUser, chosen: GroupFilter) -> list[dict[str, Any]]:
    """Provider groups past the first step, with every criterion explained; disclosed."""
    require_analyst(user)
    pop = population(k=min_group())
    members = _group(pop, chosen)
    digest, rows, _state = digest_of(pop)
    mask = mask_of(digest, rows, members)
    inhabitants = np.full(digest.n_orgs, np.nan)
    for pk, i in rows.items():
        inh = pop.orgs[pk].inhabitants if pk in pop.orgs else None
        inhabitants[i] = np.nan if inh is None else inh
    found = assess(digest, mask, inhabitants=inhabitants, thresholds=thresholds())
    return disclose([d.to_row() for d in found], k=pop.k, keep=("group", "name"))


def findings_by_rule(members: frozenset[int], *, k: int) -> dict[str, Any]:
    """Open and accepted findings per rule over the group (if the policy app is installed)."""
    try:
        from regie.policy.models import Finding, FindingStatus
    except ImportError:  # pragma: no cover - the policy app is part of Regie
        return {"available": False, "rows": []}
    per_rule: dict[str, dict[str, Any]] = {}
    orgs: dict[str, set[int]] = defaultdict(set)
    for rule, severity, status, org in Finding.objects.filter(
        organisation_id__in=members, status__in=[FindingStatus.OPEN, FindingStatus.ACCEPTED]
    ).values_list("rule", "severity", "status", "organisation_id"):
        row = per_rule.setdefault(rule, {"rule": rule, "severity": severity, "open": 0, "accepted": 0})
        row[status] += 1
        orgs[rule].add(org)
    rows = [row | {"orgs": len(orgs[rule])} for rule, row in sorted(per_rule.items())]
    return {"available": True, "rows": disclose(rows, k=k, keep=("rule", "severity"))}


def findings_trend(members: frozenset[int], *, k: int) -> dict[str, Any]:
    """Per day of the policy app's daily snapshots: open findings by severity over the group."""
    from regie.policy.models import FigureSnapshot

    days: dict[dt.date, dict[str, Any]] = {}
    for day, _org, findings in FigureSnapshot.objects.filter(organisation_id__in=members).values_list(
        "day", "organisation_id", "findings"
    ):
        row = days.setdefault(day, {"day": day.isoformat(), "orgs": 0, "fail": 0, "warn": 0, "info": 0})
        row["orgs"] += 1
        for severity, n in ((findings or {}).get("open") or {}).items():
            if severity in ("fail", "warn", "info"):
                row[severity] += int(n)
    rows = [days[d] for d in sorted(days)]
    return {"available": bool(rows), "rows": disclose(rows, k=k, keep=("day",))}


TREND_DAYS = 14


def findings_trend_by_rule(members: frozenset[int], *, k: int, days: int = TREND_DAYS) -> dict[str, Any]:
    """Per rule, on each of the last ``days`` days with daily figure snapshots: the findings
    present that day (seen by then, not yet resolved; open or accepted) and the organisations
    they are in. Reconstructed from each finding's first_seen and resolved_at; every (rule,
    day) cell is disclosed on its own."""
    from regie.policy.models import FigureSnapshot, Finding

    snapshot_days = sorted(
        set(
            FigureSnapshot.objects.filter(organisation_id__in=members)
            .order_by("-day")
            .values_list("day", flat=True)
            .distinct()[:days]
        )
    )
    if not snapshot_days:
        return {"available": False, "days": [], "rules": []}
    found = list(
        Finding.objects.filter(organisation_id__in=members).values_list(
            "rule", "organisation_id", "first_seen", "resolved_at"
        )
    )
    if not found:
        return {"available": True, "days": [d.isoformat() for d in snapshot_days], "rules": []}
    names = sorted({f[0] for f in found})
    rule_of = {name: i for i, name in enumerate(names)}
    never = dt.date.max.toordinal()
    rule = np.array([rule_of[f[0]] for f in found], dtype=np.int64)
    org = np.array([f[1] for f in found], dtype=np.int64)
    seen = np.array([timezone.localdate(f[2]).toordinal() for f in found], dtype=np.int64)
    gone = np.array(
        [timezone.localdate(f[3]).toordinal() if f[3] is not None else never for f in found], dtype=np.int64
    )
    rules = []
    keep = ("rule", "day")
    for r, name in enumerate(names):
        mine = rule == r
        cells = []
        for day in snapshot_days:
            d = day.toordinal()
            present = mine & (seen <= d) & (gone > d)
            n = int(present.sum())
            cell = {"rule": name, "day": day.isoformat(), "findings": n, "orgs": len(np.unique(org[present]))}
            # none present is a figure over the whole (admitted) group, not over a few
            cells.append(cell | {"suppressed": False} if n == 0 else disclose([cell], k=k, keep=keep)[0])
        rules.append({"rule": name, "cells": cells})
    return {"available": True, "days": [d.isoformat() for d in snapshot_days], "rules": rules}


def _window() -> int:
    return int(getattr(settings, "REGIE_SECTOR_PROCUREMENT_MONTHS", 24))


def joint_procurement(
    *,
    user: User | AnonymousUser,
    organisation: Organisation | None = None,
    today: dt.date | None = None,
    months: int | None = None,
) -> list[dict[str, Any]]:
    """Clusters of contracts ending together, over every counted organisation.

    A sector analyst (no ``organisation``) sees counts and values only. A member of an
    organisation sees the clusters its organisation is in; when its organisation opted in to
    naming, the other opted-in members of each cluster are named to it. Clusters over fewer
    than k organisations are suppressed either way.
    """
    if organisation is None:
        require_analyst(user)
    elif not can_view(user, organisation):
        raise NotVisibleError(f"No organisation with code {organisation.code!r}.")
    pop = population(k=min_group())
    _digest, _rows, state = digest_of(pop)
    day, window = today or dt.date.today(), months or _window()
    found = clusters(state.contracts, today=day, window_months=window)
    own = organisation.pk if organisation is not None else None
    rows = []
    for c in found:
        if own is not None and own not in c.members:
            continue
        row = cluster_row(c)
        if own is not None and pop.orgs.get(own) is not None and pop.orgs[own].share_name:
            others = [pop.orgs.get(int(str(m))) for m in c.members if m != own]
            named = sorted(o.code for o in others if o is not None and o.share_name)
            row["named_members"] = named
        rows.append(row)
    return disclose(rows, k=pop.k, keep=("basis", "key", "label"))


def peer_benchmark(*, user: User | AnonymousUser, organisation: Organisation) -> dict[str, Any]:
    """The organisation's figures against its peers (same kind and size band): percentiles."""
    if not can_view(user, organisation):
        raise NotVisibleError(f"No organisation with code {organisation.code!r}.")
    pop = population(k=min_group())
    if organisation.pk not in pop.orgs:
        raise SuppressedError("your organisation opted out of benchmarks")
    key = pop.peer_key(organisation.pk)
    if key not in pop.admission.admitted:
        raise SuppressedError("peer group refused: " + pop.admission.refused.get(key, "too small"))
    peers = pop.admission.members(key)
    require_population(len(peers), k=pop.k)
    digest, rows, _state = digest_of(pop)
    metrics = org_metrics(digest)
    mine = rows[organisation.pk]
    others = [rows[p] for p in peers if p in rows]
    own = {name: float(v[mine]) for name, v in metrics.items()}
    table = compare(own, {name: v[others].tolist() for name, v in metrics.items()})
    for row in table:
        row["label"] = str(METRIC_LABELS.get(row["metric"], row["metric"]))
    o = pop.orgs[organisation.pk]
    return {
        "peer_group": {"kind": o.kind, "size_band": o.band, "orgs": len(peers)},
        "rows": disclose(table, k=pop.k, keep=("metric", "label")),
    }
