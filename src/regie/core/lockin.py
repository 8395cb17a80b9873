"""Lock-in and substitutability in the DORA vocabulary (domain.md §3.5).

Each usage (and each service an organisation uses directly) gets a migration-difficulty
score from its evidence and a class: easily substitutable, medium complexity, highly
complex, not substitutable, with the reason (no real alternatives, difficult to migrate,
both). Unknown evidence scores as risk. A user override replaces the class and carries
its justification; the computed class is kept beside it. Thresholds are in
:class:`LockinPolicy` (ADR 0014).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from regie.core.columns import FloatArray, IntArray, i32, take, unique
from regie.core.explain import Evidence, FactRef, LazyEvidence, jsonable
from regie.core.facts import CLAUSES, SUBSTITUTABILITY
from regie.core.graph import ScopeGraph, ranges

__all__ = [
    "REASONS",
    "LockinArrays",
    "LockinPolicy",
    "ServiceLockin",
    "Substitutability",
    "lockin_arrays",
    "service_lockin",
    "service_substitutability_details",
    "substitutability_details",
]

REASONS: tuple[str, ...] = ("no_real_alternatives", "difficult_to_migrate", "both")
_EXIT = CLAUSES.index("exit_assistance")
_RETURN = CLAUSES.index("data_return_open_format")


@dataclass(frozen=True)
class LockinPolicy:
    """Tunable thresholds of the substitutability score."""

    many_integrations: int = 5
    long_remaining_years: float = 2.0
    long_notice_days: int = 180
    large_volume_gb: float = 1_000.0
    huge_volume_gb: float = 10_000.0
    medium_from: int = 3  # with alternatives: score >= 3 medium complexity
    high_from: int = 5  # with alternatives: score >= 5 highly complex
    none_from: int = 3  # without alternatives: score >= 3 not substitutable


def _clause_any(n: int, rows: IntArray, vals: Any) -> Any:
    """Per row: 1 if any contract says yes, else -1 if any is unknown or none exists, else 0."""
    yes = np.bincount(rows[vals == 1], minlength=n) > 0
    unk = np.bincount(rows[vals < 0], minlength=n) > 0
    has = np.bincount(rows, minlength=n) > 0
    return np.where(yes, 1, np.where(unk | ~has, -1, 0)).astype(np.int8)


@dataclass(frozen=True, eq=False)
class LockinArrays:
    """Evidence and classes for every usage of the scope (arrays over local usages)."""

    alternatives: IntArray  # -1 product unknown
    open_export: Any  # tri-state
    proprietary_integrations: IntArray
    exit_assistance: Any
    data_return: Any
    remaining_years: FloatArray  # NaN: no contract or end unknown
    notice_days: FloatArray
    volume_gb: FloatArray
    score: IntArray
    computed: Any  # index into SUBSTITUTABILITY
    reason: Any  # index into REASONS, -1 none
    final: Any  # after override
    exit_plan: Any  # bool: the organisation has an exit plan for the usage

    def counts(self) -> dict[str, int]:
        return {c: int((self.final == i).sum()) for i, c in enumerate(SUBSTITUTABILITY)}


def classify(score: Any, no_alt: Any, policy: LockinPolicy) -> tuple[Any, Any]:
    """(class, reason) arrays from the score and whether real alternatives are lacking."""
    i8 = np.int8
    high, medium, none_ = score >= policy.high_from, score >= policy.medium_from, score >= policy.none_from
    with_alt = np.where(high, i8(2), medium.view(i8))
    cls = np.where(no_alt, np.where(none_, i8(3), i8(2)), with_alt)
    reason = np.where(no_alt, np.where(none_, i8(2), i8(0)), np.where(with_alt > 0, i8(1), i8(-1)))
    return cls.astype(np.int8), reason.astype(np.int8)


def _at_least(values: FloatArray, threshold: float, unknown: float) -> Any:
    """``values >= threshold`` with NaN counted as ``unknown``."""
    out = values >= threshold
    if unknown >= threshold:
        out |= np.isnan(values)
    return out


# risk points of a tri-state "yes" fact (open export) by value + 1: unknown 1, no 2, yes 0
_TRI_RISK = np.array([1, 2, 0], dtype=np.int8)


def _score(
    policy: LockinPolicy,
    *,
    open_export: Any,
    integrations: Any,
    exit_: Any,
    ret: Any,
    remaining: Any,
    notice: Any,
    volume: Any,
) -> Any:
    """Risk points per row, added up in 8 bits (unknown evidence scores as risk)."""
    i8 = np.int8
    s = _TRI_RISK[np.clip(np.asarray(open_export, dtype=np.int64), -1, 1) + 1]
    s += np.where(integrations >= policy.many_integrations, i8(2), (integrations > 0).view(i8))
    s += (exit_ != 1).view(i8)
    s += (ret != 1).view(i8)
    s += _at_least(remaining, policy.long_remaining_years, -1.0).view(i8)
    s += _at_least(notice, policy.long_notice_days, -1.0).view(i8)
    big = np.where(volume >= policy.huge_volume_gb, i8(2), (volume >= policy.large_volume_gb).view(i8))
    big[np.isnan(volume)] = 1
    s += big
    return i32(s)


def _contract_terms(
    graph: ScopeGraph, n: int, rows: IntArray, con: Any, today: int
) -> tuple[Any, Any, FloatArray, FloatArray]:
    """Exit assistance, data return, remaining years and notice per row from the contracts
    (``con``) covering each row (``rows``)."""
    o = graph.snap.orgs
    exit_ = _clause_any(n, rows, o.contract_clauses[con, _EXIT])
    ret = _clause_any(n, rows, o.contract_clauses[con, _RETURN])
    end = o.contract_end[con].astype(np.float64)
    rem = np.where(end < 0, np.nan, (end - today) / 365.25)
    remaining = np.full(n, np.nan)
    notice = np.full(n, np.nan)
    if len(con):
        np.fmax.at(remaining, rows, rem)
        nd = o.contract_notice[con].astype(np.float64)
        np.fmax.at(notice, rows, np.where(nd < 0, np.nan, nd))
    return exit_, ret, remaining, notice


def lockin_arrays(
    graph: ScopeGraph, *, as_of: dt.date | None = None, policy: LockinPolicy | None = None
) -> LockinArrays:
    policy = policy or LockinPolicy()
    today = (as_of or dt.date.today()).toordinal()
    snap = graph.snap
    o = snap.orgs
    cat = snap.catalogue
    n_u = len(graph.usage)
    prod = o.usage_product[graph.usage]
    alt = i32(take(cat.cols.product_alternatives, prod))
    pexp = take(cat.cols.product_open_export, prod)
    own = o.usage_open_export[graph.usage]
    open_export = np.where(own >= 0, own, pexp).astype(np.int8)
    src, dst, std = graph.integration
    prop = std != 1
    ends = np.concatenate([src[prop], dst[prop]]) - graph.n_p
    ends = ends[ends >= 0]
    integrations = i32(np.bincount(ends, minlength=n_u))
    # contracts of the scope covering each usage
    c = ranges(snap.org_contract_ptr, graph.orgs)
    p = o.contract_usage_ptr
    flat = ranges(p, c)
    con = np.repeat(c, p[c + 1] - p[c])
    usage_global = o.contract_usage[flat]
    pos = np.full(snap.n_usages, -1, dtype=np.int64)
    pos[graph.usage] = np.arange(n_u)
    upos = pos[usage_global]
    ok = upos >= 0
    con, rows = con[ok], i32(upos[ok])
    exit_, ret, remaining, notice = _contract_terms(graph, n_u, rows, con, today)
    volume = o.usage_volume_gb[graph.usage]
    score = _score(
        policy,
        open_export=open_export,
        integrations=integrations,
        exit_=exit_,
        ret=ret,
        remaining=remaining,
        notice=notice,
        volume=volume,
    )
    computed, reason = classify(score, alt <= 0, policy)
    ov = o.usage_override[graph.usage]
    return LockinArrays(
        alternatives=alt,
        open_export=open_export,
        proprietary_integrations=integrations,
        exit_assistance=exit_,
        data_return=ret,
        remaining_years=remaining,
        notice_days=notice,
        volume_gb=volume,
        score=score,
        computed=computed,
        reason=reason,
        final=np.where(ov >= 0, ov, computed).astype(np.int8),
        exit_plan=np.isin(graph.usage, o.exit_usage),
    )


@dataclass(frozen=True)
class Substitutability:
    """The DORA substitutability of one usage, with its evidence and any override."""

    kind: str
    key: Hashable
    name: str
    computed: str
    reason: str | None
    substitutability: str  # after override
    overridden: bool
    justification: str | None
    score: int
    exit_plan: bool
    lazy_evidence: LazyEvidence = field(repr=False, compare=False)
    org: Hashable | None = None  # set for services (a usage belongs to one organisation)

    @property
    def evidence(self) -> Evidence:
        return self.lazy_evidence.get()

    def to_dict(self) -> dict[str, Any]:
        d = {k: jsonable(v) for k, v in self.__dict__.items() if k != "lazy_evidence"}
        d["evidence"] = self.evidence.to_dict()
        return d


def _tri(v: int) -> bool | None:
    return None if v < 0 else bool(v)


def _opt(v: float) -> float | None:
    return None if np.isnan(v) else float(v)


def _usage_evidence(arr: LockinArrays, i: int, key: Hashable) -> Evidence:
    facts = (
        FactRef("usage", key, "alternatives", None if arr.alternatives[i] < 0 else int(arr.alternatives[i])),
        FactRef("usage", key, "open_export", _tri(int(arr.open_export[i]))),
        FactRef("usage", key, "proprietary_integrations", int(arr.proprietary_integrations[i])),
        FactRef("usage", key, "exit_assistance", _tri(int(arr.exit_assistance[i]))),
        FactRef("usage", key, "data_return_open_format", _tri(int(arr.data_return[i]))),
        FactRef("usage", key, "remaining_years", _opt(arr.remaining_years[i])),
        FactRef("usage", key, "notice_days", _opt(arr.notice_days[i])),
        FactRef("usage", key, "data_volume_gb", _opt(arr.volume_gb[i])),
    )
    return Evidence(facts=facts, note=f"score {int(arr.score[i])}")


def substitutability_details(graph: ScopeGraph, arr: LockinArrays) -> list[Substitutability]:
    o = graph.snap.orgs
    out = []
    computed = arr.computed.tolist()
    reason = arr.reason.tolist()
    final = arr.final.tolist()
    score = arr.score.tolist()
    for i, u in enumerate(graph.usage.tolist()):
        key = o.usage_keys[u]
        ov = int(o.usage_override[u])
        out.append(
            Substitutability(
                kind="usage",
                key=key,
                name=o.usage_names[u],
                computed=SUBSTITUTABILITY[computed[i]],
                reason=None if reason[i] < 0 else REASONS[reason[i]],
                substitutability=SUBSTITUTABILITY[final[i]],
                overridden=ov >= 0,
                justification=o.usage_justification[u] if ov >= 0 else None,
                score=score[i],
                exit_plan=bool(arr.exit_plan[i]),
                lazy_evidence=LazyEvidence(partial(_usage_evidence, arr, i, key)),
            )
        )
    return out


@dataclass(frozen=True, eq=False)
class ServiceLockin:
    """Substitutability of every (organisation, service it uses directly) pair of a scope."""

    org: IntArray
    service: IntArray
    arrays: LockinArrays


def service_lockin(
    graph: ScopeGraph, *, as_of: dt.date | None = None, policy: LockinPolicy | None = None
) -> ServiceLockin:
    """Per (organisation, service) pair: evidence from the service's product (alternatives,
    open export), the organisation's contracts covering the service, and exit plans. A
    service has no integrations or data volume of its own (volume counts as unknown)."""
    policy = policy or LockinPolicy()
    today = (as_of or dt.date.today()).toordinal()
    snap = graph.snap
    o = snap.orgs
    cat = snap.catalogue
    coo = graph.adj_s.tocoo()
    local = coo.row
    org_of_local = np.concatenate([o.process_org[graph.process], o.usage_org[graph.usage]]).astype(np.int64)
    n_s = cat.n_services
    keys = unique(org_of_local[local] * n_s + coo.col, bound=snap.n_orgs * n_s)
    org, svc = i32(keys // n_s), i32(keys % n_s)
    n = len(keys)
    prod = cat.cols.service_product[svc]
    alt = i32(take(cat.cols.product_alternatives, prod))
    open_export = take(cat.cols.product_open_export, prod).astype(np.int8)
    c = ranges(snap.org_contract_ptr, graph.orgs)
    p = o.contract_service_ptr
    flat = ranges(p, c)
    con = np.repeat(c, p[c + 1] - p[c])
    want = o.contract_org[con].astype(np.int64) * n_s + o.contract_service[flat]
    pos = np.searchsorted(keys, want)
    ok = (pos < n) & (keys[np.minimum(pos, max(n - 1, 0))] == want) if n else want < 0
    exit_, ret, remaining, notice = _contract_terms(graph, n, i32(pos[ok]), con[ok], today)
    volume = np.full(n, np.nan)
    integrations = i32(np.zeros(n))
    score = _score(
        policy,
        open_export=open_export,
        integrations=integrations,
        exit_=exit_,
        ret=ret,
        remaining=remaining,
        notice=notice,
        volume=volume,
    )
    computed, reason = classify(score, alt <= 0, policy)
    plans = np.isin(keys, o.exit_service_org.astype(np.int64) * n_s + o.exit_service)
    arrays = LockinArrays(
        alternatives=alt,
        open_export=open_export,
        proprietary_integrations=integrations,
        exit_assistance=exit_,
        data_return=ret,
        remaining_years=remaining,
        notice_days=notice,
        volume_gb=volume,
        score=score,
        computed=computed,
        reason=reason,
        final=computed,
        exit_plan=plans,
    )
    return ServiceLockin(org, svc, arrays)


def service_substitutability_details(graph: ScopeGraph, sl: ServiceLockin) -> list[Substitutability]:
    cols = graph.snap.catalogue.cols
    okeys = graph.snap.orgs.org_keys
    arr = sl.arrays
    out = []
    for i, (org, s) in enumerate(zip(sl.org.tolist(), sl.service.tolist(), strict=True)):
        key = cols.service_keys[s]
        out.append(
            Substitutability(
                kind="service",
                key=key,
                name=cols.service_names[s],
                computed=SUBSTITUTABILITY[int(arr.computed[i])],
                reason=None if arr.reason[i] < 0 else REASONS[int(arr.reason[i])],
                substitutability=SUBSTITUTABILITY[int(arr.final[i])],
                overridden=False,
                justification=None,
                score=int(arr.score[i]),
                exit_plan=bool(arr.exit_plan[i]),
                lazy_evidence=LazyEvidence(partial(_service_evidence, arr, i, key)),
                org=okeys[org],
            )
        )
    return out


def _service_evidence(arr: LockinArrays, i: int, key: Hashable) -> Evidence:
    ev = _usage_evidence(arr, i, key)
    facts = tuple(
        FactRef("service", f.key, f.attribute, f.value, f.fact)
        for f in ev.facts
        if f.attribute not in ("proprietary_integrations", "data_volume_gb")
    )
    return Evidence(facts=facts, note=ev.note)
