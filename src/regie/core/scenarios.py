"""Scenarios (domain.md §3.7): a named list of changes applied as an overlay on a snapshot.

The snapshot is never mutated: changes produce new column tables (sharing every array
they do not touch) and a new snapshot; both are analysed and every figure is compared.
A failure (or cut-off) is a probe: it is propagated before and after the other changes,
so "add a redundant provider" followed by "fail that group" shows what the change buys.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from regie.core.analysis import Analysis, AnalysisOptions, analyse
from regie.core.columns import NODE_SERVICE, NODE_USAGE, CatalogueColumns, OrgColumns, i8, i32
from regie.core.continuity import Failure, FailureOutcome, simulate
from regie.core.explain import jsonable
from regie.core.facts import DEPENDENCY_KINDS, LOCATION_ROLES
from regie.core.snapshot import Snapshot

__all__ = [
    "Acquisition",
    "AddRedundantProvider",
    "Change",
    "FailureProbe",
    "MoveData",
    "PriceRise",
    "ReplaceProduct",
    "ReplaceService",
    "Scenario",
    "ScenarioResult",
    "apply_changes",
    "run_scenario",
]


@dataclass(frozen=True)
class ReplaceService:
    """Every dependency on ``old`` (of ``org``, or of everyone and the supply chain) now
    goes to ``new``."""

    old: Hashable
    new: Hashable
    org: Hashable | None = None


@dataclass(frozen=True)
class ReplaceProduct:
    old: Hashable
    new: Hashable
    org: Hashable | None = None


@dataclass(frozen=True)
class MoveData:
    """The service's data (rest and processing by default) moves to ``country``."""

    service: Hashable
    country: str
    roles: tuple[str, ...] = ("rest", "processing")


@dataclass(frozen=True)
class AddRedundantProvider:
    """``usage`` runs on ``service`` beside ``alongside``: both form a k-of-2 group."""

    org: Hashable
    usage: Hashable
    alongside: Hashable
    service: Hashable
    k: int = 1


@dataclass(frozen=True)
class Acquisition:
    """``entity`` is acquired by ``new_parent`` (an existing entity, or a new one with the
    given country and name)."""

    entity: Hashable
    new_parent: Hashable
    country: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class PriceRise:
    percent: float
    groups: frozenset[Hashable] | None = None  # entity keys; None: every group


@dataclass(frozen=True)
class FailureProbe:
    failure: Failure


Change = (
    ReplaceService
    | ReplaceProduct
    | MoveData
    | AddRedundantProvider
    | Acquisition
    | (PriceRise | FailureProbe)
)


@dataclass(frozen=True)
class Scenario:
    name: str
    changes: tuple[Change, ...]


def _replace_row(ptr: Any, values: Any, row: int, new: Sequence[int]) -> tuple[Any, Any]:
    """CSR (ptr, values) with row ``row`` replaced by ``new``."""
    lo, hi = int(ptr[row]), int(ptr[row + 1])
    vals = np.concatenate([values[:lo], np.asarray(new, dtype=values.dtype), values[hi:]])
    counts = np.diff(ptr).copy()
    counts[row] = len(new)
    out = np.zeros_like(ptr)
    np.cumsum(counts, out=out[1:])
    return out, vals


def _catalogue_change(cat: CatalogueColumns, change: Change) -> CatalogueColumns:
    sidx = {k: i for i, k in enumerate(cat.service_keys)}
    if isinstance(change, MoveData):
        codes = list(cat.country_codes)
        if change.country not in codes:
            raise ValueError(f"MoveData: country {change.country!r} is not in the catalogue")
        c = codes.index(change.country)
        s = sidx[change.service]
        ptrs = list(cat.location_ptr)
        vals = list(cat.location_country)
        for role in change.roles:
            r = LOCATION_ROLES.index(role)
            ptrs[r], vals[r] = _replace_row(ptrs[r], vals[r], s, [c])
        return replace(
            cat, location_ptr=(ptrs[0], ptrs[1], ptrs[2]), location_country=(vals[0], vals[1], vals[2])
        )
    if isinstance(change, Acquisition):
        eidx = {k: i for i, k in enumerate(cat.entity_keys)}
        changes: dict[str, Any] = {}
        keys, names = list(cat.entity_keys), list(cat.entity_names)
        hq, reg = cat.entity_hq, cat.entity_reg
        parent, state = cat.entity_parent.copy(), cat.entity_parent_state.copy()
        if change.new_parent not in eidx:
            codes = list(cat.country_codes)
            c = codes.index(change.country) if change.country in codes else -1
            eidx[change.new_parent] = len(keys)
            keys.append(change.new_parent)
            names.append(change.name or str(change.new_parent))
            hq, reg = np.append(hq, c).astype(np.int32), np.append(reg, c).astype(np.int32)
            parent = np.append(parent, -1).astype(np.int32)
            state = np.append(state, 1).astype(np.int8)
        e = eidx[change.entity]
        parent[e] = eidx[change.new_parent]
        state[e] = 0
        changes.update(
            entity_keys=keys,
            entity_names=names,
            entity_hq=hq,
            entity_reg=reg,
            entity_parent=parent,
            entity_parent_state=state,
        )
        return replace(cat, **changes)
    if isinstance(change, ReplaceService) and change.org is None:
        dst = cat.supply_dst.copy()
        dst[dst == sidx[change.old]] = sidx[change.new]
        return replace(cat, supply_dst=dst)
    return cat


