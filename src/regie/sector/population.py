"""Who is counted, which groups may be aggregated, and the cached digest (Django side)."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Max

from regie.analysis.adapter import build_snapshot, catalogue_revision
from regie.audit.models import AuditEntry
from regie.core.snapshot import Snapshot
from regie.register.models import Organisation

from .benchmark import size_band
from .digest import Digest, build_digest, replace_orgs
from .disclosure import DEFAULT_MIN_GROUP
from .groups import Admission, admit
from .models import SharingSettings
from .procurement import ContractRow, contract_rows


def min_group() -> int:
    """k: ``settings.REGIE_SECTOR_MIN_GROUP`` (default 5), never below 2."""
    return max(2, int(getattr(settings, "REGIE_SECTOR_MIN_GROUP", DEFAULT_MIN_GROUP)))


@dataclass(frozen=True)
class GroupFilter:
    """A chosen group: every filter left empty means "any"."""

    kind: str = ""
    province: str = ""
    joint_arrangement: str = ""  # code of the joint arrangement whose members are chosen

    @property
    def key(self) -> str:
        return f"kind={self.kind}&province={self.province}&ja={self.joint_arrangement}"

    @property
    def rank(self) -> int:
        return sum(bool(v) for v in (self.kind, self.province, self.joint_arrangement))


@dataclass(frozen=True)
class OrgRow:
    pk: int
    code: str
    kind: str
    province: str
    inhabitants: int | None
    arrangements: frozenset[str]
    share_name: bool

    @property
    def band(self) -> str:
        return size_band(self.inhabitants)


@dataclass(frozen=True, eq=False)
class Population:
    """The organisations counted in sector aggregates (those that did not opt out)."""

    orgs: dict[int, OrgRow]
    admission: Admission
    k: int

    def members(self, chosen: GroupFilter) -> frozenset[int]:
        return frozenset(
            o.pk
            for o in self.orgs.values()
            if (not chosen.kind or o.kind == chosen.kind)
            and (not chosen.province or o.province == chosen.province)
            and (not chosen.joint_arrangement or chosen.joint_arrangement in o.arrangements)
        )

    def peer_key(self, pk: int) -> str:
        o = self.orgs[pk]
        return f"peers:{o.kind}:{o.band}"


def _org_rows() -> dict[int, OrgRow]:
    opted_out = set(
        SharingSettings.objects.filter(include_in_benchmarks=False).values_list("organisation_id", flat=True)
    )
    names = set(
        SharingSettings.objects.filter(share_name_in_joint_procurement=True).values_list(
            "organisation_id", flat=True
        )
    )
    arrangements: dict[int, set[str]] = {}
    through = Organisation.joint_arrangements.through
    for member, code in through.objects.values_list("from_organisation_id", "to_organisation__code"):
        arrangements.setdefault(member, set()).add(code)
    return {
        pk: OrgRow(pk, code, kind, province, inh, frozenset(arrangements.get(pk, ())), pk in names)
        for pk, code, kind, province, inh in Organisation.objects.order_by("pk").values_list(
            "pk", "code", "kind", "province", "inhabitants"
        )
        if pk not in opted_out
    }


def candidates(orgs: dict[int, OrgRow]) -> list[tuple[Hashable, frozenset[int], int]]:
    """Every group a caller can reach: all filter combinations and the peer groups."""
    kinds = ["", *sorted({o.kind for o in orgs.values()})]
    provinces = ["", *sorted({o.province for o in orgs.values() if o.province})]
    jas = ["", *sorted({a for o in orgs.values() for a in o.arrangements})]
    out: list[tuple[Hashable, frozenset[int], int]] = []
    pop = Population(orgs, Admission({}, {}), 0)
    for kind, province, ja in itertools.product(kinds, provinces, jas):
        chosen = GroupFilter(kind, province, ja)
        out.append((chosen.key, pop.members(chosen), chosen.rank))
    peers: dict[str, set[int]] = {}
    for o in orgs.values():
        peers.setdefault(pop.peer_key(o.pk), set()).add(o.pk)
    out += [(key, frozenset(m), 1) for key, m in peers.items()]
    return out


@dataclass(frozen=True, eq=False)
class SectorState:
    """What every sector aggregate is computed from: the digest, the row of each organisation
    id, and every contract of the counted organisations (for joint procurement)."""

    digest: Digest
    rows: dict[int, int]
    contracts: tuple[ContractRow, ...]


@dataclass
class _Cache:
    """The population and its digest, and how far the audit trail has been taken into account.

    ``dirty`` holds the organisations whose register changed since the digest was computed:
    their rows are recomputed on the next read, the others are kept (ADR 107).
    """

    key: tuple[object, ...] | None = None  # (catalogue revision, organisation count, k)
    audit: int | None = None
    population: Population | None = None
    state: SectorState | None = None
    dirty: set[int] = field(default_factory=set)
    stats: dict[str, float] = field(default_factory=dict)


_cache = _Cache()
_lock = threading.Lock()


def _last_audit() -> int | None:
    last: int | None = AuditEntry.objects.aggregate(m=Max("id"))["m"]
    return last


def population(*, k: int) -> Population:
    """The population and its admitted groups.

    Rebuilt from scratch when the catalogue changed or an organisation came or went. After an
    audited change of some organisations' records only the population rows are re-read (consent,
    kind, province, arrangements: admission is recomputed only if one of them changed), and those
    organisations are marked for the digest to recompute their rows alone.
    """
    key: tuple[object, ...] = (catalogue_revision(), Organisation.objects.count(), k)
    last = _last_audit()
    with _lock:
        if _cache.key != key or _cache.population is None:
            _rebuild(key, last, k)
        elif _cache.audit != last:
            changed = set(
                AuditEntry.objects.filter(id__gt=_cache.audit or 0).values_list("organisation_id", flat=True)
            )
            if None in changed:  # a catalogue or system-wide change: nothing can be kept
                _rebuild(key, last, k)
            else:
                orgs = _org_rows()
                if orgs != _cache.population.orgs:
                    if set(orgs) != set(_cache.population.orgs):
                        _cache.state = None  # counted organisations changed: new digest
                    _cache.population = Population(orgs, admit(candidates(orgs), k=k), k)
                _cache.dirty |= {int(pk) for pk in changed if pk is not None}
                _cache.audit = last
        assert _cache.population is not None
        return _cache.population


def _rebuild(key: tuple[object, ...], last: int | None, k: int) -> None:
    orgs = _org_rows()
    _cache.key, _cache.audit = key, last
    _cache.population = Population(orgs, admit(candidates(orgs), k=k), k)
    _cache.state, _cache.dirty = None, set()


def _state(snap: Snapshot) -> SectorState:
    digest = build_digest(snap)
    rows = {int(str(key)): i for i, key in enumerate(digest.org_keys)}
    return SectorState(digest, rows, tuple(contract_rows(snap)))


def sector_state(pop: Population) -> SectorState:
    """The digest of the population: computed whole once, then per changed organisation."""
    with _lock:
        if _cache.state is None or set(_cache.state.rows) != set(pop.orgs):
            t0 = time.perf_counter()
            _cache.state = _state(build_snapshot(organisation_ids=sorted(pop.orgs)))
            _cache.dirty = set()
            _cache.stats["full_s"] = time.perf_counter() - t0
        elif _cache.dirty:
            t0 = time.perf_counter()
            try:
                _cache.state = _updated(_cache.state, sorted(_cache.dirty & set(_cache.state.rows)))
            except ValueError:  # the catalogue changed in between: its groups no longer match
                _cache.state = _state(build_snapshot(organisation_ids=sorted(pop.orgs)))
            _cache.stats["update_s"] = time.perf_counter() - t0
            _cache.stats["updated_orgs"] = len(_cache.dirty)
            _cache.dirty = set()
        return _cache.state


def _updated(state: SectorState, org_ids: list[int]) -> SectorState:
    """The state with the rows and contracts of these organisations recomputed."""
    if not org_ids:
        return state
    part = _state(build_snapshot(organisation_ids=org_ids))
    changed = {str(pk) for pk in org_ids}
    contracts = tuple(c for c in state.contracts if str(c.org) not in changed) + part.contracts
    return SectorState(replace_orgs(state.digest, part.digest), state.rows, contracts)


def digest_of(pop: Population) -> tuple[Digest, dict[int, int], SectorState]:
    """The digest of the population with the row of each organisation id, and the state."""
    state = sector_state(pop)
    return state.digest, state.rows, state


def mask_of(digest: Digest, rows: dict[int, int], members: frozenset[int]) -> Any:
    mask = np.zeros(digest.n_orgs, dtype=bool)
    mask[[rows[m] for m in members if m in rows]] = True
    return mask


def forget() -> None:
    """Drop the cached population and digest (tests change consent within one revision)."""
    with _lock:
        _cache.key = _cache.audit = _cache.population = _cache.state = None
        _cache.dirty = set()
