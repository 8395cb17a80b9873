"""One scalar risk measure of an organisation, computed from the engine's figures (ADR 0115).

The measure is a weighted sum of six shares, each between 0 and 1, so that it runs from 0 (no
risk found) to 100 points. Each term is a figure the analysis pages already show:

========================  ======  ==========================================================
term                      weight  share
========================  ======  ==========================================================
``control``               25      critical processes with non-EU (untrusted) control exposure
``location_access``       10      critical processes with untrusted data location or access
``unknown``               10      critical processes with an exposure that is unknown
``reliance``              20      critical processes relying on the top provider group
``blast``                 20      critical processes down when the worst provider group fails
``lock_in``               15      usages not substitutable (highly complex counts half)
========================  ======  ==========================================================

Unknown counts as risk: the ``unknown`` term counts a critical process once when any of its
three exposure dimensions is unknown (and not already exposed in that dimension). Without
critical processes the first five terms are 0. This module is pure (no Django).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from regie.core.analysis import Analysis
from regie.core.facts import DIMENSIONS, SUBSTITUTABILITY

__all__ = ["WEIGHTS", "RiskMeasure", "risk_of"]

#: Weight of each term (points at a share of 1); they add up to 100.
WEIGHTS: Mapping[str, float] = {
    "control": 25.0,
    "location_access": 10.0,
    "unknown": 10.0,
    "reliance": 20.0,
    "blast": 20.0,
    "lock_in": 15.0,
}

_EXPOSED, _UNKNOWN = 2, 1
_CONTROL = DIMENSIONS.index("control")
_HIGH = SUBSTITUTABILITY.index("highly_complex")
_NONE = SUBSTITUTABILITY.index("not_substitutable")


@dataclass(frozen=True)
class RiskMeasure:
    """The organisation's risk in points (0–100) and the share behind each term."""

    shares: Mapping[str, float]

    @property
    def terms(self) -> dict[str, float]:
        """Points per term: weight × share."""
        return {k: WEIGHTS[k] * self.shares.get(k, 0.0) for k in WEIGHTS}

    @property
    def total(self) -> float:
        return round(sum(self.terms.values()), 6)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "terms": {k: round(v, 6) for k, v in self.terms.items()},
            "shares": {k: round(self.shares.get(k, 0.0), 6) for k in WEIGHTS},
            "weights": dict(WEIGHTS),
        }


def _share(count: float, of: int) -> float:
    return float(count) / of if of else 0.0


def risk_of(analysis: Analysis) -> RiskMeasure:
    """The risk measure of the scope analysed (one organisation, in practice)."""
    g = analysis.graph
    crit = np.asarray(g.snap.orgs.process_critical[g.process], dtype=bool)
    n_crit = int(crit.sum())
    state = np.asarray(analysis.exposure.state)[crit] if n_crit else np.zeros((0, 3), dtype=np.int8)
    others = [d for d in range(len(DIMENSIONS)) if d != _CONTROL]
    control = int((state[:, _CONTROL] == _EXPOSED).sum()) if n_crit else 0
    loc_acc = int((state[:, others] == _EXPOSED).any(axis=1).sum()) if n_crit else 0
    unknown = int((state == _UNKNOWN).any(axis=1).sum()) if n_crit else 0
    reliance = max((r.share for r in analysis.reliance), default=0.0) if n_crit else 0.0
    blast = analysis.blast.critical_failed
    worst = int(np.max(blast)) if len(blast) else 0
    final = np.asarray(analysis.lockin.final)
    n_u = len(final)
    lock = float((final == _NONE).sum()) + 0.5 * float((final == _HIGH).sum())
    return RiskMeasure(
        shares={
            "control": _share(control, n_crit),
            "location_access": _share(loc_acc, n_crit),
            "unknown": _share(unknown, n_crit),
            "reliance": float(reliance),
            "blast": _share(worst, n_crit),
            "lock_in": _share(lock, n_u),
        }
    )
