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
import weakref
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from regie.core.analysis import Analysis
from regie.core.columns import take
from regie.core.concentration import HHI_HIGH, HHI_MODERATE
from regie.core.exposure import STATES
from regie.core.facts import CLAUSES, PERSONAL_DATA, SUBSTITUTABILITY
from regie.core.graph import ranges
from regie.core.snapshot import Snapshot

from .coded import Coded
from .engine import group_words, refcomp_rows, spof_rows
from .fingerprints import column_words
from .grouping import hhi_by

__all__ = ["Context", "SubjectTable", "build_context", "org_rows"]

Lazy = Callable[[Any], list[Any]]
Held = tuple[Any, Any]  # (words, which are computed) of a vocabulary
_WHOLE = 4096  # words of a column this short are computed for every row at once
_UNPACKED = 1 << 22  # cells of unpacked group bits at a time (top reliance)
# Fingerprint words of long-lived vocabularies (the fixed ones below, catalogue names),
# kept across evaluations: id -> (weak reference, words, which are computed)
_SHARED_WORDS: dict[int, tuple[Any, Any, Any]] = {}


def _shared(vocab: Any) -> Any:
    """Mark a vocabulary (an object array that lives on) so its words are kept."""
    key = id(vocab)
    _SHARED_WORDS[key] = (
        weakref.ref(vocab),
        np.zeros((len(vocab), 2), np.uint64),
        np.zeros(len(vocab), bool),
    )
    weakref.finalize(vocab, _SHARED_WORDS.pop, key, None)
    return vocab


def _vocab_words(vocab: Any) -> Held | None:
    held = _SHARED_WORDS.get(id(vocab))
    return (held[1], held[2]) if held is not None and held[0]() is vocab else None


_TRI = _shared(np.array(["unknown", "no", "yes"], dtype=object))  # index tri + 1
_STATES = _shared(np.array(STATES, dtype=object))
_RECOVERY = _shared(np.array(["ok", "gap", "unknown"], dtype=object))
_BANDS = _shared(np.array(["unconcentrated", "moderate", "high"], dtype=object))
_PERSONAL = _shared(np.array([*PERSONAL_DATA, "unknown"], dtype=object))
_SUBSTITUTABILITY = _shared(np.array([*SUBSTITUTABILITY, "unknown"], dtype=object))
_UNKNOWN_NL = ("zeggenschap", "locatie", "toegang", "hersteltijd")
# the text of each set of unknown verdicts (bit k: _UNKNOWN_NL[k])
_UNKNOWN_WHAT = _shared(
    np.array(
        [", ".join(w for k, w in enumerate(_UNKNOWN_NL) if m >> k & 1) or "-" for m in range(16)], object
    )
)


def _vocab(vocab: Any, codes: Any) -> tuple[Any, Any]:
    """(codes, vocabulary) of ``vocab[codes]``, its last entry ("unknown") where a code is
    negative."""
    codes = np.asarray(codes)
    return np.where(codes < 0, len(vocab) - 1, codes), vocab


def _objects(values: Sequence[Any]) -> Any:
    """A 1-d object array of ``values`` (tuples stay scalars)."""
    return np.fromiter(values, dtype=object, count=len(values))


_SNAP_ARRAYS: weakref.WeakKeyDictionary[Snapshot, dict[str, Any]] = weakref.WeakKeyDictionary()


def _snap_array(snap: Snapshot, name: str) -> Any:
    """``snap.orgs.<name>`` (keys, names) as an object array, once per snapshot."""
    memo = _SNAP_ARRAYS.setdefault(snap, {})
    if name not in memo:
        memo[name] = _objects(getattr(snap.orgs, name))
    return memo[name]


def _cat_names(snap: Snapshot, name: str, missing: str) -> Any:
    """Catalogue names with ``missing`` appended (index -1 -> missing), once per catalogue."""
    cat = snap.catalogue
    key = f"policy.{name}.{missing}"
    if key not in cat.memo:
        cat.memo[key] = _shared(_objects([*getattr(cat.cols, name), missing]))
    return cat.memo[key]


def _named(names: Any, ids: Any) -> tuple[Any, Any]:
    """(codes, names) of ``names[ids]``, the last name (the missing one) where an id is -1."""
    ids = np.asarray(ids, dtype=np.int64)
    return np.where(ids < 0, len(names) - 1, ids), names


