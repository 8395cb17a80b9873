"""The immutable snapshot and the builder that compiles plain values into it.

The builder API is the contract with the register adapter (see the module docstring of
``regie.core``). Bulk callers skip the builder and pass columns to ``Snapshot.from_arrays``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np

from regie.core.catalogue import Catalogue
from regie.core.columns import (
    NODE_PROCESS,
    NODE_USAGE,
    BoolArray,
    CatalogueColumns,
    IntArray,
    OrgColumns,
    i32,
)
from regie.core.facts import Fact

__all__ = ["Catalogue", "Fact", "Snapshot", "SnapshotBuilder"]


def _sorted_by_org(cols: OrgColumns) -> OrgColumns:
    """Order processes, usages, dependencies and contracts by organisation (stable)."""
    changes: dict[str, Any] = {}
    pperm = np.argsort(cols.process_org, kind="stable")
    uperm = np.argsort(cols.usage_org, kind="stable")
    p_sorted = bool(np.all(pperm == np.arange(len(pperm))))
    u_sorted = bool(np.all(uperm == np.arange(len(uperm))))
    if not p_sorted:
        for name in (
            "process_org",
            "process_availability",
            "process_integrity",
            "process_confidentiality",
            "process_critical",
            "process_mtd",
            "process_rto",
            "process_personal",
        ):
            changes[name] = getattr(cols, name)[pperm]
        changes["process_keys"] = [cols.process_keys[i] for i in pperm]
        changes["process_names"] = [cols.process_names[i] for i in pperm]
    if not u_sorted:
        for name in (
            "usage_org",
            "usage_product",
            "usage_refcomp",
            "usage_status",
            "usage_override",
            "usage_open_export",
            "usage_volume_gb",
        ):
            changes[name] = getattr(cols, name)[uperm]
        changes["usage_keys"] = [cols.usage_keys[i] for i in uperm]
        changes["usage_names"] = [cols.usage_names[i] for i in uperm]
        changes["usage_justification"] = [cols.usage_justification[i] for i in uperm]
    pinv = np.empty_like(pperm)
    pinv[pperm] = np.arange(len(pperm))
    uinv = np.empty_like(uperm)
    uinv[uperm] = np.arange(len(uperm))

    def remap(kind: Any, idx: IntArray) -> IntArray:
        out = idx.copy()
        m = kind == NODE_PROCESS
        out[m] = pinv[idx[m]]
        m = kind == NODE_USAGE
        out[m] = uinv[idx[m]]
        return i32(out)

    dperm = np.argsort(cols.dep_org, kind="stable")
    src = remap(cols.dep_src_kind, cols.dep_src)
    dst = remap(cols.dep_dst_kind, cols.dep_dst)
    changes.update(
        dep_org=cols.dep_org[dperm],
        dep_src_kind=cols.dep_src_kind[dperm],
        dep_src=src[dperm],
        dep_dst_kind=cols.dep_dst_kind[dperm],
        dep_dst=dst[dperm],
        dep_kind=cols.dep_kind[dperm],
        dep_group=cols.dep_group[dperm],
        dep_open_standard=cols.dep_open_standard[dperm],
    )
    if not u_sorted:
        changes["contract_usage"] = i32(uinv[cols.contract_usage])
        changes["exit_usage"] = i32(uinv[cols.exit_usage])
    facts = dict(cols.facts)
    if facts and not (p_sorted and u_sorted):
        moved: dict[tuple[str, int, str], Fact] = {}
        for (table, row, attr), fact in facts.items():
            new = row
            if table == "process":
                new = int(pinv[row])
            elif table == "usage":
                new = int(uinv[row])
            moved[(table, new, attr)] = fact
        changes["facts"] = moved
    return replace(cols, **changes)


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The register compiled into integer-indexed arrays; never mutated.

    Processes, usages, dependencies and contracts are ordered by organisation, so that
    ``org_*_ptr[o]:org_*_ptr[o+1]`` is the slice of organisation ``o``.
    """

    catalogue: Catalogue
    orgs: OrgColumns
    org_process_ptr: IntArray
    org_usage_ptr: IntArray
    org_dep_ptr: IntArray
    org_contract_ptr: IntArray
    org_trusted: BoolArray  # (O, C)
    usage_active: BoolArray

    @classmethod
    def from_arrays(cls, catalogue: Catalogue | CatalogueColumns, orgs: OrgColumns) -> Snapshot:
        """The bulk path: compile column tables (see ``regie.core.columns``) into a snapshot.

        Rows are reordered by organisation where needed; the arrays given are not copied
        but made read-only, so build new arrays for a changed snapshot (as scenarios do).
        """
        cat = catalogue if isinstance(catalogue, Catalogue) else Catalogue.compile(catalogue)
        cols = _sorted_by_org(orgs)
        n_o = len(cols.org_keys)
        cperm = np.argsort(cols.contract_org, kind="stable")
        if not np.all(cperm == np.arange(len(cperm))):
            cols = _reorder_contracts(cols, cperm)
        cidx = cat.country_index
        trusted = np.zeros((n_o, cat.n_countries), dtype=bool)
        for o, codes in enumerate(cols.org_trusted):
            for code in codes:
                if code in cidx:
                    trusted[o, cidx[code]] = True
        retired = [i for i, s in enumerate(cols.status_names) if s == "retired"]
        active = ~np.isin(cols.usage_status, retired)
        _freeze(cols)
        _freeze(cat.cols)
        _freeze(cat)
        snap = cls(
            catalogue=cat,
            orgs=cols,
            org_process_ptr=_org_ptr(cols.process_org, n_o),
            org_usage_ptr=_org_ptr(cols.usage_org, n_o),
            org_dep_ptr=_org_ptr(cols.dep_org, n_o),
            org_contract_ptr=_org_ptr(cols.contract_org, n_o),
            org_trusted=trusted,
            usage_active=active,
        )
        _freeze(snap)
        return snap

    # sizes and lookups -------------------------------------------------------------------
    @property
    def n_orgs(self) -> int:
        return len(self.orgs.org_keys)

    @property
    def n_processes(self) -> int:
        return len(self.orgs.process_keys)

    @property
    def n_usages(self) -> int:
        return len(self.orgs.usage_keys)

    @cached_property
    def org_index(self) -> dict[Hashable, int]:
        return {k: i for i, k in enumerate(self.orgs.org_keys)}

    @cached_property
    def process_index(self) -> dict[Hashable, int]:
        return {k: i for i, k in enumerate(self.orgs.process_keys)}

    @cached_property
    def usage_index(self) -> dict[Hashable, int]:
        return {k: i for i, k in enumerate(self.orgs.usage_keys)}

    @cached_property
    def contract_index(self) -> dict[Hashable, int]:
        return {k: i for i, k in enumerate(self.orgs.contract_keys)}

    def orgs_of(self, keys: Sequence[Hashable] | None) -> IntArray:
        """Organisation indexes for keys (None: all organisations)."""
        if keys is None:
            return i32(np.arange(self.n_orgs))
        return i32([self.org_index[k] for k in keys])


