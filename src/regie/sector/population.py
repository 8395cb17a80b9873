"""Who is counted, which groups may be aggregated, and the cached digest (Django side)."""

from __future__ import annotations

import itertools
import threading
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
from .digest import Digest, build_digest
from .disclosure import DEFAULT_MIN_GROUP
from .groups import Admission, admit
from .models import SharingSettings


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
    _digest: list[tuple[Digest, dict[int, int], Snapshot]] = field(default_factory=list)

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


_cache: dict[str, Any] = {}
_lock = threading.Lock()


def _revision() -> tuple[object, ...]:
    return (
        catalogue_revision(),
        AuditEntry.objects.aggregate(m=Max("id"))["m"],
        Organisation.objects.count(),
    )


def population(*, k: int) -> Population:
    """The population and its admitted groups, rebuilt when anything audited changed."""
    revision = (_revision(), k)
    with _lock:
        if _cache.get("revision") != revision:
            orgs = _org_rows()
            _cache["population"] = Population(orgs, admit(candidates(orgs), k=k), k)
            _cache["revision"] = revision
        pop: Population = _cache["population"]
        return pop


def digest_of(pop: Population) -> tuple[Digest, dict[int, int], Snapshot]:
    """The digest of the population (computed once per population), with the row of each
    organisation id."""
    with _lock:
        if not pop._digest:
            snap = build_snapshot(organisation_ids=sorted(pop.orgs))
            digest = build_digest(snap)
            rows = {int(str(key)): i for i, key in enumerate(digest.org_keys)}
            pop._digest.append((digest, rows, snap))
        return pop._digest[0]


def mask_of(digest: Digest, rows: dict[int, int], members: frozenset[int]) -> Any:
    mask = np.zeros(digest.n_orgs, dtype=bool)
    mask[[rows[m] for m in members if m in rows]] = True
    return mask


def forget() -> None:
    """Drop the cached population (tests change consent within one revision)."""
    with _lock:
        _cache.clear()
