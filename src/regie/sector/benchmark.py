"""Peer benchmark: one organisation's figures against peers of its kind and size band
(percentiles), never another organisation's identity. Pure: numpy only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from regie.core.facts import SUBSTITUTABILITY

from .digest import HARD_CLASSES, Digest

#: Inhabitant bands (upper bounds, exclusive) for municipalities and other organisations.
SIZE_BANDS: tuple[tuple[str, int | None], ...] = (
    ("<20k", 20_000),
    ("20k-50k", 50_000),
    ("50k-100k", 100_000),
    (">=100k", None),
)


def size_band(inhabitants: int | None) -> str:
    if inhabitants is None:
        return "unknown"
    for name, upper in SIZE_BANDS:
        if upper is None or inhabitants < upper:
            return name
    return SIZE_BANDS[-1][0]


def org_metrics(digest: Digest) -> dict[str, Any]:
    """Per organisation (arrays over the digest's rows): the figures that are benchmarked."""
    crit = np.maximum(digest.critical, 1).astype(np.float64)
    hard = [SUBSTITUTABILITY.index(c) for c in HARD_CLASSES]
    usages = np.maximum(digest.subst.sum(axis=1), 1).astype(np.float64)
    return {
        "non_eu_control_share": digest.non_trusted_control / crit,
        "top_group_reliance": digest.relies.max(axis=1, initial=0) / crit,
        "groups_relied_on": (digest.relies > 0).sum(axis=1).astype(np.float64),
        "hard_to_substitute_share": digest.subst[:, hard].sum(axis=1) / usages,
    }


def percentile_rank(values: Sequence[float] | Any, own: float) -> float:
    """Share of peers (0-100) with a value below the organisation's, ties counted half."""
    v = np.asarray(values, dtype=np.float64)
    if not len(v):
        return 0.0
    return float(100.0 * ((v < own).sum() + 0.5 * (v == own).sum()) / len(v))


def compare(own: Mapping[str, float], peers: Mapping[str, Sequence[float]]) -> list[dict[str, Any]]:
    """Per metric: own value, its percentile among the peers, and the peers' quartiles."""
    out = []
    for name, value in own.items():
        v = np.asarray(peers[name], dtype=np.float64)
        q = np.percentile(v, [25, 50, 75]) if len(v) else [np.nan] * 3
        out.append(
            {
                "metric": name,
                "own": float(value),
                "percentile": percentile_rank(v, float(value)),
                "p25": float(q[0]),
                "median": float(q[1]),
                "p75": float(q[2]),
                "orgs": len(v),
            }
        )
    return out