def _freeze(obj: object) -> None:
    """Make every numpy array held by a dataclass read-only: a snapshot is never mutated."""
    for value in vars(obj).values():
        if isinstance(value, np.ndarray):
            value.setflags(write=False)
        elif isinstance(value, tuple):
            for v in value:
                if isinstance(v, np.ndarray):
                    v.setflags(write=False)


def _org_ptr(org_of_row: IntArray, n_orgs: int) -> IntArray:
    out = np.zeros(n_orgs + 1, dtype=np.int32)
    np.cumsum(np.bincount(org_of_row, minlength=n_orgs), out=out[1:])
    return out


def _reorder_contracts(cols: OrgColumns, perm: Any) -> OrgColumns:
    def regroup(p: IntArray, flat: IntArray) -> tuple[IntArray, IntArray]:
        counts = np.diff(p)[perm]
        starts = p[:-1][perm]
        newp = np.zeros(len(perm) + 1, dtype=np.int32)
        np.cumsum(counts, out=newp[1:])
        idx = np.repeat(starts - newp[:-1], counts) + np.arange(int(newp[-1]))
        return newp, i32(flat[idx])

    up, u = regroup(cols.contract_usage_ptr, cols.contract_usage)
    spp, s = regroup(cols.contract_service_ptr, cols.contract_service)
    inv = np.empty_like(perm)
    inv[perm] = np.arange(len(perm))
    facts = {
        ((t, int(inv[r]), a) if t == "contract" else (t, r, a)): f for (t, r, a), f in cols.facts.items()
    }
    return replace(
        cols,
        contract_keys=[cols.contract_keys[i] for i in perm],
        contract_org=cols.contract_org[perm],
        contract_counterparty=cols.contract_counterparty[perm],
        contract_value=cols.contract_value[perm],
        contract_start=cols.contract_start[perm],
        contract_end=cols.contract_end[perm],
        contract_notice=cols.contract_notice[perm],
        contract_clauses=cols.contract_clauses[perm],
        contract_usage_ptr=up,
        contract_usage=u,
        contract_service_ptr=spp,
        contract_service=s,
        facts=facts,
    )


from regie.core.builder import SnapshotBuilder  # noqa: E402  (the builder needs Snapshot)
