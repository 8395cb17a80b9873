"""Column tables: the snapshot as plain integer-indexed numpy arrays (the bulk input format).

References between tables are integer indexes into the referenced table; ``-1`` means
unknown (or absent). Tri-state booleans are int8: ``-1`` unknown, ``0`` no, ``1`` yes.
Floats use NaN for unknown. Dates are proleptic ordinals (``date.toordinal()``), ``-1`` unknown.
Facts with provenance live in a sparse mapping ``(table, row, attribute) -> Fact``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from regie.core.facts import Fact

__all__ = [
    "NODE_PROCESS",
    "NODE_SERVICE",
    "NODE_USAGE",
    "BoolArray",
    "CatalogueColumns",
    "FactKey",
    "FloatArray",
    "IntArray",
    "OrgColumns",
    "i8",
    "i32",
    "take",
    "unique",
    "unique_inverse",
]

IntArray = npt.NDArray[np.int32]
Int8Array = npt.NDArray[np.int8]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
FactKey = tuple[str, int, str]

NODE_PROCESS = 0
NODE_USAGE = 1
NODE_SERVICE = 2


def i32(values: Any) -> IntArray:
    return np.ascontiguousarray(values, dtype=np.int32)


def i8(values: Any) -> Int8Array:
    return np.ascontiguousarray(values, dtype=np.int8)


def f64(values: Any) -> FloatArray:
    return np.ascontiguousarray(values, dtype=np.float64)


def take(values: Any, idx: Any, default: Any = -1) -> Any:
    """``values[idx]`` where ``idx >= 0``, ``default`` elsewhere (safe on empty tables)."""
    idx = np.asarray(idx)
    values = np.asarray(values)
    dtype = np.result_type(values.dtype, np.min_scalar_type(default))
    if idx.size < len(values):  # few indexes into a long table: do not copy the table
        out = np.full(idx.shape, default, dtype=dtype)
        ok = idx >= 0
        out[ok] = values[idx[ok]]
        return out
    # one gather from the values with the default appended, negative indexes sent to it
    ext = np.empty(len(values) + 1, dtype=dtype)
    ext[:-1] = values
    ext[-1] = default
    return ext[np.where(idx < 0, len(values), idx)]


def unique(values: Any, bound: int | None = None) -> Any:
    """Sorted distinct values of an integer array (what ``np.unique`` returns).

    numpy 2.3+ answers a plain ``np.unique`` through a hash table that is about 20 times
    slower than sorting for a million distinct integers; this sorts (or, when the values are
    known to lie in ``[0, bound)`` with a small ``bound``, marks a bitmap) instead."""
    v = np.asarray(values).ravel()
    if len(v) == 0:
        return v.copy()
    if bound is not None and bound <= 16 * len(v) + 1_000_000:
        seen = np.zeros(bound, dtype=bool)
        seen[v] = True
        return np.flatnonzero(seen).astype(v.dtype, copy=False)
    s = np.sort(v)
    keep = np.empty(len(s), dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def unique_inverse(values: Any) -> tuple[Any, Any]:
    """``np.unique(values, return_inverse=True)`` for a one-dimensional integer array."""
    v = np.asarray(values).ravel()
    if len(v) == 0:
        return v.copy(), np.zeros(0, dtype=np.intp)
    order = np.argsort(v, kind="stable")
    s = v[order]
    new = np.empty(len(s), dtype=bool)
    new[0] = True
    np.not_equal(s[1:], s[:-1], out=new[1:])
    inv = np.empty(len(v), dtype=np.intp)
    inv[order] = np.cumsum(new) - 1
    return s[new], inv


def ptr(counts: Any) -> IntArray:
    """CSR row pointer from per-row counts."""
    out = np.zeros(len(counts) + 1, dtype=np.int32)
    np.cumsum(counts, out=out[1:])
    return out


@dataclass(frozen=True, eq=False)
class CatalogueColumns:
    """The shared catalogue: countries, laws, legal entities, products, services, supply chain."""

    country_codes: Sequence[str]
    country_names: Sequence[str]
    country_eu: BoolArray
    country_eea: BoolArray
    country_adequacy: BoolArray
    law_keys: Sequence[Hashable]
    law_names: Sequence[str]
    law_country: IntArray
    law_triggers: Sequence[frozenset[str]]
    entity_keys: Sequence[Hashable]
    entity_names: Sequence[str]
    entity_hq: IntArray
    entity_reg: IntArray
    entity_parent: IntArray
    entity_parent_state: Int8Array  # index into facts.PARENT_STATES
    product_keys: Sequence[Hashable]
    product_names: Sequence[str]
    product_supplier: IntArray
    product_open_source: Int8Array
    product_open_export: Int8Array
    product_alternatives: IntArray
    product_refcomp_ptr: IntArray
    product_refcomp: IntArray  # ids into refcomp_names
    refcomp_names: Sequence[str]
    service_keys: Sequence[Hashable]
    service_names: Sequence[str]
    service_provider: IntArray
    service_kind: IntArray  # ids into kind_names
    kind_names: Sequence[str]
    service_product: IntArray
    service_recovery: FloatArray
    # locations per role (rest, processing, access): CSR over services; country -1 = explicitly unknown
    location_ptr: tuple[IntArray, IntArray, IntArray]
    location_country: tuple[IntArray, IntArray, IntArray]
    supply_src: IntArray  # service that depends on ...
    supply_dst: IntArray  # ... this service (always required)
    facts: Mapping[FactKey, Fact] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class OrgColumns:
    """Organisation-specific tables. Node references in dependencies are (kind, index) pairs."""

    org_keys: Sequence[Hashable]
    org_codes: Sequence[str]
    org_names: Sequence[str]
    org_kinds: Sequence[str]
    org_trusted: Sequence[frozenset[str]]
    process_keys: Sequence[Hashable]
    process_names: Sequence[str]
    process_org: IntArray
    process_availability: Int8Array
    process_integrity: Int8Array
    process_confidentiality: Int8Array
    process_critical: BoolArray
    process_mtd: FloatArray
    process_rto: FloatArray
    process_personal: Int8Array  # index into facts.PERSONAL_DATA
    usage_keys: Sequence[Hashable]
    usage_names: Sequence[str]
    usage_org: IntArray
    usage_product: IntArray
    usage_refcomp: IntArray  # ids into refcomp_names (of this table), -1 none
    refcomp_names: Sequence[str]
    usage_status: IntArray  # ids into status_names
    status_names: Sequence[str]
    usage_override: Int8Array  # index into facts.SUBSTITUTABILITY, -1 none
    usage_justification: Sequence[str | None]
    usage_open_export: Int8Array
    usage_volume_gb: FloatArray
    rgroup_keys: Sequence[Hashable]
    rgroup_org: IntArray
    rgroup_k: IntArray
    dep_org: IntArray
    dep_src_kind: Int8Array  # NODE_PROCESS | NODE_USAGE
    dep_src: IntArray
    dep_dst_kind: Int8Array  # NODE_USAGE | NODE_SERVICE
    dep_dst: IntArray
    dep_kind: Int8Array  # index into facts.DEPENDENCY_KINDS
    dep_group: IntArray  # -1 required
    dep_open_standard: Int8Array
    contract_keys: Sequence[Hashable]
    contract_org: IntArray
    contract_counterparty: IntArray
    contract_value: FloatArray
    contract_start: IntArray
    contract_end: IntArray
    contract_notice: IntArray
    contract_clauses: Int8Array  # (n, len(CLAUSES)) tri-state
    contract_usage_ptr: IntArray
    contract_usage: IntArray
    contract_service_ptr: IntArray
    contract_service: IntArray
    exit_usage: IntArray
    exit_service_org: IntArray
    exit_service: IntArray
    facts: Mapping[FactKey, Fact] = field(default_factory=dict)
