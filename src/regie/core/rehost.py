"""Rehosting: some usages of one organisation move to another product and services.

One change for the two places that move usages (ADRs 0110 and 0116): a bid in a tender (the
usages in the tender's scope move to the bid's product and services under a new contract with
the bidder) and an exit plan (one usage, or the organisation's use of one service, moves to an
alternative). The snapshot is not mutated: a new one is built from new column tables, as
``regie.core.scenarios`` does. Pure: no Django.

What changes:

* the usages' product becomes ``product`` (if one is given);
* their hosting, in one of two ways:

  - ``replacing`` None (a bid): every "runs on" dependency of the usages is removed and one
    required "runs on" dependency to each of ``services`` is added (redundancy groups left
    without members vanish); when no service is named the usages keep their current hosting
    (never "runs on nothing");
  - ``replacing`` given (an exit plan): the usages' dependencies on those services go to the
    one service in ``services`` and keep their kind and redundancy group; with ``usages`` None
    every dependency of the organisation on those services moves;

* with a ``contract`` the usages also leave their old setup: a substitutability override
  recorded for the old product is dropped (it judged the old setup), they leave every contract
  that covered them (a contract of the organisation that covered only moved usages, and at
  least one, is taken to end: its value becomes 0), their exit plans are dropped (they were
  plans to leave the old setup), and one contract is added with the counterparty, annual value,
  dates and clauses given, covering the usages and the new services. Without a contract, all
  of this stays as it is in the register.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from regie.core.columns import NODE_SERVICE, NODE_USAGE, OrgColumns, f64, i8, i32
from regie.core.facts import CLAUSES, DEPENDENCY_KINDS
from regie.core.snapshot import Snapshot

__all__ = ["NewContract", "Rehost", "rehost"]


@dataclass(frozen=True)
class NewContract:
    """The contract the moved usages come under (a bid's)."""

    counterparty: Hashable | None = None
    key: Hashable = "rehost"
    annual_value: float | None = None
    start: int = -1  # proleptic ordinal, -1 unknown
    end: int = -1
    clauses: Mapping[str, int] = field(default_factory=dict)  # clause -> 1 yes, 0 no (absent: unknown)


@dataclass(frozen=True)
class Rehost:
    """``usages`` of ``org`` move to ``services`` (and ``product``); see the module's text.

    ``usages`` None stands for every dependency of ``org``: only with ``replacing`` and
    without a contract (an exit plan for a service).
    """

    org: Hashable
    usages: tuple[Hashable, ...] | None
    services: tuple[Hashable, ...] = ()
    product: Hashable | None = None
    replacing: tuple[Hashable, ...] | None = None
    contract: NewContract | None = None


@dataclass(frozen=True)
class _Refs:
    """The change's keys as row numbers of the snapshot."""

    org: int
    usages: Any  # int32 array, or None: every dependency of the organisation
    services: Any
    product: int  # -1 none
    replacing: Any  # int32 array, or None
    party: int  # -1 unknown


def _resolve(snap: Snapshot, change: Rehost) -> _Refs:
    cat = snap.catalogue

    def rows(index: Mapping[Hashable, int], keys: tuple[Hashable, ...] | None) -> Any:
        return None if keys is None else np.array([index[k] for k in keys], dtype=np.int32)

    try:
        refs = _Refs(
            org=snap.org_index[change.org],
            usages=rows(snap.usage_index, change.usages),
            services=rows(cat.service_index, change.services),
            product=-1 if change.product is None else cat.product_index[change.product],
            replacing=rows(cat.service_index, change.replacing),
            party=-1
            if change.contract is None or change.contract.counterparty is None
            else cat.entity_index[change.contract.counterparty],
        )
    except KeyError as exc:
        raise ValueError(f"Rehost: unknown reference {exc.args[0]!r}") from exc
    if refs.usages is None:
        if refs.replacing is None or change.contract is not None:
            raise ValueError("Rehost: every usage of the organisation moves only off named services")
    elif np.any(np.asarray(snap.orgs.usage_org)[refs.usages] != refs.org):
        raise ValueError("Rehost: a usage belongs to another organisation")
    if refs.replacing is not None and len(refs.replacing) and len(refs.services) != 1:
        raise ValueError("Rehost: the dependencies on replaced services go to exactly one service")
    return refs


def _product(cols: OrgColumns, refs: _Refs, *, leave: bool) -> dict[str, Any]:
    if refs.product < 0 or refs.usages is None:
        return {}
    usage_product = np.array(cols.usage_product, copy=True)
    usage_product[refs.usages] = refs.product
    if not leave:
        return {"usage_product": i32(usage_product)}
    usage_override = np.array(cols.usage_override, copy=True)
    usage_override[refs.usages] = -1
    justification = list(cols.usage_justification)
    for u in refs.usages.tolist():
        justification[u] = None
    return {
        "usage_product": i32(usage_product),
        "usage_override": i8(usage_override),
        "usage_justification": justification,
    }


def _retarget(cols: OrgColumns, refs: _Refs) -> dict[str, Any]:
    """The dependencies on the replaced services go to the one new service, kept otherwise."""
    if not len(refs.replacing):
        return {}
    hit = (cols.dep_dst_kind == NODE_SERVICE) & np.isin(cols.dep_dst, refs.replacing)
    hit &= cols.dep_org == refs.org
    if refs.usages is not None:
        hit &= (cols.dep_src_kind == NODE_USAGE) & np.isin(cols.dep_src, refs.usages)
    dst = cols.dep_dst.copy()
    dst[hit] = refs.services[0]
    return {"dep_dst": i32(dst)}


def _rehome(cols: OrgColumns, refs: _Refs) -> dict[str, Any]:
    """The usages' "runs on" dependencies become one required one per new service."""
    u_idx, s_idx = refs.usages, refs.services
    if not len(s_idx):  # no services named: the usages keep their current hosting
        return {}
    runs_on = DEPENDENCY_KINDS.index("runs_on")
    keep = ~(
        (cols.dep_src_kind == NODE_USAGE)
        & np.isin(cols.dep_src, u_idx)
        & (cols.dep_dst_kind == NODE_SERVICE)
        & (cols.dep_kind == runs_on)
    )
    n_new = len(u_idx) * len(s_idx)

    def dep(name: str, extra: Any, cast: Any) -> Any:
        return cast(np.append(np.asarray(getattr(cols, name))[keep], extra))

    return {
        "dep_org": dep("dep_org", np.full(n_new, refs.org), i32),
        "dep_src_kind": dep("dep_src_kind", np.full(n_new, NODE_USAGE), i8),
        "dep_src": dep("dep_src", np.repeat(u_idx, len(s_idx)), i32),
        "dep_dst_kind": dep("dep_dst_kind", np.full(n_new, NODE_SERVICE), i8),
        "dep_dst": dep("dep_dst", np.tile(s_idx, len(u_idx)), i32),
        "dep_kind": dep("dep_kind", np.full(n_new, runs_on), i8),
        "dep_group": dep("dep_group", np.full(n_new, -1), i32),
        "dep_open_standard": dep("dep_open_standard", np.full(n_new, -1), i8),
    }


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


def _contracts(cols: OrgColumns, refs: _Refs, contract: NewContract) -> dict[str, Any]:
    """The usages leave their contracts and exit plans and come under the new contract."""
    o, u_idx, s_idx = refs.org, refs.usages, refs.services
    ptr, vals, lost = _filter_csr(cols.contract_usage_ptr, cols.contract_usage, u_idx)
    emptied = lost & (np.diff(ptr) == 0) & (np.asarray(cols.contract_org) == o)
    value = np.where(emptied, 0.0, cols.contract_value)
    clause_row = np.full((1, len(CLAUSES)), -1, dtype=np.int8)
    for name, tri in contract.clauses.items():
        if name in CLAUSES:
            clause_row[0, CLAUSES.index(name)] = 1 if tri == 1 else 0
    exit_usage = np.asarray(cols.exit_usage)
    return {
        "exit_usage": i32(exit_usage[~np.isin(exit_usage, u_idx)]),
        "contract_keys": [*cols.contract_keys, contract.key],
        "contract_org": i32(np.append(cols.contract_org, o)),
        "contract_counterparty": i32(np.append(cols.contract_counterparty, refs.party)),
        "contract_value": f64(
            np.append(value, np.nan if contract.annual_value is None else contract.annual_value)
        ),
        "contract_start": i32(np.append(cols.contract_start, contract.start)),
        "contract_end": i32(np.append(cols.contract_end, contract.end)),
        "contract_notice": i32(np.append(cols.contract_notice, -1)),
        "contract_clauses": i8(
            np.vstack([np.asarray(cols.contract_clauses).reshape(-1, len(CLAUSES)), clause_row])
        ),
        "contract_usage_ptr": i32(np.append(ptr, ptr[-1] + len(u_idx))),
        "contract_usage": i32(np.append(vals, u_idx)),
        "contract_service_ptr": i32(
            np.append(cols.contract_service_ptr, cols.contract_service_ptr[-1] + len(s_idx))
        ),
        "contract_service": i32(np.append(cols.contract_service, s_idx)),
    }


def rehost(snap: Snapshot, change: Rehost) -> Snapshot:
    """A new snapshot in which the usages run as ``change`` says (the input is left untouched);
    the input itself when nothing changes. ValueError names an unknown or foreign reference."""
    refs = _resolve(snap, change)
    cols = snap.orgs
    changes = _product(cols, refs, leave=change.contract is not None)
    changes.update(_rehome(cols, refs) if refs.replacing is None else _retarget(cols, refs))
    if change.contract is not None:
        changes.update(_contracts(cols, refs, change.contract))
    if not changes:
        return snap
    return Snapshot.from_arrays(snap.catalogue, replace(cols, **changes))
