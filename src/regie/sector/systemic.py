"""Systemic suppliers, modelled on the DORA designation of critical ICT third-party providers
(Delegated Regulation (EU) 2024/1502): a quantitative first step, then criteria.

Step 1: the share of organisations relying on the provider group for critical processes is at
least ``min_org_share`` (DORA uses 10 % of a category of entities).
Step 2, criteria (a designation needs ``min_criteria`` of them):
- importance: the relying organisations serve at least ``min_inhabitant_share`` of the
  inhabitants of the group, or include an organisation of an important kind;
- critical functions: at least ``min_process_share`` of all critical processes rely on it;
- substitutability: at least ``min_hard_share`` of the usages it supplies are highly complex
  or not substitutable (as assessed, after overrides);
- concentration: it holds at least ``min_market_share`` of the usages of some reference
  component.
Each designation lists every criterion with its figure and threshold. Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from regie.core.facts import SUBSTITUTABILITY

from .digest import HARD_CLASSES, Digest


@dataclass(frozen=True)
class SystemicThresholds:
    min_org_share: float = 0.10
    min_criteria: int = 2
    min_inhabitant_share: float = 0.25
    important_kinds: tuple[str, ...] = ("central_government", "province")
    min_process_share: float = 0.05
    min_hard_share: float = 0.50
    min_market_share: float = 0.30
    min_market_orgs: int = 5  # a reference component counts as a market from this many users

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> SystemicThresholds:
        base = asdict(cls())
        for key, value in (values or {}).items():
            if key not in base:
                raise ValueError(f"unknown systemic threshold {key!r}")
            base[key] = tuple(value) if key == "important_kinds" else type(base[key])(value)
        return cls(**base)


@dataclass(frozen=True)
class Criterion:
    name: str
    value: float
    threshold: float
    met: bool
    detail: str = ""


@dataclass(frozen=True)
class Designation:
    group: str
    name: str
    orgs: int
    org_share: float
    designated: bool
    criteria: tuple[Criterion, ...] = field(default=())

    def to_row(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "name": self.name,
            "orgs": self.orgs,
            "org_share": self.org_share,
            "designated": self.designated,
            "criteria": [asdict(c) for c in self.criteria],
        }


def assess(
    digest: Digest,
    mask: Any,
    *,
    inhabitants: Any,
    thresholds: SystemicThresholds,
) -> list[Designation]:
    """Every provider group that passes step 1, with its criteria; designated first."""
    n = int(mask.sum())
    if n == 0:
        return []
    rel = digest.relies[mask] > 0
    orgs = rel.sum(axis=0)
    procs = digest.relies[mask].sum(axis=0)
    n_crit = max(int(digest.critical[mask].sum()), 1)
    inh = np.nan_to_num(np.asarray(inhabitants, dtype=np.float64)[mask])
    total_inh = float(inh.sum())
    kinds = np.asarray(digest.org_kinds, dtype=object)[mask]
    important = np.isin(kinds, list(thresholds.important_kinds))
    n_g = digest.relies.shape[1]
    hard = [SUBSTITUTABILITY.index(c) for c in HARD_CLASSES]
    gs = digest.group_subst_rows
    gs = gs[mask[gs[:, 0]]] if len(gs) else gs
    supplied = np.bincount(gs[:, 1], weights=gs[:, 3], minlength=n_g) if len(gs) else np.zeros(n_g)
    is_hard = np.isin(gs[:, 2], hard) if len(gs) else np.zeros(0, dtype=bool)
    hard_n = np.bincount(gs[is_hard, 1], weights=gs[is_hard, 3], minlength=n_g) if len(gs) else np.zeros(n_g)
    market, market_rc = _best_markets(digest, mask, n_g, thresholds.min_market_orgs)
    out = []
    for g in np.flatnonzero(orgs / n >= thresholds.min_org_share).tolist():
        share = float(orgs[g]) / n
        inh_share = float(inh[rel[:, g]].sum()) / total_inh if total_inh else 0.0
        n_imp = int((important & rel[:, g]).sum())
        hard_share = float(hard_n[g] / supplied[g]) if supplied[g] else 0.0
        market_name = digest.refcomp_names[market_rc[g]] if market_rc[g] >= 0 else ""
        crits = (
            Criterion(
                "importance",
                inh_share,
                thresholds.min_inhabitant_share,
                inh_share >= thresholds.min_inhabitant_share or n_imp > 0,
                f"inhabitants share {inh_share:.0%}; relying organisations of an important kind: {n_imp}",
            ),
            Criterion(
                "critical_functions",
                float(procs[g]) / n_crit,
                thresholds.min_process_share,
                float(procs[g]) / n_crit >= thresholds.min_process_share,
                f"{int(procs[g])} of {n_crit} critical processes",
            ),
            Criterion(
                "substitutability",
                hard_share,
                thresholds.min_hard_share,
                hard_share >= thresholds.min_hard_share,
                f"{int(hard_n[g])} of {int(supplied[g])} usages highly complex or not substitutable",
            ),
            Criterion(
                "concentration",
                float(market[g]),
                thresholds.min_market_share,
                float(market[g]) >= thresholds.min_market_share,
                f"largest share in a reference component: {market_name}",
            ),
        )
        met = sum(c.met for c in crits)
        out.append(
            Designation(
                group=str(digest.group_keys[g]),
                name=digest.group_names[g],
                orgs=int(orgs[g]),
                org_share=share,
                designated=met >= thresholds.min_criteria,
                criteria=(
                    Criterion("reliance", share, thresholds.min_org_share, True, f"{int(orgs[g])} of {n}"),
                    *crits,
                ),
            )
        )
    out.sort(key=lambda d: (not d.designated, -d.org_share, d.name))
    return out


def _best_markets(digest: Digest, mask: Any, n_g: int, min_orgs: int) -> tuple[Any, Any]:
    """Per provider group: its largest share of the usages of one reference component used by
    at least ``min_orgs`` organisations, and that component (-1 none)."""
    rc = digest.refcomp_rows
    rc = rc[mask[rc[:, 0]]] if len(rc) else rc
    best = np.zeros(n_g)
    which = np.full(n_g, -1, dtype=np.int64)
    if not len(rc):
        return best, which
    n_rc, width = len(digest.refcomp_names), n_g + 1  # column 0: unknown supplier (counted)
    per = np.bincount(rc[:, 1] * width + rc[:, 2] + 1, weights=rc[:, 3], minlength=n_rc * width)
    per = per.reshape(n_rc, width)
    totals = per.sum(axis=1, keepdims=True)
    org_rc = np.unique(rc[:, 0] * n_rc + rc[:, 1]) % n_rc
    big = np.bincount(org_rc, minlength=n_rc) >= min_orgs
    shares = np.divide(per, totals, out=np.zeros_like(per), where=(totals > 0) & big[:, None])[:, 1:]
    best = shares.max(axis=0)
    which = np.where(best > 0, shares.argmax(axis=0), -1)
    return best, which
