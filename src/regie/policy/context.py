"""The CEL context of every evaluation subject, as columns built from a snapshot and an Analysis.

One :class:`SubjectTable` per subject kind holds a column per field of
:mod:`regie.policy.variables` (numpy arrays, one row per subject). Text that only messages
need (names of exposed countries, single points of failure) is computed lazily for the rows
where a rule fires. Everything is computed for a whole scope at once, so the same code
evaluates one organisation after an edit and the national register in a benchmark.

Field semantics (documented per field in ``variables.py``):

* process exposure states are those of the engine (domain.md §3.2) against the organisation's
  trusted set; ``exposed_countries`` lists the non-trusted countries over all dimensions;
* ``provider_groups`` counts ultimate-parent groups in the process closure (§3.3), for
  critical processes (0 for others, which no rule about single groups looks at);
* ``spofs`` and ``recovery`` follow §3.4 and are computed for critical processes (0 / "ok"
  for others, which no default rule looks at);
* contract clauses are tri-state; ``renewal_decision`` comes from the register (``extra``)
  and is "unknown" where the caller has none (synthetic landscapes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from regie.core.analysis import Analysis
from regie.core.columns import take
from regie.core.concentration import _refcomp_rows, hhi_band
from regie.core.continuity import spof_matrix
from regie.core.exposure import STATES
from regie.core.facts import CLAUSES, PERSONAL_DATA, SUBSTITUTABILITY
from regie.core.graph import ranges
from regie.core.masks import closure_masks

__all__ = ["Context", "SubjectTable", "build_context"]

Lazy = Callable[[Any], list[Any]]
_TRI = np.array(["unknown", "no", "yes"], dtype=object)  # index tri + 1


def _vocab(values: Sequence[str], codes: Any) -> Any:
    arr = np.array([*values, "unknown"], dtype=object)
    codes = np.asarray(codes)
    return arr[np.where(codes < 0, len(values), codes)]


@dataclass
class SubjectTable:
    """Rows of one subject kind: keys, organisation (snapshot index) and field columns."""

    kind: str
    keys: Sequence[Hashable]
    org: Any  # snapshot org index per row
    critical: Any  # bool per row (scope "critical")
    cols: dict[str, Any] = field(default_factory=dict)
    lazy: dict[str, Lazy] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.keys)

    def column(self, name: str) -> Any:
        if name not in self.cols:
            self.cols[name] = np.array(self.lazy[name](np.arange(self.n)), dtype=object)
        return self.cols[name]

    def values(self, name: str, rows: Any) -> list[Any]:
        if name in self.cols:
            return [_py(v) for v in np.asarray(self.cols[name])[rows].tolist()]
        return self.lazy[name](rows)


def _py(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


@dataclass
class Context:
    tables: dict[str, SubjectTable]
    org_index: dict[int, int]  # snapshot org index -> row in the organisation table
    as_of: dt.date


def _org_top_reliance(a: Analysis, words: Any, crit_local: Any) -> tuple[Any, Any]:
    """Per organisation of the scope: (top group id, its share of the critical processes).

    ``words`` are the row-major provider-group words of the critical processes.
    """
    g = a.graph
    snap = g.snap
    n_g = snap.catalogue.n_groups
    n_o = len(g.orgs)
    top = np.full(n_o, -1, dtype=np.int64)
    share = np.zeros(n_o)
    if len(crit_local) == 0 or n_g == 0:
        return top, share
    org_local = np.searchsorted(g.orgs, snap.orgs.process_org[g.process[crit_local]])
    starts = np.flatnonzero(np.r_[True, org_local[1:] != org_local[:-1]])
    bits = np.unpackbits(words.view(np.uint8), axis=1, bitorder="little")[:, :n_g]
    counts = np.add.reduceat(bits, starts, axis=0, dtype=np.int32)  # (orgs with critical processes, G)
    n_crit = np.diff(np.r_[starts, len(crit_local)])
    best = counts.argmax(axis=1)
    best_n = counts[np.arange(len(starts)), best]
    which = org_local[starts]
    top[which] = np.where(best_n > 0, best, -1)
    share[which] = best_n / n_crit
    return top, share


def _hhi_by(key: Any, grp: Any, weight: Any, n_keys: int, n_g: int) -> tuple[Any, Any, Any, Any]:
    """Per key: (HHI, top group, top share, count) of weights over groups (-1 group allowed)."""
    hh = np.zeros(n_keys)
    top = np.full(n_keys, -1, dtype=np.int64)
    tshare = np.zeros(n_keys)
    if len(key) == 0:
        return hh, top, tshare, np.zeros(n_keys)
    code = key.astype(np.int64) * (n_g + 1) + (grp + 1)
    uniq, inv = np.unique(code, return_inverse=True)
    sums = np.bincount(inv, weights=weight)
    ukey = uniq // (n_g + 1)
    total = np.bincount(ukey, weights=sums, minlength=n_keys)
    sh = sums / np.where(total[ukey] > 0, total[ukey], 1)
    hh += np.bincount(ukey, weights=(100 * sh) ** 2, minlength=n_keys)
    order = np.lexsort((-sums, ukey))
    first = order[np.r_[True, ukey[order][1:] != ukey[order][:-1]]]
    top[ukey[first]] = uniq[first] % (n_g + 1) - 1
    tshare[ukey[first]] = sh[first]
    return hh, top, tshare, np.bincount(key, minlength=n_keys)


def build_context(
    a: Analysis, *, as_of: dt.date | None = None, extra: Mapping[str, Mapping[Hashable, Any]] | None = None
) -> Context:
    """Columns of every subject in the analysis's scope. ``extra`` adds register facts the
    snapshot does not hold, by kind: ``{"renewal_decision": {contract key: value}}``."""
    b = _Builder(a, as_of or dt.date.today(), extra or {})
    tables = {
        "process": b.processes(),
        "usage": b.usages(),
        "contract": b.contracts(),
        "organisation": b.organisations(),
        "refcomp": b.refcomps(),
    }
    return Context(tables=tables, org_index={int(x): i for i, x in enumerate(b.orgs.tolist())}, as_of=b.today)


class _Builder:
    """Shared arrays of one scope; each method builds one subject table (in this order)."""

    def __init__(self, a: Analysis, today: dt.date, extra: Mapping[str, Mapping[Hashable, Any]]) -> None:
        self.a, self.today, self.extra = a, today, extra
        self.g = a.graph
        self.snap = self.g.snap
        self.o = self.snap.orgs
        self.cat = self.snap.catalogue
        self.ccols = self.cat.cols
        self.orgs = self.g.orgs
        self.p = self.g.process
        self.u = self.g.usage
        self.crit = np.asarray(self.o.process_critical[self.p], dtype=bool)
        self.crit_local = np.flatnonzero(self.crit).astype(np.int32)
        self.porg = self.o.process_org[self.p]
        # provider-group bits of the critical processes only: (n_crit, Wg)
        self.words = closure_masks(self.g, self.crit_local).group_words(self.crit_local)
        self.pu = self.g.process_usages
        self.exit_u = np.asarray(a.lockin.exit_plan, dtype=bool)
        self.contracts_idx = ranges(self.snap.org_contract_ptr, self.orgs)

    def group_names(self, ids: Any) -> Any:
        names = np.array([*self.ccols.entity_names, ""], dtype=object)
        ent = take(self.cat.group_entity, np.asarray(ids, dtype=np.int64))
        return names[np.where(ent < 0, len(self.ccols.entity_names), ent)]

    def processes(self) -> SubjectTable:
        o, p, a = self.o, self.p, self.a
        mtd = o.process_mtd[p]
        pt = SubjectTable("process", [o.process_keys[i] for i in p.tolist()], self.porg, self.crit)
        pc = pt.cols
        pc["key"] = np.array([str(k) for k in pt.keys], dtype=object)
        pc["critical"] = self.crit
        pc["availability"] = o.process_availability[p].astype(np.int64)
        pc["integrity"] = o.process_integrity[p].astype(np.int64)
        pc["confidentiality"] = o.process_confidentiality[p].astype(np.int64)
        pc["personal_data"] = _vocab(PERSONAL_DATA, o.process_personal[p])
        pc["mtd_known"] = ~np.isnan(mtd)
        pc["mtd_hours"] = np.nan_to_num(mtd, nan=0.0)
        for d, dim in enumerate(("control", "location", "access")):
            pc[f"exposure_{dim}"] = np.array(STATES, dtype=object)[a.exposure.state[:, d]]
        names_p = o.process_names
        pt.lazy["name"] = lambda rows: [names_p[int(p[r])] for r in np.asarray(rows).tolist()]
        pt.lazy["exposed_countries"] = self._exposed_countries
        self._groups(pc)
        pu = self.pu
        pc["exit_plan"] = (
            (pu.astype(np.int32) @ self.exit_u.astype(np.int32)) > 0
            if pu.shape[1]
            else np.zeros(len(p), bool)
        )
        self._continuity(pt, mtd)
        unknown_dims = a.exposure.state == 1
        unk_rec = pc["recovery"] == "unknown"
        pc["unknown_facts"] = unknown_dims.sum(axis=1).astype(np.int64) + unk_rec
        what_nl = ("zeggenschap", "locatie", "toegang", "hersteltijd")

        def unknown_what(rows: Any) -> list[str]:
            out = []
            for r in np.asarray(rows).tolist():
                flags = [*unknown_dims[r].tolist(), bool(unk_rec[r])]
                out.append(", ".join(w for w, f in zip(what_nl, flags, strict=True) if f) or "-")
            return out

        pt.lazy["unknown_what"] = unknown_what
        return pt

    def _exposed_countries(self, rows: Any) -> list[str]:
        rows = np.asarray(rows, dtype=np.int64)
        trusted = self.snap.org_trusted
        found: list[set[str]] = [set() for _ in range(len(rows))]
        for d in range(3):
            sub = self.a.exposure.countries[d][rows].tocoo()
            for i, c in zip(sub.row.tolist(), sub.col.tolist(), strict=True):
                if not trusted[self.porg[rows[i]], c]:
                    found[i].add(self.ccols.country_codes[c])
        return [", ".join(sorted(f)) or "-" for f in found]

    def _groups(self, pc: dict[str, Any]) -> None:
        """Provider groups in the closure, for critical processes (0 for the others)."""
        words = self.words
        n_groups_p = np.zeros(len(self.p), np.int64)
        if words.size:
            n_groups_p[self.crit_local] = np.bitwise_count(words).sum(axis=1, dtype=np.int64)
        first_group = np.full(len(self.p), -1, dtype=np.int64)
        one = np.flatnonzero(n_groups_p[self.crit_local] == 1)
        if len(one):
            w = words[one]
            j = np.argmax(w != 0, axis=1)
            v = w[np.arange(len(one)), j]
            first_group[self.crit_local[one]] = j * 64 + np.log2(v.astype(np.float64)).astype(np.int64)
        pc["provider_groups"] = n_groups_p
        pc["group_name"] = np.where(n_groups_p == 1, self.group_names(first_group), "")

    def _continuity(self, pt: SubjectTable, mtd: Any) -> None:
        """Single points of failure and recovery, for critical processes."""
        g, o, ccols, crit_local = self.g, self.o, self.ccols, self.crit_local
        n = len(self.p)
        spofs = np.zeros(n, dtype=np.int64)
        recovery = np.array(["ok"] * n, dtype=object)
        rec_hours = np.zeros(n)
        sm_rows: Any = None
        used: Any = np.zeros(0, dtype=np.int32)
        if len(crit_local):
            m, used, _ = spof_matrix(g, rows=crit_local)
            sm_rows = m.tocsr()
            spofs[crit_local] = np.diff(sm_rows.indptr)
            ms = sm_rows[:, : len(used)].tocsr()
            rec = ccols.service_recovery[used[ms.indices]] if len(used) else np.zeros(0)
            row_of = np.repeat(np.arange(len(crit_local)), np.diff(ms.indptr))
            known = ~np.isnan(rec)
            mx = np.zeros(len(crit_local))
            np.maximum.at(mx, row_of[known], rec[known])
            unk = np.bincount(row_of[~known], minlength=len(crit_local)) > 0
            cm = mtd[crit_local]
            rto = o.process_rto[self.p][crit_local]
            gap = (~np.isnan(cm)) & ((mx > np.nan_to_num(cm, nan=np.inf)) | (np.nan_to_num(rto, nan=-1) > cm))
            recovery[crit_local] = np.where(gap, "gap", np.where(np.isnan(cm) | unk, "unknown", "ok"))
            rec_hours[crit_local] = np.maximum(mx, np.nan_to_num(rto, nan=0.0))
        pt.cols["spofs"] = spofs
        pt.cols["recovery"] = recovery
        pt.cols["recovery_hours"] = rec_hours
        crit_pos = {int(r): i for i, r in enumerate(crit_local.tolist())}
        n_used = len(used)

        def spof_names(rows: Any) -> list[str]:
            out = []
            for r in np.asarray(rows).tolist():
                i = crit_pos.get(r)
                if i is None or sm_rows is None:
                    out.append("-")
                    continue
                names = []
                for col in sm_rows.indices[sm_rows.indptr[i] : sm_rows.indptr[i + 1]].tolist()[:8]:
                    if col < n_used:
                        names.append(ccols.service_names[int(used[col])])
                    else:
                        names.append(o.usage_names[int(g.usage[col - n_used])])
                out.append(", ".join(names))
            return out

        pt.lazy["spof_names"] = spof_names

    def usages(self) -> SubjectTable:
        o, u, lk, ccols = self.o, self.u, self.a.lockin, self.ccols
        crit_u = np.zeros(len(u), dtype=bool)
        if len(self.crit_local) and self.pu.shape[1]:
            crit_u = np.asarray(self.pu[self.crit_local].sum(axis=0)).ravel() > 0
        ut = SubjectTable("usage", [o.usage_keys[i] for i in u.tolist()], o.usage_org[u], crit_u)
        uc = ut.cols
        uc["key"] = np.array([str(k) for k in ut.keys], dtype=object)
        uc["critical"] = crit_u
        uc["substitutability"] = _vocab(SUBSTITUTABILITY, lk.final)
        uc["overridden"] = np.asarray(o.usage_override[u] >= 0)
        uc["open_export"] = _TRI[np.asarray(lk.open_export, dtype=np.int64) + 1]
        uc["exit_plan"] = self.exit_u
        uc["alternatives"] = np.asarray(lk.alternatives, dtype=np.int64)
        unames = o.usage_names
        pnames = np.array([*ccols.product_names, ""], dtype=object)
        prod = o.usage_product[u]
        uc["product"] = pnames[np.where(prod < 0, len(ccols.product_names), prod)]
        ut.lazy["name"] = lambda rows: [unames[int(u[r])] for r in np.asarray(rows).tolist()]
        return ut

    def contracts(self) -> SubjectTable:
        o, c, ccols = self.o, self.contracts_idx, self.ccols
        ct = SubjectTable(
            "contract", [o.contract_keys[i] for i in c.tolist()], o.contract_org[c], np.ones(len(c), bool)
        )
        cc = ct.cols
        cc["key"] = np.array([str(k) for k in ct.keys], dtype=object)
        val = o.contract_value[c]
        cc["value_known"] = ~np.isnan(val)
        cc["value"] = np.nan_to_num(val, nan=0.0)
        end = o.contract_end[c]
        cc["end_known"] = end >= 0
        cc["months_to_end"] = np.where(end >= 0, np.round((end - self.today.toordinal()) / 30.44, 1), 0.0)
        clauses = o.contract_clauses[c] if len(c) else np.zeros((0, len(CLAUSES)), dtype=np.int8)
        for j, name in enumerate(CLAUSES):
            if name in ("exit_assistance", "data_return_open_format", "price_cap", "unilateral_change"):
                cc[name] = _TRI[clauses[:, j].astype(np.int64) + 1]
        decisions = self.extra.get("renewal_decision", {})
        cc["renewal_decision"] = np.array([decisions.get(k, "unknown") for k in ct.keys], dtype=object)
        enames = np.array([*ccols.entity_names, "?"], dtype=object)
        cp = o.contract_counterparty[c]
        cc["counterparty"] = enames[np.where(cp < 0, len(ccols.entity_names), cp)]
        contract_names = self.extra.get("contract_name", {})
        ct.lazy["name"] = lambda rows: [
            contract_names.get(ct.keys[r], str(ct.keys[r])) for r in np.asarray(rows).tolist()
        ]
        return ct

    def organisations(self) -> SubjectTable:
        o, orgs = self.o, self.orgs
        ot = SubjectTable(
            "organisation", [o.org_keys[i] for i in orgs.tolist()], orgs, np.ones(len(orgs), bool)
        )
        oc = ot.cols
        oc["key"] = np.array([str(k) for k in ot.keys], dtype=object)
        oc["code"] = np.array([o.org_codes[i] for i in orgs.tolist()], dtype=object)
        oc["name"] = np.array([o.org_names[i] for i in orgs.tolist()], dtype=object)
        oc["kind"] = np.array([o.org_kinds[i] for i in orgs.tolist()], dtype=object)
        per_org = np.searchsorted(orgs, self.porg[self.crit])
        oc["critical_processes"] = np.bincount(per_org, minlength=len(orgs)).astype(np.int64)
        top, share = _org_top_reliance(self.a, self.words, self.crit_local)
        oc["top_group"] = self.group_names(top)
        oc["top_reliance"] = share
        c = self.contracts_idx
        val = o.contract_value[c]
        c_org = np.searchsorted(orgs, o.contract_org[c])
        known = ~np.isnan(val)
        grp = take(self.cat.entity_group, o.contract_counterparty[c]).astype(np.int64)
        oc["spend_hhi"] = _hhi_by(c_org[known], grp[known], val[known], len(orgs), self.cat.n_groups)[0]
        return ot

    def refcomps(self) -> SubjectTable:
        o, u, orgs = self.o, self.u, self.orgs
        names, cats, upos = _refcomp_rows(self.g)
        u_org = np.searchsorted(orgs, o.usage_org[u][upos])
        n_cat = max(len(names), 1)
        ugrp = take(self.cat.product_group, o.usage_product[u][upos]).astype(np.int64)
        key = u_org.astype(np.int64) * n_cat + cats
        hh, rtop, rshare, rcount = _hhi_by(key, ugrp, np.ones(len(key)), len(orgs) * n_cat, self.cat.n_groups)
        present = np.flatnonzero(rcount > 0)
        rt = SubjectTable(
            "refcomp",
            [names[int(k % n_cat)] for k in present.tolist()],
            orgs[present // n_cat],
            np.ones(len(present), bool),
        )
        rc = rt.cols
        rc["key"] = np.array(rt.keys, dtype=object)
        rc["name"] = rc["key"]
        rc["hhi"] = np.round(hh[present], 0)
        rc["band"] = np.array([hhi_band(float(v)) for v in rc["hhi"].tolist()], dtype=object)
        rc["usages"] = rcount[present].astype(np.int64)
        rc["top_group"] = self.group_names(rtop[present])
        rc["top_share"] = np.round(rshare[present], 2)
        return rt
