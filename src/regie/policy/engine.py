"""The engine results the policy context needs, taken from the Analysis where it kept them.

The engine computes the provider-group masks of every critical process (for reliance) and
the single points of failure of the critical processes (for its counts) while it analyses a
scope. When the Analysis carries them, the context reuses them; otherwise (an Analysis made
without them) they are computed here with the engine's own functions, so the facts are the
same either way.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from regie.core import concentration
from regie.core.analysis import Analysis
from regie.core.continuity import spof_matrix
from regie.core.masks import ClosureMasks, closure_masks

__all__ = ["group_words", "refcomp_rows", "reused", "spof_rows"]


def _kept(a: Analysis, *names: str) -> Any:
    for name in names:
        value = getattr(a, name, None)
        if value is not None:
            return value
    return None


_MASKS = ("masks", "closure_masks", "closure")
_SPOF = ("spof_matrix", "spof", "spofs_matrix")


def reused(a: Analysis) -> dict[str, bool]:
    """Which engine results the context takes from this Analysis (else it computes them)."""
    return {
        "group_masks": isinstance(_kept(a, *_MASKS), ClosureMasks),
        "single_points_of_failure": isinstance(_kept(a, *_SPOF), tuple),
    }


def group_words(a: Analysis, rows: Any) -> Any:
    """Row-major (len(rows), Wg) provider-group words of local processes ``rows``."""
    masks = _kept(a, *_MASKS)
    if isinstance(masks, ClosureMasks):
        held = masks.group_rows
        if len(rows) == 0 or (np.isin(rows, held).all()):
            return masks.group_words(rows)
    return closure_masks(a.graph, rows).group_words(rows)


def spof_rows(a: Analysis, rows: Any) -> tuple[Any, Any]:
    """(CSR (len(rows), K): candidate k alone stops the process, services used): single
    points of failure of local processes ``rows`` (candidates as in ``spof_matrix``)."""
    kept = _kept(a, *_SPOF)
    if isinstance(kept, tuple) and len(kept) >= 2:
        m, used = kept[0], kept[1]
        kept_rows = _kept(a, "spof_rows")
        if kept_rows is not None and np.array_equal(np.asarray(kept_rows), rows):
            return m.tocsr(), used
        if m.shape[0] == a.graph.n_p:
            return m.tocsr()[rows], used
    m, used, _ = spof_matrix(a.graph, rows=rows)
    return m.tocsr(), used


def refcomp_rows(graph: Any) -> tuple[list[str], Any, Any]:
    """(names, category per row, usage position per row) for reference components."""
    fn = getattr(concentration, "refcomp_rows", None) or concentration._refcomp_rows
    names, cats, upos = fn(graph)
    return list(names), cats, upos
