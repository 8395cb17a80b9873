"""What an exit plan changes, as an overlay on a snapshot (never on the register; ADR 0116).

A usage's plan moves that one application: its product becomes the alternative's product
(when the alternative replaces it) and the services it runs on that the alternative replaces
now go to the alternative's service. A service's plan moves every dependency of the
organisation on that service to the alternative's service. The engine's own scenario changes
(``regie.core.scenarios``) act on every usage of a product or service; an exit plan is about
one usage, hence this narrower overlay. Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from regie.core.columns import NODE_SERVICE, NODE_USAGE, i32
from regie.core.snapshot import Snapshot

__all__ = ["Move", "apply_moves"]


@dataclass(frozen=True)
class Move:
    """One plan's change. Keys are register ids.

    ``usage`` set: that usage's product becomes ``new_product`` (if not None) and its
    dependencies on ``old_services`` go to ``new_service``. ``usage`` None: every dependency
    of ``org`` on ``old_services`` goes to ``new_service``.
    """

    org: Hashable
    usage: Hashable | None
    new_product: Hashable | None
    old_services: tuple[Hashable, ...]
    new_service: Hashable | None


def _apply(snap: Snapshot, move: Move) -> Snapshot:
    cat = snap.catalogue
    cols = snap.orgs
    changes: dict[str, object] = {}
    if move.usage is not None and move.new_product is not None:
        prod = cols.usage_product.copy()
        prod[snap.usage_index[move.usage]] = cat.product_index[move.new_product]
        changes["usage_product"] = i32(prod)
    if move.old_services and move.new_service is not None:
        old = np.asarray([cat.service_index[s] for s in move.old_services], dtype=np.int32)
        hit = (cols.dep_dst_kind == NODE_SERVICE) & np.isin(cols.dep_dst, old)
        hit &= cols.dep_org == snap.org_index[move.org]
        if move.usage is not None:
            hit &= (cols.dep_src_kind == NODE_USAGE) & (cols.dep_src == snap.usage_index[move.usage])
        dst = cols.dep_dst.copy()
        dst[hit] = cat.service_index[move.new_service]
        changes["dep_dst"] = i32(dst)
    if not changes:
        return snap
    return Snapshot.from_arrays(cat, replace(cols, **changes))  # type: ignore[arg-type]


def apply_moves(snap: Snapshot, moves: Sequence[Move]) -> Snapshot:
    """A new snapshot with the moves applied in order (the input is left untouched)."""
    for move in moves:
        snap = _apply(snap, move)
    return snap
