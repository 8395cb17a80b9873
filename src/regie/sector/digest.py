"""Per-organisation sector digest: the engine's results over a whole snapshot, reduced to the
small per-organisation arrays every sector aggregate sums over.

Computing the digest runs the engine once over all organisations (closures, jurisdiction
masks, substitutability); an aggregate over any group is then a sum over its rows, so the
sector pages answer in milliseconds. Pure: numpy and regie.core only.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np

from regie.core.columns import i32, take
from regie.core.concentration import _refcomp_rows  # the engine's own reference-component rows
from regie.core.facts import SUBSTITUTABILITY
from regie.core.graph import ScopeGraph
from regie.core.lockin import lockin_arrays
from regie.core.masks import closure_masks, unpack
from regie.core.snapshot import Snapshot

HARD_CLASSES = ("highly_complex", "not_substitutable")


@dataclass(frozen=True, eq=False)
class Digest:
    """Rows are the snapshot's organisations (index = snapshot organisation index)."""

    org_keys: tuple[Hashable, ...]
    org_kinds: tuple[str, ...]
    critical: Any  # (O,) critical processes
    relies: Any  # (O, G) int32: critical processes relying on each provider group
    group_keys: tuple[Hashable, ...]
    group_names: tuple[str, ...]
    control: Any  # (O, C) int32: critical processes with non-trusted control exposure to country C
    non_trusted_control: Any  # (O,) critical processes with any non-trusted control exposure
    country_codes: tuple[str, ...]
    subst: Any  # (O, S) usages per final substitutability class
    # (org, refcomp, group, usages) rows for usage shares per reference component
    refcomp_rows: Any  # (N, 4) int64
    refcomp_names: tuple[str, ...]
    # (org, group, class, usages) rows: usages supplied by a group (product or supply chain)
    group_subst_rows: Any  # (N, 4) int64

    @property
    def n_orgs(self) -> int:
        return len(self.org_keys)


def _per_org(org_of_row: Any, values: Any, n_orgs: int) -> Any:
    """Sum the rows of a 2-D boolean array into one row per organisation."""
    r, c = np.nonzero(values)
    n_cols = values.shape[1]
    flat = np.bincount(np.asarray(org_of_row)[r].astype(np.int64) * n_cols + c, minlength=n_orgs * n_cols)
    return flat.reshape(n_orgs, n_cols).astype(np.int32)


def _count_rows(cols: list[Any]) -> Any:
    """Unique rows of integer columns with their multiplicity as a last column."""
    if not len(cols[0]):
        return np.zeros((0, len(cols) + 1), dtype=np.int64)
    arrs = [np.asarray(c, dtype=np.int64) + 1 for c in cols]  # -1 (unknown) becomes 0
    bases = [int(a.max()) + 1 for a in arrs]
    key = np.zeros(len(arrs[0]), dtype=np.int64)
    for a, b in zip(arrs, bases, strict=True):
        key = key * b + a
    key.sort()
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    uniq = key[starts]
    counts = np.diff(np.r_[starts, len(key)])
    out = np.zeros((len(uniq), len(arrs) + 1), dtype=np.int64)
    rest = uniq
    for j in range(len(arrs) - 1, -1, -1):
        out[:, j] = rest % bases[j] - 1
        rest = rest // bases[j]
    out[:, -1] = counts
    return out


