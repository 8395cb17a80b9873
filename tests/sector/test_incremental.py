"""After one organisation's register changes, only its rows of the sector digest are recomputed,
and the result equals a digest computed from scratch (ADR 107)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from regie.register import services
from regie.register.models import Dependency, LegalEntity, Organisation, Process, Usage
from regie.sector.models import SharingSettings
from regie.sector.population import _cache, forget, min_group, population, sector_state
from regie.sector.services import sharing_settings_update

from .conftest import Sector

pytestmark = pytest.mark.django_db


def state() -> Any:
    return sector_state(population(k=min_group()))


def rows_table(rows: Any) -> list[tuple[int, ...]]:
    return sorted(tuple(int(v) for v in r) for r in rows)


def named_refcomp_rows(digest: Any) -> list[tuple[Any, ...]]:
    return sorted(
        (int(o), digest.refcomp_names[int(c)], int(g), int(n)) for o, c, g, n in digest.refcomp_rows
    )


def assert_same(a: Any, b: Any) -> None:
    da, db = a.digest, b.digest
    assert a.rows == b.rows
    for name in ("critical", "relies", "control", "non_trusted_control", "subst"):
        assert np.array_equal(getattr(da, name), getattr(db, name)), name
    assert rows_table(da.group_subst_rows) == rows_table(db.group_subst_rows)
    assert named_refcomp_rows(da) == named_refcomp_rows(db)
    assert sorted(map(repr, a.contracts)) == sorted(map(repr, b.contracts))


def add_critical_process(org: Organisation, usage: Usage) -> None:
    process = services.register_create(
        actor=None,
        model=Process,
        data={
            "organisation": org,
            "name": "Belastingen",
            "availability": 3,
            "integrity": 2,
            "confidentiality": 2,
            "critical": True,
        },
    )
    services.register_create(
        actor=None,
        model=Dependency,
        data={"organisation": org, "kind": "requires", "from_process": process, "to_usage": usage},
    )


def test_a_register_change_recomputes_only_that_organisation(sector: Sector) -> None:
    before = state()
    full_before = _cache.stats.get("full_s")
    first = sector.orgs[0]
    row = before.rows[first.org.pk]
    add_critical_process(first.org, Usage.objects.filter(organisation=first.org).first())
    after = state()
    assert _cache.stats["updated_orgs"] == 1
    assert _cache.stats.get("full_s") == full_before  # no full rebuild
    assert after.digest.critical[row] == before.digest.critical[row] + 1
    others = [i for i in range(before.digest.n_orgs) if i != row]
    assert np.array_equal(after.digest.relies[others], before.digest.relies[others])
    forget()
    assert_same(after, state())


def test_a_deleted_usage_is_taken_out_of_the_digest(sector: Sector) -> None:
    state()
    org = sector.orgs[2].org
    for dependency in Dependency.objects.filter(organisation=org):
        services.register_delete(actor=None, instance=dependency)
    incremental = state()
    assert incremental.digest.relies[incremental.rows[org.pk]].sum() == 0
    forget()
    assert_same(incremental, state())


def test_opting_out_rebuilds_without_the_organisation(sector: Sector) -> None:
    assert sector.orgs[0].org.pk in state().rows
    sharing_settings_update(
        actor=None,
        organisation=sector.orgs[0].org,
        share_name_in_joint_procurement=False,
        include_in_benchmarks=False,
    )
    assert SharingSettings.objects.filter(include_in_benchmarks=False).count() == 1
    assert sector.orgs[0].org.pk not in state().rows


def test_a_catalogue_change_rebuilds_everything(sector: Sector) -> None:
    state()
    full_before = _cache.stats["full_s"]
    _cache.stats["full_s"] = -1.0
    services.register_update(
        actor=None, instance=sector.landscape.provider, data={"parent_state": "none", "parent": None}
    )
    assert LegalEntity.objects.get(pk=sector.landscape.provider.pk).parent is None
    state()
    assert _cache.stats["full_s"] >= 0
    assert full_before >= 0


def test_a_part_from_another_catalogue_is_refused(sector: Sector) -> None:
    from dataclasses import replace

    from regie.sector.digest import replace_orgs

    digest = state().digest
    other = replace(digest, group_keys=(*digest.group_keys, "extra"))
    with pytest.raises(ValueError, match="another catalogue"):
        replace_orgs(digest, other)
    stranger = replace(digest, org_keys=("not-counted", *digest.org_keys[1:]))
    with pytest.raises(ValueError, match="does not"):
        replace_orgs(digest, stranger)