def _org_change(snap: Snapshot, cols: OrgColumns, change: Change) -> OrgColumns:
    cat = snap.catalogue
    in_org = (
        np.ones(len(cols.dep_org), dtype=bool)
        if getattr(change, "org", None) is None
        else cols.dep_org == snap.org_index[change.org]  # type: ignore[union-attr]
    )
    if isinstance(change, ReplaceService):
        old, new = cat.service_index[change.old], cat.service_index[change.new]
        dst = cols.dep_dst.copy()
        dst[in_org & (cols.dep_dst_kind == NODE_SERVICE) & (dst == old)] = new
        return replace(cols, dep_dst=dst)
    if isinstance(change, ReplaceProduct):
        old, new = cat.product_index[change.old], cat.product_index[change.new]
        prod = cols.usage_product.copy()
        hit = prod == old
        if change.org is not None:
            hit &= cols.usage_org == snap.org_index[change.org]
        prod[hit] = new
        return replace(cols, usage_product=prod)
    if isinstance(change, AddRedundantProvider):
        u = snap.usage_index[change.usage]
        s_old, s_new = cat.service_index[change.alongside], cat.service_index[change.service]
        row = np.nonzero(
            (cols.dep_src_kind == NODE_USAGE)
            & (cols.dep_src == u)
            & (cols.dep_dst_kind == NODE_SERVICE)
            & (cols.dep_dst == s_old)
        )[0]
        if len(row) == 0:
            raise ValueError(f"AddRedundantProvider: {change.usage!r} does not run on {change.alongside!r}")
        gid = len(cols.rgroup_keys)
        group = cols.dep_group.copy()
        group[row] = gid
        o = snap.org_index[change.org]
        runs_on = DEPENDENCY_KINDS.index("runs_on")
        return replace(
            cols,
            rgroup_keys=[*cols.rgroup_keys, ("scenario", change.usage, change.service)],
            rgroup_org=i32(np.append(cols.rgroup_org, o)),
            rgroup_k=i32(np.append(cols.rgroup_k, change.k)),
            dep_org=i32(np.append(cols.dep_org, o)),
            dep_src_kind=i8(np.append(cols.dep_src_kind, NODE_USAGE)),
            dep_src=i32(np.append(cols.dep_src, u)),
            dep_dst_kind=i8(np.append(cols.dep_dst_kind, NODE_SERVICE)),
            dep_dst=i32(np.append(cols.dep_dst, s_new)),
            dep_kind=i8(np.append(cols.dep_kind, runs_on)),
            dep_group=i32(np.append(group, gid)),
            dep_open_standard=i8(np.append(cols.dep_open_standard, -1)),
        )
    return cols


def apply_changes(snap: Snapshot, changes: Sequence[Change]) -> Snapshot:
    """A new snapshot with the structural changes applied (the input is left untouched)."""
    cat_cols = snap.catalogue.cols
    cur = snap
    for change in changes:
        new_cat = _catalogue_change(cat_cols, change)
        org_cols = _org_change(cur, cur.orgs, change)
        if new_cat is not cat_cols or org_cols is not cur.orgs:
            cat_cols = new_cat
            catalogue = cur.catalogue if new_cat is cur.catalogue.cols else new_cat
            cur = Snapshot.from_arrays(catalogue, org_cols)
    return cur


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    scenario: Scenario
    before: Analysis
    after: Analysis
    outcomes: tuple[tuple[FailureOutcome, FailureOutcome], ...]  # (before, after) per probe

    def figures(self) -> tuple[dict[str, float], dict[str, float]]:
        b, a = self.before.figures(), self.after.figures()
        for i, (ob, oa) in enumerate(self.outcomes):
            for name in ("critical_failed", "availability_weighted", "impact"):
                b[f"failure{i}.{name}"] = float(getattr(ob, name))
                a[f"failure{i}.{name}"] = float(getattr(oa, name))
            b[f"failure{i}.processes"] = float(len(ob.failed))
            a[f"failure{i}.processes"] = float(len(oa.failed))
            b[f"failure{i}.possibly"] = float(len(ob.possibly_failed))
            a[f"failure{i}.possibly"] = float(len(oa.possibly_failed))
        return b, a

    def diff(self) -> dict[str, tuple[float, float, float]]:
        """Every figure that changed: name -> (before, after, after - before); a figure
        missing on one side counts as 0 there."""
        b, a = self.figures()
        out = {}
        for k in sorted(set(b) | set(a)):
            x, y = b.get(k, 0.0), a.get(k, 0.0)
            if x != y and not (np.isnan(x) and np.isnan(y)):
                out[k] = (x, y, y - x)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.name,
            "changes": [
                {"kind": type(c).__name__, **{k: jsonable(v) for k, v in c.__dict__.items()}}
                for c in self.scenario.changes
            ],
            "diff": {k: list(v) for k, v in self.diff().items()},
            "outcomes": [[b.to_dict(), a.to_dict()] for b, a in self.outcomes],
        }


def run_scenario(
    snap: Snapshot,
    scenario: Scenario,
    orgs: Sequence[Hashable] | None = None,
    options: AnalysisOptions | None = None,
    before: Analysis | None = None,
) -> ScenarioResult:
    """Analyse ``orgs`` before and after the scenario and keep both."""
    opt = options or AnalysisOptions(detail=False)
    after_opt = opt
    for c in scenario.changes:
        if isinstance(c, PriceRise):
            after_opt = replace(after_opt, rise_percent=c.percent, rise_groups=c.groups)
    new = apply_changes(snap, scenario.changes)
    base = before or analyse(snap, orgs, opt)
    after = analyse(new, orgs, after_opt)
    outcomes = tuple(
        (simulate(base.graph, c.failure), simulate(after.graph, c.failure))
        for c in scenario.changes
        if isinstance(c, FailureProbe)
    )
    return ScenarioResult(scenario, base, after, outcomes)
