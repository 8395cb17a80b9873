"""The engine results the policy context needs, taken from the Analysis where it kept them.

The engine computes the provider-group masks of the critical processes (for reliance) and
their single points of failure (for its counts) while it analyses a scope, and keeps them on
the Analysis (``masks``, ``spof_matrix``, ``spof_rows``, ``spof_services``). The context
takes them from there; only an Analysis without them (continuity switched off, or rows it
did not compute) has them computed here with the engine's own functions, so the facts are
the same either way.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from regie.core import concentration
from regie.core.analysis import Analysis
from regie.core.continuity import spof_matrix
from regie.core.masks import closure_masks

__all__ = ["group_words", "refcomp_rows", "reused", "spof_rows"]


def reused(a: Analysis) -> dict[str, bool]:
    """Which engine results the context takes from this Analysis (else it computes them)."""
    return {
        "group_masks": a.masks is not None,
        "single_points_of_failure": a.spof_matrix is not None
        and a.spof_rows is not None
        and a.spof_services is not None,
    }


def _subset(held: Any, rows: Any) -> Any:
    """Positions of ``rows`` in the ascending ``held``, or None if some row is missing."""
    held = np.asarray(held)
    pos = np.searchsorted(held, rows)
    if len(rows) and (pos.max() >= len(held) or not np.array_equal(held[pos], rows)):
        return None
    return pos


def group_words(a: Analysis, rows: Any) -> Any:
    """Row-major (len(rows), Wg) provider-group words of local processes ``rows``."""
    if a.masks is not None and _subset(a.masks.group_rows, rows) is not None:
        return a.masks.group_words(rows)
    return closure_masks(a.graph, rows).group_words(rows)


def spof_rows(a: Analysis, rows: Any) -> tuple[Any, Any]:
    """(CSR (len(rows), K): candidate k alone stops the process, services used): single
    points of failure of local processes ``rows`` (candidates as in ``spof_matrix``:
    the services, then the scope's usages)."""
    m, held, used = a.spof_matrix, a.spof_rows, a.spof_services
    if m is not None and held is not None and used is not None:
        # the analysis keeps each row's candidates unsorted when it had no detail; the
        # context lists the first ones of a row in order (a sorted copy, the kept one shared)
        m = m.tocsr() if m.has_sorted_indices else m.sorted_indices()
        if np.array_equal(held, rows):
            return m, used
        pos = _subset(held, rows)
        if pos is not None:
            return m[pos], used
    m, used, _ = spof_matrix(a.graph, rows=rows)
    return m.tocsr(), used


def refcomp_rows(graph: Any) -> tuple[list[str], Any, Any]:
    """(names, category per row, usage position per row) for reference components."""
    names, cats, upos = concentration.refcomp_rows(graph)
    return list(names), cats, upos
