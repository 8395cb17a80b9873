"""One organisation's columns cut out of a snapshot, renumbered as if loaded alone.

``org_columns(snap, org)`` returns the :class:`OrgColumns` of organisation ``org`` with its
processes, usages, redundancy groups, dependencies, contracts, exit plans and facts, their
indexes renumbered from 0; references into the catalogue (services, products, entities) and
the vocabularies (reference components, statuses) are kept. It is what the register adapter
reads for one organisation (``regie.analysis.orgload``), taken from arrays instead of the
database: ``Snapshot.from_arrays(snap.catalogue, org_columns(snap, org))`` analyses exactly
like the organisation inside ``snap`` (tests/core/test_org_snapshot.py). Array slices only, no
Python loop over rows; the re-analysis benchmark edits these columns (ADR 0016).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import numpy as np

from regie.core.columns import NODE_PROCESS, NODE_USAGE, FactKey, IntArray, OrgColumns, i32
from regie.core.facts import Fact
from regie.core.snapshot import Snapshot

__all__ = ["org_columns"]

T = TypeVar("T")


def _rows(values: Sequence[T], lo: int, hi: int) -> list[T]:
    return list(values[lo:hi])


def _renumber(kind: Any, idx: IntArray, p0: int, u0: int) -> IntArray:
    """Process and usage references made local (services keep their catalogue index)."""
    out = np.array(idx, dtype=np.int32, copy=True)
    out[kind == NODE_PROCESS] -= p0
    out[kind == NODE_USAGE] -= u0
    return out


def _facts(facts: Any, spans: dict[str, tuple[int, int]]) -> dict[FactKey, Fact]:
    """The facts of the organisation's rows (the organisation side keeps facts of processes,
    usages and contracts), renumbered."""
    out: dict[FactKey, Fact] = {}
    for (table, row, attr), fact in facts.items():
        lo, hi = spans.get(table, (0, 0))
        if lo <= row < hi:
            out[(table, row - lo, attr)] = fact
    return out


def org_columns(snap: Snapshot, org: int) -> OrgColumns:
    """Organisation ``org`` (snapshot index) of ``snap`` as its own columns (see the module)."""
    o = snap.orgs
    p0, p1 = int(snap.org_process_ptr[org]), int(snap.org_process_ptr[org + 1])
    u0, u1 = int(snap.org_usage_ptr[org]), int(snap.org_usage_ptr[org + 1])
    d0, d1 = int(snap.org_dep_ptr[org]), int(snap.org_dep_ptr[org + 1])
    c0, c1 = int(snap.org_contract_ptr[org]), int(snap.org_contract_ptr[org + 1])
    groups = np.flatnonzero(np.asarray(o.rgroup_org) == org)
    group_at = np.full(len(o.rgroup_keys), -1, dtype=np.int32)
    group_at[groups] = np.arange(len(groups))
    dep_group = np.array(o.dep_group[d0:d1], dtype=np.int32, copy=True)
    dep_group[dep_group >= 0] = group_at[dep_group[dep_group >= 0]]
    up = o.contract_usage_ptr
    sp_ = o.contract_service_ptr
    exit_u = o.exit_usage[(o.exit_usage >= u0) & (o.exit_usage < u1)]
    exit_s = o.exit_service_org == org
    n_p, n_u = p1 - p0, u1 - u0
    return OrgColumns(
        org_keys=[o.org_keys[org]],
        org_codes=[o.org_codes[org]],
        org_names=[o.org_names[org]],
        org_kinds=[o.org_kinds[org]],
        org_trusted=[o.org_trusted[org]],
        process_keys=_rows(o.process_keys, p0, p1),
        process_names=_rows(o.process_names, p0, p1),
        process_org=np.zeros(n_p, dtype=np.int32),
        process_availability=o.process_availability[p0:p1].copy(),
        process_integrity=o.process_integrity[p0:p1].copy(),
        process_confidentiality=o.process_confidentiality[p0:p1].copy(),
        process_critical=o.process_critical[p0:p1].copy(),
        process_mtd=o.process_mtd[p0:p1].copy(),
        process_rto=o.process_rto[p0:p1].copy(),
        process_personal=o.process_personal[p0:p1].copy(),
        usage_keys=_rows(o.usage_keys, u0, u1),
        usage_names=_rows(o.usage_names, u0, u1),
        usage_org=np.zeros(n_u, dtype=np.int32),
        usage_product=o.usage_product[u0:u1].copy(),
        usage_refcomp=o.usage_refcomp[u0:u1].copy(),
        refcomp_names=list(o.refcomp_names),
        usage_status=o.usage_status[u0:u1].copy(),
        status_names=list(o.status_names),
        usage_override=o.usage_override[u0:u1].copy(),
        usage_justification=_rows(o.usage_justification, u0, u1),
        usage_open_export=o.usage_open_export[u0:u1].copy(),
        usage_volume_gb=o.usage_volume_gb[u0:u1].copy(),
        rgroup_keys=[o.rgroup_keys[g] for g in groups.tolist()],
        rgroup_org=np.zeros(len(groups), dtype=np.int32),
        rgroup_k=i32(o.rgroup_k[groups]),
        dep_org=np.zeros(d1 - d0, dtype=np.int32),
        dep_src_kind=o.dep_src_kind[d0:d1].copy(),
        dep_src=_renumber(o.dep_src_kind[d0:d1], o.dep_src[d0:d1], p0, u0),
        dep_dst_kind=o.dep_dst_kind[d0:d1].copy(),
        dep_dst=_renumber(o.dep_dst_kind[d0:d1], o.dep_dst[d0:d1], p0, u0),
        dep_kind=o.dep_kind[d0:d1].copy(),
        dep_group=dep_group,
        dep_open_standard=o.dep_open_standard[d0:d1].copy(),
        contract_keys=_rows(o.contract_keys, c0, c1),
        contract_org=np.zeros(c1 - c0, dtype=np.int32),
        contract_counterparty=o.contract_counterparty[c0:c1].copy(),
        contract_value=o.contract_value[c0:c1].copy(),
        contract_start=o.contract_start[c0:c1].copy(),
        contract_end=o.contract_end[c0:c1].copy(),
        contract_notice=o.contract_notice[c0:c1].copy(),
        contract_clauses=o.contract_clauses[c0:c1].copy(),
        contract_usage_ptr=i32(up[c0 : c1 + 1] - up[c0]),
        contract_usage=i32(o.contract_usage[up[c0] : up[c1]] - u0),
        contract_service_ptr=i32(sp_[c0 : c1 + 1] - sp_[c0]),
        contract_service=i32(o.contract_service[sp_[c0] : sp_[c1]]),
        exit_usage=i32(exit_u - u0),
        exit_service_org=np.zeros(int(exit_s.sum()), dtype=np.int32),
        exit_service=i32(o.exit_service[exit_s]),
        facts=_facts(o.facts, {"process": (p0, p1), "usage": (u0, u1), "contract": (c0, c1)}),
    )
