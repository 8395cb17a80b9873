"""Joint procurement ("als collectief van gemeenten een vuist maken"): contracts for the same
provider group or the same reference component that end within one window, clustered.

Pure: plain rows in, clusters out. ``contract_rows`` reads them from an engine snapshot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from regie.core.snapshot import Snapshot


@dataclass(frozen=True)
class ContractRow:
    org: Hashable
    group: str  # key of the counterparty's provider group ("" unknown)
    group_name: str
    refcomps: tuple[str, ...]
    end: dt.date | None
    value: float | None  # annual value in EUR, None unknown


@dataclass(frozen=True)
class Cluster:
    basis: str  # "group" or "refcomp"
    key: str
    label: str
    members: frozenset[Hashable]
    contracts: int
    annual_value: float
    unknown_values: int
    first_end: dt.date
    last_end: dt.date

    @property
    def orgs(self) -> int:
        return len(self.members)


def add_months(day: dt.date, months: int) -> dt.date:
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def clusters(rows: Iterable[ContractRow], *, today: dt.date, window_months: int = 24) -> list[Cluster]:
    """Clusters of contracts ending in [today, today + window], per provider group and per
    reference component; largest (organisations, then value) first. Contracts with an unknown
    end date or counterparty are left out."""
    until = add_months(today, window_months)
    buckets: dict[tuple[str, str], list[ContractRow]] = {}
    labels: dict[tuple[str, str], str] = {}
    for row in rows:
        if row.end is None or not (today <= row.end <= until):
            continue
        if row.group:
            buckets.setdefault(("group", row.group), []).append(row)
            labels[("group", row.group)] = row.group_name
        for rc in set(row.refcomps):
            buckets.setdefault(("refcomp", rc), []).append(row)
            labels[("refcomp", rc)] = rc
    out = []
    for (basis, key), members in buckets.items():
        ends = [r.end for r in members if r.end is not None]
        out.append(
            Cluster(
                basis=basis,
                key=key,
                label=labels[(basis, key)],
                members=frozenset(r.org for r in members),
                contracts=len(members),
                annual_value=float(sum(r.value for r in members if r.value is not None)),
                unknown_values=sum(r.value is None for r in members),
                first_end=min(ends),
                last_end=max(ends),
            )
        )
    out.sort(key=lambda c: (-c.orgs, -c.annual_value, c.basis, c.label))
    return out


def contract_rows(
    snap: Snapshot, *, today: dt.date | None = None, window_months: int | None = None
) -> list[ContractRow]:
    """The contracts of the snapshot as rows (organisation key, provider group, components);
    with ``today`` and ``window_months`` only those ending within the window."""
    o = snap.orgs
    cat = snap.catalogue
    cols = cat.cols
    keys = [cols.entity_keys[e] for e in cat.group_entity.tolist()]
    names = [cols.entity_names[e] for e in cat.group_entity.tolist()]
    org_rc = list(o.refcomp_names)
    cat_rc = list(cols.refcomp_names)
    p_ptr = cols.product_refcomp_ptr
    chosen = np.arange(len(o.contract_keys))
    if today is not None and window_months is not None:
        end = o.contract_end
        until = add_months(today, window_months).toordinal()
        chosen = np.flatnonzero((end >= today.toordinal()) & (end <= until))
    out = []
    for c in chosen.tolist():
        e = int(o.contract_counterparty[c])
        g = int(cat.entity_group[e]) if e >= 0 else -1
        rcs: set[str] = set()
        for u in o.contract_usage[o.contract_usage_ptr[c] : o.contract_usage_ptr[c + 1]].tolist():
            own = int(o.usage_refcomp[u])
            if own >= 0:
                rcs.add(org_rc[own])
                continue
            p = int(o.usage_product[u])
            if p >= 0:
                rcs.update(cat_rc[i] for i in cols.product_refcomp[p_ptr[p] : p_ptr[p + 1]].tolist())
        end_day: int = int(o.contract_end[c])
        value = float(o.contract_value[c])
        out.append(
            ContractRow(
                org=o.org_keys[int(o.contract_org[c])],
                group=str(keys[g]) if g >= 0 else "",
                group_name=names[g] if g >= 0 else "",
                refcomps=tuple(sorted(rcs)),
                end=dt.date.fromordinal(end_day) if end_day > 0 else None,
                value=None if np.isnan(value) else value,
            )
        )
    return out


def cluster_row(c: Cluster) -> dict[str, Any]:
    return {
        "basis": c.basis,
        "key": c.key,
        "label": c.label,
        "orgs": c.orgs,
        "contracts": c.contracts,
        "annual_value": round(c.annual_value, 2),
        "unknown_values": c.unknown_values,
        "first_end": c.first_end.isoformat(),
        "last_end": c.last_end.isoformat(),
    }
