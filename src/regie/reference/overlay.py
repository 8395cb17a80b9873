"""An organisation's local overrides applied to its snapshot (an overlay on the shared catalogue).

The compiled catalogue is shared by every organisation; an override is one organisation's own
value of a catalogue fact (ADR 21). After the snapshot is built, :func:`with_overrides` copies
the catalogue columns, puts the organisation's values in, recompiles the catalogue (control
chains, provider groups, exposure masks) and returns a new snapshot on it. The facts that
carry an override are :class:`OverriddenFact` (``local_override`` = the justification), so
every piece of evidence that cites them says "locally overridden" and why.

The overlay is cached per (catalogue, overrides): analysing the same organisation again
without changes costs nothing extra.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from regie.core.catalogue import Catalogue
from regie.core.columns import CatalogueColumns, FactKey, i8, i32
from regie.core.facts import LOCATION_ROLES, PARENT_STATES, Fact
from regie.core.snapshot import Snapshot

from .models import FactOverride, OverridableField


@dataclass(frozen=True, slots=True)
class OverriddenFact(Fact):
    """A fact whose value is this organisation's own: ``local_override`` is its justification."""

    local_override: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = Fact.to_dict(self)
        out["local_override"] = self.local_override
        return out


@dataclass(frozen=True)
class Override:
    """One override in plain values: target ("entity"|"service", key), field, value, provenance."""

    kind: str
    key: Hashable
    field: str
    value: Any
    justification: str
    source: str
    checked_on: dt.date | None = None

    @property
    def fact(self) -> OverriddenFact:
        return OverriddenFact(self.source, self.checked_on, None, self.justification)


def overrides_of_organisation(organisation_id: int) -> tuple[Override, ...]:
    """The organisation's overrides as plain values (system-level read for the analysis)."""
    rows = (
        FactOverride.objects.filter(organisation_id=organisation_id)
        .select_related("provenance")
        .order_by("pk")
    )
    out = []
    for o in rows:
        kind, key = ("entity", o.entity_id) if o.entity_id is not None else ("service", o.service_id)
        prov = o.provenance
        out.append(
            Override(
                kind,
                key,
                o.field,
                o.value,
                o.justification,
                prov.source if prov is not None else "",
                prov.checked_on if prov is not None else None,
            )
        )
    return tuple(out)


def _replace_row(ptr: Any, values: Any, row: int, new: Sequence[int]) -> tuple[Any, Any]:
    lo, hi = int(ptr[row]), int(ptr[row + 1])
    vals = np.concatenate([values[:lo], np.asarray(new, dtype=values.dtype), values[hi:]])
    counts = np.diff(ptr).copy()
    counts[row] = len(new)
    out = np.zeros_like(ptr)
    np.cumsum(counts, out=out[1:])
    return out, i32(vals)


def apply_to_columns(cols: CatalogueColumns, overrides: Sequence[Override]) -> CatalogueColumns:
    """New catalogue columns with the overrides put in (the given columns are not changed).

    An override of a record the catalogue does not hold is skipped. Customer-held keys are
    not a catalogue column of the engine, so they change no figure (they are shown only).
    """
    eidx = {k: i for i, k in enumerate(cols.entity_keys)}
    sidx = {k: i for i, k in enumerate(cols.service_keys)}
    cidx = {c: i for i, c in enumerate(cols.country_codes)}
    hq, reg = cols.entity_hq.copy(), cols.entity_reg.copy()
    parent, state = cols.entity_parent.copy(), cols.entity_parent_state.copy()
    recovery = cols.service_recovery.copy()
    ptrs, vals = list(cols.location_ptr), list(cols.location_country)
    facts: dict[FactKey, Fact] = dict(cols.facts)
    for o in overrides:
        row = (eidx if o.kind == "entity" else sidx).get(o.key)
        if row is None:
            continue
        if o.field in (OverridableField.HQ_COUNTRY, OverridableField.REGISTRATION_COUNTRY):
            target, attr = (hq, "hq") if o.field == OverridableField.HQ_COUNTRY else (reg, "reg")
            target[row] = cidx.get(o.value, -1) if o.value is not None else -1
            facts[("entity", row, attr)] = o.fact
        elif o.field == OverridableField.PARENT:
            value = o.value or {"state": "unknown"}
            state[row] = PARENT_STATES.index(value["state"])
            parent[row] = eidx.get(value.get("entity"), -1) if value["state"] == "known" else -1
            facts[("entity", row, "parent")] = o.fact
        elif o.field.startswith("locations."):
            r = LOCATION_ROLES.index(o.field.split(".", 1)[1])
            role = LOCATION_ROLES[r]
            lo, hi = int(ptrs[r][row]), int(ptrs[r][row + 1])
            for c in vals[r][lo:hi].tolist():  # the catalogue's facts no longer apply
                facts.pop(("service", row, f"{role}:{cols.country_codes[c] if c >= 0 else None}"), None)
            codes = sorted(set(o.value)) if o.value else []
            new = [cidx[c] for c in codes if c in cidx] or [-1]  # -1: explicitly unknown
            ptrs[r], vals[r] = _replace_row(ptrs[r], vals[r], row, new)
            for c in codes:
                facts[("service", row, f"{role}:{c}")] = o.fact
        elif o.field == OverridableField.RECOVERY_HOURS:
            recovery[row] = np.nan if o.value is None else float(o.value)
    return replace(
        cols,
        entity_hq=i32(hq),
        entity_reg=i32(reg),
        entity_parent=i32(parent),
        entity_parent_state=i8(state),
        service_recovery=recovery,
        location_ptr=(i32(ptrs[0]), i32(ptrs[1]), i32(ptrs[2])),
        location_country=(i32(vals[0]), i32(vals[1]), i32(vals[2])),
        facts=facts,
    )


_cache: dict[tuple[int, str], Catalogue] = {}
_lock = threading.Lock()
_CACHE_SIZE = 32


def overridden_catalogue(catalogue: Catalogue, overrides: Sequence[Override]) -> Catalogue:
    """The catalogue with these overrides applied, compiled (cached per catalogue and overrides)."""
    key = (id(catalogue), json.dumps([o.__dict__ for o in overrides], sort_keys=True, default=str))
    with _lock:
        found = _cache.get(key)
    if found is not None and found.memo.get("overlay_base") is catalogue:
        return found
    compiled = Catalogue.compile(apply_to_columns(catalogue.cols, overrides))
    compiled.memo["overlay_base"] = catalogue  # keeps id(catalogue) from being reused
    with _lock:
        if len(_cache) >= _CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
        _cache[key] = compiled
    return compiled


def with_overrides(snap: Snapshot, organisation_id: int) -> Snapshot:
    """The snapshot of one organisation with its local overrides applied (itself if none)."""
    overrides = overrides_of_organisation(organisation_id)
    if not overrides:
        return snap
    return Snapshot.from_arrays(overridden_catalogue(snap.catalogue, overrides), snap.orgs)
