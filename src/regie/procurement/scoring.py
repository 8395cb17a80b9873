"""The award function of the procurement assessment (ADR 0111): pure, no database.

Each criterion turns one measure of a bid into a score from 0 (worst) to 1 (best):

* ``price``: the lowest cost among the bids being ranked divided by the bid's cost (the
  cheapest scores 1, one twice as dear 0.5); a bid without a price scores 0 (unknown is risk);
* ``sovereignty``: the weighted EU Cloud Sovereignty Framework score / 100;
* ``exposure``, ``concentration``, ``continuity``, ``lockin``: the organisation's figure after
  the bid (see :data:`MEASURES`), lower is better; min-max normalised over the bids being
  ranked: the best bid scores 1, the worst 0, and all score 1 when they are equal.

The total is the weighted mean of the scores (weights are non-negative; all zero gives 0).
Only eligible bids are ranked; ties are broken by lower cost, then by the order of entry.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["CRITERIA", "MEASURES", "Ranked", "WeightError", "check_weights", "rank"]

CRITERIA: tuple[str, ...] = ("price", "sovereignty", "exposure", "concentration", "continuity", "lockin")

#: What each figure criterion measures (on the organisation after the bid).
MEASURES: dict[str, str] = {
    "exposure": "processes x dimensions exposed outside the trusted countries (unknown counts half)",
    "concentration": "HHI of spend over provider groups (0-10,000)",
    "continuity": "critical processes with a single point of failure + the largest blast radius "
    "(critical processes stopped by one provider group)",
    "lockin": "lock-in points over usages: 0 easily substitutable … 3 not substitutable",
}
_LOWER_IS_BETTER = ("exposure", "concentration", "continuity", "lockin")
MAX_WEIGHT = 1000.0


class WeightError(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def check_weights(weights: Mapping[str, object], base: Mapping[str, float]) -> dict[str, float]:
    """``base`` with the given weights applied; each must be a criterion and a number 0-1000."""
    out = {c: float(base.get(c, 0.0)) for c in CRITERIA}
    for key, value in weights.items():
        if key not in CRITERIA:
            raise WeightError(f"weights.{key}", f"not a criterion; criteria are {', '.join(CRITERIA)}")
        if isinstance(value, bool):
            raise WeightError(f"weights.{key}", "must be a number")
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            raise WeightError(f"weights.{key}", "must be a number") from exc
        if math.isnan(number) or number < 0 or number > MAX_WEIGHT:
            raise WeightError(f"weights.{key}", f"must be between 0 and {MAX_WEIGHT:g}")
        out[key] = number
    return out


@dataclass(frozen=True)
class Ranked:
    scores: dict[str, float]  # criterion -> 0..1
    total: float  # 0..1
    rank: int | None


def rank(
    measures: Sequence[Mapping[str, float | None]],
    eligible: Sequence[bool],
    weights: Mapping[str, float],
) -> list[Ranked]:
    """Scores, total and rank per bid; ``measures[i]`` holds ``cost``, ``sovereignty`` (0-100)
    and the figure criteria of bid i. Ineligible bids get scores but no rank."""
    n = len(measures)
    scores: list[dict[str, float]] = [{} for _ in range(n)]
    pool = [i for i in range(n) if eligible[i]] or list(range(n))
    costs = [measures[i].get("cost") for i in pool]
    known = [c for c in costs if c is not None and c > 0]
    cheapest = min(known) if known else None
    for i in range(n):
        cost = measures[i].get("cost")
        if cost is None:
            scores[i]["price"] = 0.0
        elif cost <= 0:
            scores[i]["price"] = 1.0
        else:
            scores[i]["price"] = min(1.0, (cheapest or cost) / cost)
        sov = measures[i].get("sovereignty")
        scores[i]["sovereignty"] = 0.0 if sov is None else max(0.0, min(1.0, sov / 100.0))
    for crit in _LOWER_IS_BETTER:
        values = [float(measures[i].get(crit) or 0.0) for i in range(n)]
        lo_hi = [values[i] for i in pool]
        lo, hi = min(lo_hi), max(lo_hi)
        for i in range(n):
            v = min(max(values[i], lo), hi)
            if hi - lo < 1e-12:  # all ranked bids equal: they score 1, a worse outsider 0
                scores[i][crit] = 1.0 if values[i] <= lo + 1e-12 else 0.0
            else:
                scores[i][crit] = 1.0 - (v - lo) / (hi - lo)
    total_weight = sum(weights.get(c, 0.0) for c in CRITERIA)
    totals = [
        sum(weights.get(c, 0.0) * scores[i][c] for c in CRITERIA) / total_weight if total_weight > 0 else 0.0
        for i in range(n)
    ]
    order = sorted(
        (i for i in range(n) if eligible[i]),
        key=lambda i: (-round(totals[i], 9), measures[i].get("cost") or math.inf, i),
    )
    ranks = {i: r + 1 for r, i in enumerate(order)}
    return [
        Ranked({c: round(scores[i][c], 4) for c in CRITERIA}, round(totals[i], 4), ranks.get(i))
        for i in range(n)
    ]