def build_digest(snap: Snapshot) -> Digest:
    """The digest of every organisation of the snapshot."""
    idx = snap.orgs_of(None)
    graph = ScopeGraph.build(snap, idx)
    o = snap.orgs
    cat = snap.catalogue
    n_o, n_c, n_g = len(o.org_keys), cat.n_countries, cat.n_groups
    p_org = o.process_org[graph.process]
    crit = i32(np.nonzero(o.process_critical[graph.process])[0])
    c_org = p_org[crit]
    masks = closure_masks(graph, crit)
    critical = np.bincount(c_org, minlength=n_o).astype(np.int32)
    relies = _per_org(c_org, unpack(masks.group_words(crit), n_g), n_o)
    control_bits = masks.country_bits[crit, :n_c] & ~snap.org_trusted[c_org]
    control = _per_org(c_org, control_bits, n_o)
    non_trusted = np.bincount(c_org, weights=control_bits.any(axis=1), minlength=n_o).astype(np.int32)
    lock = lockin_arrays(graph)
    u_org = o.usage_org[graph.usage]
    final = np.asarray(lock.final, dtype=np.int64)
    known = final >= 0
    n_s = len(SUBSTITUTABILITY)
    subst = np.bincount(u_org[known] * n_s + final[known], minlength=n_o * n_s)
    subst = subst.reshape(n_o, n_s).astype(np.int32)
    names, rc_cat, rc_u = _refcomp_rows(graph)
    rc_group = take(cat.product_group, o.usage_product[graph.usage][rc_u])
    refcomp_rows = _count_rows([u_org[rc_u], rc_cat, rc_group])
    # the groups supplying each usage: its product's supplier and its services' providers
    us = graph.usage_services.tocoo()
    pairs_u = np.concatenate([np.arange(len(graph.usage)), us.row])
    pairs_g = np.concatenate(
        [take(cat.product_group, o.usage_product[graph.usage]), cat.service_group[us.col]]
    )
    ok = pairs_g >= 0
    n_g1 = n_g + 1
    pair = np.sort(pairs_u[ok].astype(np.int64) * n_g1 + pairs_g[ok])
    pair = pair[np.r_[True, pair[1:] != pair[:-1]]]
    pu, pg = pair // n_g1, pair % n_g1
    fk = final[pu] >= 0
    group_subst_rows = _count_rows([u_org[pu[fk]], pg[fk], final[pu[fk]]])
    return Digest(
        org_keys=tuple(o.org_keys),
        org_kinds=tuple(o.org_kinds),
        critical=critical,
        relies=relies,
        group_keys=tuple(cat.cols.entity_keys[e] for e in cat.group_entity.tolist()),
        group_names=tuple(cat.cols.entity_names[e] for e in cat.group_entity.tolist()),
        control=control,
        non_trusted_control=non_trusted,
        country_codes=tuple(cat.cols.country_codes),
        subst=subst,
        refcomp_rows=refcomp_rows,
        refcomp_names=tuple(names),
        group_subst_rows=group_subst_rows,
    )


def _remap_rows(rows: Any, org_to: Any, col_maps: dict[int, Any]) -> Any:
    out = np.array(rows, dtype=np.int64, copy=True)
    if not len(out):
        return out
    out[:, 0] = org_to[out[:, 0]]
    for col, mapping in col_maps.items():
        out[:, col] = mapping[out[:, col]]
    return out


def replace_orgs(digest: Digest, part: Digest) -> Digest:
    """The digest with the rows of ``part``'s organisations replaced by ``part``'s.

    ``part`` is the digest of a snapshot of some of the same organisations on the same
    catalogue (same provider groups and countries): after one organisation's register
    changes, only its rows are recomputed. ValueError if ``part`` does not fit.
    """
    if part.group_keys != digest.group_keys or part.country_codes != digest.country_codes:
        raise ValueError("the part was computed on another catalogue")
    row_of = {k: i for i, k in enumerate(digest.org_keys)}
    if any(k not in row_of for k in part.org_keys):
        raise ValueError("the part holds an organisation the digest does not")
    target = np.array([row_of[k] for k in part.org_keys], dtype=np.int64)
    names = list(digest.refcomp_names)
    known = {n: i for i, n in enumerate(names)}
    for n in part.refcomp_names:
        if n not in known:
            known[n] = len(names)
            names.append(n)
    rc_map = np.array([known[n] for n in part.refcomp_names] or [0], dtype=np.int64)
    drop = np.zeros(digest.n_orgs, dtype=bool)
    drop[target] = True

    def rows(old: Any, new: Any, col_maps: dict[int, Any]) -> Any:
        kept = old[~drop[old[:, 0]]] if len(old) else old
        return np.concatenate([kept, _remap_rows(new, target, col_maps)]).astype(np.int64)

    def put(old: Any, new: Any) -> Any:
        out = np.array(old, copy=True)
        out[target] = new
        return out

    kinds = list(digest.org_kinds)
    for t, kind in zip(target.tolist(), part.org_kinds, strict=True):
        kinds[t] = kind
    return Digest(
        org_keys=digest.org_keys,
        org_kinds=tuple(kinds),
        critical=put(digest.critical, part.critical),
        relies=put(digest.relies, part.relies),
        group_keys=digest.group_keys,
        group_names=digest.group_names,
        control=put(digest.control, part.control),
        non_trusted_control=put(digest.non_trusted_control, part.non_trusted_control),
        country_codes=digest.country_codes,
        subst=put(digest.subst, part.subst),
        refcomp_rows=rows(digest.refcomp_rows, part.refcomp_rows, {1: rc_map}),
        refcomp_names=tuple(names),
        group_subst_rows=rows(digest.group_subst_rows, part.group_subst_rows, {}),
    )