def _str_keys(keys: Any) -> Lazy:
    return lambda rows: [str(k) for k in keys[np.asarray(rows, dtype=np.int64)].tolist()]


@dataclass
class SubjectTable:
    """Rows of one subject kind: keys, organisation (snapshot index) and field columns.

    ``lazy`` fields (names and other text) are computed for the rows asked for; a condition
    that reads one gets the whole column, computed once. ``coded`` columns are also held
    as codes into a vocabulary (``vocab[codes]``), and ``lazy_coded`` ones are computed so
    for the whole table when first read: their fingerprint words are the vocabulary's,
    computed once. Words of other text columns are kept per row once computed."""

    kind: str
    keys: Any  # object array (or sequence) of subject keys
    org: Any  # snapshot org index per row
    critical: Any  # bool per row (scope "critical")
    cols: dict[str, Any] = field(default_factory=dict)
    lazy: dict[str, Lazy] = field(default_factory=dict)
    coded: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    lazy_coded: dict[str, Callable[[], tuple[Any, Any]]] = field(default_factory=dict)
    _words: dict[str, Any] = field(default_factory=dict, repr=False)
    _texts: dict[str, tuple[Any, Any]] = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        return len(self.keys)

    @property
    def fields(self) -> list[str]:
        """Every field the table holds or computes on demand."""
        return list(dict.fromkeys([*self.cols, *self.coded, *self.lazy_coded, *self.lazy]))

    def code(self, name: str, codes: Any, vocab: Any) -> None:
        """Set column ``name`` to ``vocab[codes]``, keeping the codes."""
        self.coded[name] = (np.asarray(codes, dtype=np.intp), np.asarray(vocab, dtype=object))
        self.cols.pop(name, None)  # the values are built when a condition reads them

    def text(self, name: str, source: Any, index: Any) -> None:
        """Lazy field ``name`` whose row ``i`` is ``source[index[i]]``, text by type
        (``Sequence[str]`` columns of the snapshot): its words come from the text directly."""
        self._texts[name] = (source, index)
        self.lazy[name] = lambda rows: source[index[np.asarray(rows, dtype=np.intp)]].tolist()

    def _coded(self, name: str) -> tuple[Any, Any] | None:
        if name not in self.coded and name in self.lazy_coded:
            self.code(name, *self.lazy_coded[name]())
        return self.coded.get(name)

    def column(self, name: str) -> Any:
        if name not in self.cols:
            coded = self._coded(name)
            if coded is not None:
                self.cols[name] = coded[1][coded[0]]
            else:
                self.cols[name] = _objects(self.lazy[name](np.arange(self.n)))
        return self.cols[name]

    def condition_column(self, name: str) -> Any:
        """The column a condition reads: a coded column as :class:`Coded` (compared per
        vocabulary entry), any other as :meth:`column`."""
        coded = self._coded(name)
        return Coded(*coded) if coded is not None else self.column(name)

    def evidence(self, name: str, rows: Any) -> Any:
        """The values of ``name`` for ``rows``: a numpy array unless the field is lazy text."""
        coded = self._coded(name)
        if coded is not None:
            return coded[1][coded[0][rows]]
        if name in self.cols:
            return np.asarray(self.cols[name])[rows]
        return self.lazy[name](rows)

    def values(self, name: str, rows: Any) -> list[Any]:
        if name in self.cols or self._coded(name) is not None:
            return [_py(v) for v in self.evidence(name, rows).tolist()]
        return self.lazy[name](rows)

    def words(self, name: str, rows: Any) -> Any:
        """Fingerprint lane words of ``name`` for ``rows``, (len(rows), 2)."""
        rows = np.asarray(rows, dtype=np.intp)
        coded = self._coded(name)
        if coded is not None:  # the words of the vocabulary entries used, each once
            codes, vocab = coded
            return self._cached(name, len(vocab), codes[rows], lambda idx: vocab[idx], _vocab_words(vocab))
        col = self.cols.get(name)
        if isinstance(col, np.ndarray) and col.dtype != object:
            return column_words(col[rows], len(rows))
        # text: each row's words computed once (several rules read the same names)
        if name in self._texts:
            source, index = self._texts[name]
            return self._cached(name, self.n, rows, lambda idx: source[index[idx]].astype(str))
        return self._cached(name, self.n, rows, lambda idx: self.evidence(name, idx))

    def _cached(
        self,
        name: str,
        size: int,
        idx: Any,
        values: Callable[[Any], Any],
        held: tuple[Any, Any] | None = None,
    ) -> Any:
        """Words of positions ``idx`` (of ``size``), computing those not yet known once
        (``held``: the words of a shared vocabulary, kept across evaluations)."""
        if held is None and name not in self._words:
            self._words[name] = (np.zeros((size, 2), dtype=np.uint64), np.zeros(size, dtype=bool))
        words, done = held or self._words[name]
        if size <= _WHOLE:  # a small table (one organisation): every row at once
            todo = np.flatnonzero(~done)
        else:
            need = np.zeros(size, dtype=bool)
            need[idx] = True
            todo = np.flatnonzero(need & ~done)  # ascending, once each (np.unique hashes: slower)
        if len(todo):
            words[todo] = column_words(values(todo), len(todo))
            done[todo] = True
        return words[idx]


