"""Rehosting: some usages of one organisation move to another product, services and contract.

The change a bid in a tender stands for (ADR 0110): the usages in the tender's scope would run
on the bid's product, on the bid's services (their supply chain is the hosting chain), under a
new contract with the bidder at the bid's price with the clauses it offers. The snapshot is not
mutated: a new one is built from new column tables, as ``regie.core.scenarios`` does.

What changes, per usage in scope:

* every "runs on" dependency of the usage is removed and one required "runs on" dependency to
  each of the new services is added (redundancy groups left without members vanish); when no
  service is named the usage keeps its current hosting (never "runs on nothing");
* the usage's product becomes the new product (if one is given) and a substitutability
  override recorded for the old product is dropped (it judged the old setup);
* the usage leaves every contract that covered it; a contract of the organisation that covered
  only usages in scope (and at least one) is taken to end, so its value becomes 0;
* exit plans of the usage are dropped (they were plans to leave the old setup);
* one contract is added with the counterparty, annual value, dates and clauses given,
  covering the usages in scope and the new services.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from regie.core.columns import NODE_SERVICE, NODE_USAGE, OrgColumns, f64, i8, i32
from regie.core.facts import CLAUSES, DEPENDENCY_KINDS
from regie.core.snapshot import Snapshot

__all__ = ["Rehost", "rehost"]


@dataclass(frozen=True)
class Rehost:
    """``usages`` of ``org`` move to ``services`` (and ``product``) under a new contract."""

    org: Hashable
    usages: tuple[Hashable, ...]
    services: tuple[Hashable, ...]
    product: Hashable | None = None
    counterparty: Hashable | None = None
    contract_key: Hashable = "rehost"
    annual_value: float | None = None
    start: int = -1  # proleptic ordinal, -1 unknown
    end: int = -1
    clauses: Mapping[str, int] = field(default_factory=dict)  # clause -> 1 yes, 0 no (absent: unknown)


def _filter_csr(ptr: Any, values: Any, drop: Any) -> tuple[Any, Any, Any]:
    """(ptr, values) without the values in ``drop``; also the rows that lost a value."""
    keep = ~np.isin(values, drop)
    rows = np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))
    lost = np.zeros(len(ptr) - 1, dtype=bool)
    lost[rows[~keep]] = True
    counts = np.bincount(rows[keep], minlength=len(ptr) - 1)
    out = np.zeros_like(ptr)
    np.cumsum(counts, out=out[1:])
    return out, values[keep], lost


def _contracts(
    cols: OrgColumns, o: int, u_idx: Any, s_idx: Any, *, change: Rehost, party: int
) -> dict[str, Any]:
    ptr, vals, lost = _filter_csr(cols.contract_usage_ptr, cols.contract_usage, u_idx)
    emptied = lost & (np.diff(ptr) == 0) & (np.asarray(cols.contract_org) == o)
    value = np.where(emptied, 0.0, cols.contract_value)
    clause_row = np.full((1, len(CLAUSES)), -1, dtype=np.int8)
    for name, tri in change.clauses.items():
        if name in CLAUSES:
            clause_row[0, CLAUSES.index(name)] = 1 if tri == 1 else 0
    n_u, n_s = len(u_idx), len(s_idx)
    return {
        "contract_keys": [*cols.contract_keys, change.contract_key],
        "contract_org": i32(np.append(cols.contract_org, o)),
        "contract_counterparty": i32(np.append(cols.contract_counterparty, party)),
        "contract_value": f64(
            np.append(value, np.nan if change.annual_value is None else change.annual_value)
        ),
        "contract_start": i32(np.append(cols.contract_start, change.start)),
        "contract_end": i32(np.append(cols.contract_end, change.end)),
        "contract_notice": i32(np.append(cols.contract_notice, -1)),
        "contract_clauses": i8(
            np.vstack([np.asarray(cols.contract_clauses).reshape(-1, len(CLAUSES)), clause_row])
        ),
        "contract_usage_ptr": i32(np.append(ptr, ptr[-1] + n_u)),
        "contract_usage": i32(np.append(vals, u_idx)),
        "contract_service_ptr": i32(
            np.append(cols.contract_service_ptr, cols.contract_service_ptr[-1] + n_s)
        ),
        "contract_service": i32(np.append(cols.contract_service, s_idx)),
    }


def rehost(snap: Snapshot, change: Rehost) -> Snapshot:
    """A new snapshot in which the usages run as ``change`` says (the input is left untouched)."""
    cols = snap.orgs
    cat = snap.catalogue
    o = snap.org_index[change.org]
    try:
        u_idx = np.array([snap.usage_index[u] for u in change.usages], dtype=np.int32)
        s_idx = np.array([cat.service_index[s] for s in change.services], dtype=np.int32)
        product = -1 if change.product is None else cat.product_index[change.product]
        party = -1 if change.counterparty is None else cat.entity_index[change.counterparty]
    except KeyError as exc:
        raise ValueError(f"Rehost: unknown reference {exc.args[0]!r}") from exc
    if np.any(np.asarray(cols.usage_org)[u_idx] != o):
        raise ValueError("Rehost: a usage belongs to another organisation")
    runs_on = DEPENDENCY_KINDS.index("runs_on")
    drop = (
        (cols.dep_src_kind == NODE_USAGE)
        & np.isin(cols.dep_src, u_idx)
        & (cols.dep_dst_kind == NODE_SERVICE)
        & (cols.dep_kind == runs_on)
    )
    if len(s_idx) == 0:  # no services named: the usages keep their current hosting
        drop[:] = False
    keep = ~drop
    new_src = np.repeat(u_idx, len(s_idx))
    new_dst = np.tile(s_idx, len(u_idx))
    n_new = len(new_src)

    def dep(name: str, extra: Any, cast: Any) -> Any:
        return cast(np.append(np.asarray(getattr(cols, name))[keep], extra))

    usage_product = np.array(cols.usage_product, copy=True)
    usage_override = np.array(cols.usage_override, copy=True)
    justification = list(cols.usage_justification)
    if product >= 0:
        usage_product[u_idx] = product
        usage_override[u_idx] = -1
        for u in u_idx.tolist():
            justification[u] = None
    exit_usage = np.asarray(cols.exit_usage)
    new_cols = replace(
        cols,
        dep_org=dep("dep_org", np.full(n_new, o), i32),
        dep_src_kind=dep("dep_src_kind", np.full(n_new, NODE_USAGE), i8),
        dep_src=dep("dep_src", new_src, i32),
        dep_dst_kind=dep("dep_dst_kind", np.full(n_new, NODE_SERVICE), i8),
        dep_dst=dep("dep_dst", new_dst, i32),
        dep_kind=dep("dep_kind", np.full(n_new, runs_on), i8),
        dep_group=dep("dep_group", np.full(n_new, -1), i32),
        dep_open_standard=dep("dep_open_standard", np.full(n_new, -1), i8),
        usage_product=i32(usage_product),
        usage_override=i8(usage_override),
        usage_justification=justification,
        exit_usage=i32(exit_usage[~np.isin(exit_usage, u_idx)]),
        **_contracts(cols, o, u_idx, s_idx, change=change, party=party),
    )
    return Snapshot.from_arrays(cat, new_cols)


def rehost_all(snap: Snapshot, changes: Sequence[Rehost]) -> Snapshot:
    """Apply several rehosts in turn."""
    for c in changes:
        snap = rehost(snap, c)
    return snap