def org_rows(orgs: Any) -> Any:
    """Lookup table: snapshot organisation index -> position in the ascending ``orgs``."""
    orgs = np.asarray(orgs, dtype=np.intp)
    lut = np.zeros(int(orgs[-1]) + 1 if len(orgs) else 0, dtype=np.intp)
    lut[orgs] = np.arange(len(orgs))
    return lut


def _py(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


@dataclass
class Context:
    tables: dict[str, SubjectTable]
    org_index: dict[int, int]  # snapshot org index -> row in the organisation table
    as_of: dt.date


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
        self._local: Any = None
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
        self.porg_local = self.local(self.porg)
        # provider-group bits of the critical processes only: (n_crit, Wg)
        self.words = group_words(a, self.crit_local)
        self.pu = self.g.process_usages.tocsr()
        self.exit_u = np.asarray(a.lockin.exit_plan, dtype=bool)
        self.contracts_idx = ranges(self.snap.org_contract_ptr, self.orgs)

    def local(self, org: Any) -> Any:
        """Row in the organisation table of each snapshot organisation index in ``org``
        (all in the scope): one gather instead of a binary search per row."""
        if self._local is None:
            self._local = org_rows(self.orgs)
        return self._local[np.asarray(org, dtype=np.intp)]

    def group_names(self, ids: Any) -> tuple[Any, Any]:
        ent = take(self.cat.group_entity, np.asarray(ids, dtype=np.int64))
        return _named(_cat_names(self.snap, "entity_names", ""), ent)

    def processes(self) -> SubjectTable:
        o, p, a = self.o, self.p, self.a
        mtd = o.process_mtd[p]
        keys = _snap_array(self.snap, "process_keys")[p]
        pt = SubjectTable("process", keys, self.porg, self.crit)
        pc = pt.cols
        pt.lazy["key"] = _str_keys(keys)
        pc["critical"] = self.crit
        pc["availability"] = o.process_availability[p].astype(np.int64)
        pc["integrity"] = o.process_integrity[p].astype(np.int64)
        pc["confidentiality"] = o.process_confidentiality[p].astype(np.int64)
        pt.code("personal_data", *_vocab(_PERSONAL, o.process_personal[p]))
        pc["mtd_known"] = ~np.isnan(mtd)
        pc["mtd_hours"] = np.nan_to_num(mtd, nan=0.0)
        for d, dim in enumerate(("control", "location", "access")):
            pt.code(f"exposure_{dim}", a.exposure.state[:, d], _STATES)
        pt.text("name", _snap_array(self.snap, "process_names"), p)
        pt.lazy_coded["exposed_countries"] = self._exposed_countries
        self._groups(pt)
        pu = self.pu
        # a stored non-zero entry (process, usage) whose usage has an exit plan, per row (no
        # cast of the matrix: that sorts its indices first)
        planned = (pu.data != 0) & self.exit_u[pu.indices] if pu.shape[1] else np.zeros(0, bool)
        row_of = np.repeat(np.arange(len(p)), np.diff(pu.indptr))
        pc["exit_plan"] = np.bincount(row_of[planned], minlength=len(p)) > 0
        self._continuity(pt, mtd)
        unknown_dims = a.exposure.state == 1
        unk_rec = pt.coded["recovery"][0] == 2  # "unknown"
        pc["unknown_facts"] = unknown_dims.sum(axis=1).astype(np.int64) + unk_rec
        bits = unknown_dims.astype(np.intp) @ np.array([1, 2, 4], dtype=np.intp) + 8 * unk_rec
        pt.code("unknown_what", bits, _UNKNOWN_WHAT)
        return pt

    def _exposed_countries(self) -> tuple[Any, Any]:
        """Non-trusted countries over all dimensions, per process, as (codes, texts): one
        text per distinct set of countries. With at most 64 countries a set is one word:
        the rows of each dimension's matrix OR-ed (``reduceat``) and the organisation's
        trusted countries masked out after (no loop, no step per pair)."""
        n = len(self.p)
        trusted = self.snap.org_trusted
        codes = np.array(self.ccols.country_codes, dtype=object)
        mats = [sp.csr_array(self.a.exposure.countries[d]) for d in range(3)]
        if len(codes) <= 64:  # one bit per country, in code order: a text per distinct set
            order = np.argsort(codes.astype(str), kind="stable")
            bit = np.empty(len(codes), dtype=np.uint64)
            bit[order] = np.arange(len(codes), dtype=np.uint64)
            flag = np.left_shift(np.uint64(1), bit)
            sets = np.zeros(n, dtype=np.uint64)
            for m in mats:
                filled = np.flatnonzero(np.diff(m.indptr))
                if len(filled):
                    row_or = np.bitwise_or.reduceat(flag[m.indices], m.indptr[filled])
                    sets[filled] |= row_or
            trusted_bits = np.bitwise_or.reduce(np.where(trusted, flag, np.uint64(0)), axis=1)
            sets &= ~trusted_bits[self.porg]
            distinct, inv = np.unique(sets, return_inverse=True)
            ranked = codes[order].tolist()
            texts = [
                ", ".join(c for b, c in enumerate(ranked) if m >> b & 1) or "-" for m in distinct.tolist()
            ]
            return inv.reshape(-1), np.asarray(texts, dtype=object)
        pos_l, cty_l = [], []
        for m in mats:
            sub = m.tocoo()
            pos_l.append(sub.row)
            cty_l.append(sub.col)
        pos, cty = np.concatenate(pos_l).astype(np.int64), np.concatenate(cty_l).astype(np.int64)
        keep = ~trusted[self.porg[pos], cty]
        pos, cty = pos[keep], cty[keep]
        pairs = np.unique(pos * (len(codes) + 1) + cty)
        pos, cty = pairs // (len(codes) + 1), pairs % (len(codes) + 1)
        found: list[list[str]] = [[] for _ in range(n)]
        for i, c in zip(pos.tolist(), codes[cty].tolist(), strict=True):
            found[i].append(c)
        return np.arange(n), _objects([", ".join(sorted(f)) or "-" for f in found])

    def _groups(self, pt: SubjectTable) -> None:
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
        pt.cols["provider_groups"] = n_groups_p
        pt.code("group_name", *self.group_names(np.where(n_groups_p == 1, first_group, -1)))

    def _continuity(self, pt: SubjectTable, mtd: Any) -> None:
        """Single points of failure and recovery, for critical processes."""
        g, o, ccols, crit_local = self.g, self.o, self.ccols, self.crit_local
        n = len(self.p)
        spofs = np.zeros(n, dtype=np.int64)
        recovery = np.zeros(n, dtype=np.intp)  # codes into _RECOVERY
        rec_hours = np.zeros(n)
        sm_rows: Any = None
        used: Any = np.zeros(0, dtype=np.int32)
        if len(crit_local):
            sm_rows, used = spof_rows(self.a, crit_local)
            counts = np.diff(sm_rows.indptr)
            spofs[crit_local] = counts
            row_of = np.repeat(np.arange(len(crit_local)), counts)
            is_s = sm_rows.indices < len(used)
            rec = ccols.service_recovery[used[sm_rows.indices[is_s]]] if len(used) else np.zeros(0)
            row_of = row_of[is_s]
            known = ~np.isnan(rec)
            mx = np.zeros(len(crit_local))
            np.maximum.at(mx, row_of[known], rec[known])
            unk = np.bincount(row_of[~known], minlength=len(crit_local)) > 0
            cm = mtd[crit_local]
            rto = o.process_rto[self.p][crit_local]
            gap = (~np.isnan(cm)) & ((mx > np.nan_to_num(cm, nan=np.inf)) | (np.nan_to_num(rto, nan=-1) > cm))
            recovery[crit_local] = np.where(gap, 1, np.where(np.isnan(cm) | unk, 2, 0))
            rec_hours[crit_local] = np.maximum(mx, np.nan_to_num(rto, nan=0.0))
        pt.cols["spofs"] = spofs
        pt.code("recovery", recovery, _RECOVERY)
        pt.cols["recovery_hours"] = rec_hours
        crit_pos = np.full(n, -1, dtype=np.int64)
        crit_pos[crit_local] = np.arange(len(crit_local))
        n_used = len(used)

        snap = self.snap

        def spof_names(rows: Any) -> list[str]:
            """The first eight single points of failure of each row, by name ("-" for a
            process that is not critical): the names gathered at once, joined per row."""
            i = crit_pos[np.asarray(rows, dtype=np.int64)]
            out = ["-"] * len(i)
            crit_rows = np.flatnonzero(i >= 0)
            if sm_rows is None or len(crit_rows) == 0:
                return out
            start = sm_rows.indptr[i[crit_rows]]
            count = np.minimum(sm_rows.indptr[i[crit_rows] + 1] - start, 8)
            ends = np.cumsum(count)
            flat = np.repeat(start - (ends - count), count) + np.arange(int(ends[-1]))
            col = sm_rows.indices[flat].astype(np.int64)
            names = np.empty(len(col), dtype=object)
            is_s = col < n_used
            names[is_s] = _cat_names(snap, "service_names", "")[used[col[is_s]]]
            names[~is_s] = _snap_array(snap, "usage_names")[g.usage[col[~is_s] - n_used]]
            listed = names.tolist()
            for r, e, c in zip(crit_rows.tolist(), ends.tolist(), count.tolist(), strict=True):
                out[r] = ", ".join(listed[e - c : e])
            return out

        pt.lazy["spof_names"] = spof_names

    def usages(self) -> SubjectTable:
        o, u, lk = self.o, self.u, self.a.lockin
        pu = self.pu
        crit_u = np.zeros(len(u), dtype=bool)
        if len(self.crit_local) and pu.shape[1]:
            in_crit = np.repeat(self.crit, np.diff(pu.indptr))
            crit_u[pu.indices[in_crit]] = True
        keys = _snap_array(self.snap, "usage_keys")[u]
        ut = SubjectTable("usage", keys, o.usage_org[u], crit_u)
        uc = ut.cols
        ut.lazy["key"] = _str_keys(keys)
        uc["critical"] = crit_u
        ut.code("substitutability", *_vocab(_SUBSTITUTABILITY, lk.final))
        uc["overridden"] = np.asarray(o.usage_override[u] >= 0)
        ut.code("open_export", np.asarray(lk.open_export, dtype=np.int64) + 1, _TRI)
        uc["exit_plan"] = self.exit_u
        uc["alternatives"] = np.asarray(lk.alternatives, dtype=np.int64)
        ut.code("product", *_named(_cat_names(self.snap, "product_names", ""), o.usage_product[u]))
        ut.text("name", _snap_array(self.snap, "usage_names"), u)
        return ut

    def contracts(self) -> SubjectTable:
        o, c = self.o, self.contracts_idx
        keys = _snap_array(self.snap, "contract_keys")[c]
        ct = SubjectTable("contract", keys, o.contract_org[c], np.ones(len(c), bool))
        cc = ct.cols
        ct.lazy["key"] = _str_keys(keys)
        val = o.contract_value[c]
        cc["value_known"] = ~np.isnan(val)
        cc["value"] = np.nan_to_num(val, nan=0.0)
        end = o.contract_end[c]
        cc["end_known"] = end >= 0
        cc["months_to_end"] = np.where(end >= 0, np.round((end - self.today.toordinal()) / 30.44, 1), 0.0)
        clauses = o.contract_clauses[c] if len(c) else np.zeros((0, len(CLAUSES)), dtype=np.int8)
        for j, name in enumerate(CLAUSES):
            if name in ("exit_assistance", "data_return_open_format", "price_cap", "unilateral_change"):
                ct.code(name, clauses[:, j].astype(np.int64) + 1, _TRI)
        decisions = self.extra.get("renewal_decision", {})
        cc["renewal_decision"] = np.full(len(c), "unknown", dtype=object)
        if decisions:
            cc["renewal_decision"][:] = [decisions.get(k, "unknown") for k in keys.tolist()]
        counterparties = _cat_names(self.snap, "entity_names", "?")
        ct.code("counterparty", *_named(counterparties, o.contract_counterparty[c]))
        contract_names = self.extra.get("contract_name", {})
        # once per table (a refresh names its few contracts; every rule on contracts reads it)
        if contract_names:
            names = [contract_names.get(k, str(k)) for k in keys.tolist()]
        else:
            names = list(map(str, keys.tolist()))
        if not contract_names or all(type(x) is str for x in names):
            ct.text("name", _objects(names), np.arange(len(c)))
        else:
            ct.lazy["name"] = lambda rows: [names[i] for i in np.asarray(rows, dtype=np.int64).tolist()]
        return ct

    def organisations(self) -> SubjectTable:
        o, orgs = self.o, self.orgs
        keys = _snap_array(self.snap, "org_keys")[orgs]
        ot = SubjectTable("organisation", keys, orgs, np.ones(len(orgs), bool))
        oc = ot.cols
        ot.lazy["key"] = _str_keys(keys)
        for name in ("code", "name", "kind"):
            ot.code(name, orgs, _snap_array(self.snap, f"org_{name}s"))
        n_crit = np.bincount(self.porg_local[self.crit], minlength=len(orgs)).astype(np.int64)
        oc["critical_processes"] = n_crit
        top, share = self._top_reliance(n_crit)
        ot.code("top_group", *self.group_names(top))
        oc["top_reliance"] = share
        c = self.contracts_idx
        val = o.contract_value[c]
        c_org = self.local(o.contract_org[c])
        known = ~np.isnan(val)
        grp = take(self.cat.entity_group, o.contract_counterparty[c]).astype(np.int64)
        oc["spend_hhi"] = hhi_by(c_org[known], grp[known], val[known], len(orgs), self.cat.n_groups)[0]
        return ot

    def _top_reliance(self, n_crit: Any) -> tuple[Any, Any]:
        """Per organisation: (top group id, its share of the critical processes).

        Counts per (organisation, group) are sparse-times-dense products: an indicator of
        each organisation's critical processes times their unpacked group bits, a slice of
        processes at a time."""
        n_g, n_o = self.cat.n_groups, len(self.orgs)
        if len(self.crit_local) == 0 or n_g == 0:
            return np.full(n_o, -1, dtype=np.int64), np.zeros(n_o)
        org = self.porg_local[self.crit_local]
        dtype = np.uint16 if n_crit.max() < 2**16 else np.uint32
        counts = np.zeros((n_o, n_g), dtype=dtype)  # (organisations, groups)
        # in slices of processes: the unpacked bits stay small (no fresh memory per call)
        step = max(_UNPACKED // max(n_g, 1), 1)
        for lo in range(0, len(org), step):
            part = self.words[lo : lo + step]
            bits = np.unpackbits(part.view(np.uint8), axis=1, bitorder="little", count=n_g)
            ind = sp.csr_array(
                (np.ones(len(part), dtype), (org[lo : lo + step], np.arange(len(part)))),
                shape=(n_o, len(part)),
            )
            counts += ind @ bits
        best = counts.argmax(axis=1)  # ties: the lowest group index
        best_n = counts[np.arange(n_o), best].astype(np.int64)
        return np.where(best_n > 0, best, -1), best_n / np.maximum(n_crit, 1)

    def refcomps(self) -> SubjectTable:
        o, u, orgs = self.o, self.u, self.orgs
        names, cats, upos = refcomp_rows(self.g)
        u_org = self.local(o.usage_org[u][upos])
        n_cat = max(len(names), 1)
        ugrp = take(self.cat.product_group, o.usage_product[u][upos]).astype(np.int64)
        key = u_org.astype(np.int64) * n_cat + cats
        hh, rtop, rshare, rcount = hhi_by(key, ugrp, None, len(orgs) * n_cat, self.cat.n_groups)
        present = np.flatnonzero(rcount > 0)
        vocab = _objects(names)
        codes = present % n_cat if len(names) else np.zeros(0, dtype=np.intp)
        keys = vocab[codes]
        rt = SubjectTable("refcomp", keys, orgs[present // n_cat], np.ones(len(present), bool))
        rc = rt.cols
        rt.code("key", codes, vocab)
        rt.code("name", codes, vocab)
        rc["hhi"] = np.round(hh[present], 0)
        rt.code("band", np.where(rc["hhi"] < HHI_MODERATE, 0, np.where(rc["hhi"] <= HHI_HIGH, 1, 2)), _BANDS)
        rc["usages"] = rcount[present].astype(np.int64)
        rt.code("top_group", *self.group_names(rtop[present]))
        rc["top_share"] = np.round(rshare[present], 2)
        return rt
