"""Privacy: an attacker with the sector role tries to single out one organisation."""

from __future__ import annotations

import contextlib
import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from regie.audit.models import AuditEntry
from regie.sector.disclosure import SuppressedError
from regie.sector.population import GroupFilter, forget, population
from regie.sector.selectors import peer_benchmark, sector_report
from regie.sector.services import sharing_settings_of, sharing_settings_update

from .conftest import Sector


def _reliance_orgs(report: dict) -> int:  # type: ignore[type-arg]
    return sum(row["orgs"] or 0 for row in report["reliance"])


def test_singling_out_the_water_authority_by_filters_and_differences_fails(sector: Sector) -> None:
    everyone = sector_report(user=sector.analyst, chosen=GroupFilter())
    assert everyone["population"]["orgs"] == 11
    attempts = [
        GroupFilter(kind="municipality"),  # all minus this is the water authority
        GroupFilter(province="NH"),
        GroupFilter(kind="municipality", province="NH"),  # NH minus this is the water authority
        GroupFilter(kind="water_authority"),
        GroupFilter(province="UT"),
    ]
    answered = {}
    for chosen in attempts:
        with contextlib.suppress(SuppressedError):
            answered[chosen.key] = sector_report(user=sector.analyst, chosen=chosen)
    # whatever was answered, no two answered groups differ by fewer than k organisations
    pop = population(k=5)
    groups = {key: pop.admission.members(key) for key in [GroupFilter().key, *answered]}
    for (ka, a), (kb, b) in itertools.combinations(groups.items(), 2):
        assert len(a ^ b) == 0 or len(a ^ b) >= 5, (ka, kb)
    assert GroupFilter(kind="municipality").key not in answered
    assert GroupFilter(kind="water_authority").key not in answered


def test_every_admitted_group_combination_leaves_atoms_of_at_least_k(sector: Sector) -> None:
    from regie.sector.groups import atoms_of

    pop = population(k=5)
    assert all(n >= 5 for n in atoms_of(pop.admission.admitted).values())


def test_sector_view_requires_the_sector_role(sector: Sector) -> None:
    with pytest.raises(PermissionDenied):
        sector_report(user=sector.orgs[0].admin, chosen=GroupFilter())


@override_settings(REGIE_SECTOR_MIN_GROUP=12)
def test_a_population_below_k_is_suppressed_entirely(sector: Sector) -> None:
    forget()
    with pytest.raises(SuppressedError):
        sector_report(user=sector.analyst, chosen=GroupFilter())


def test_rows_over_fewer_than_k_organisations_are_suppressed(sector: Sector) -> None:
    report = sector_report(user=sector.analyst, chosen=GroupFilter())
    for section in ("reliance", "refcomp_hhi", "jurisdictions", "substitutability"):
        for row in report[section]:
            assert row["suppressed"] == ((row["orgs"] or 0) < 5)
    subst = {row["class"]: row for row in report["substitutability"]}
    assert any(row["suppressed"] for row in subst.values())  # classes no organisation has


def test_opting_out_removes_the_organisation_from_every_aggregate(sector: Sector) -> None:
    wa = sector.orgs[-1]
    sharing_settings_update(
        actor=wa.admin,
        organisation=wa.org,
        share_name_in_joint_procurement=False,
        include_in_benchmarks=False,
    )
    report = sector_report(user=sector.analyst, chosen=GroupFilter())
    assert report["population"]["orgs"] == 10


def test_consent_changes_are_audited_with_before_and_after(sector: Sector) -> None:
    data = sector.orgs[0]
    assert sharing_settings_of(data.org).include_in_benchmarks is True
    sharing_settings_update(
        actor=data.admin,
        organisation=data.org,
        share_name_in_joint_procurement=True,
        include_in_benchmarks=True,
    )
    sharing_settings_update(
        actor=data.admin,
        organisation=data.org,
        share_name_in_joint_procurement=False,
        include_in_benchmarks=True,
    )
    entries = list(
        AuditEntry.objects.filter(object_type="sector.sharingsettings", organisation_id=data.org.pk).order_by(
            "id"
        )
    )
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].before["share_name_in_joint_procurement"] is True
    assert entries[1].after["share_name_in_joint_procurement"] is False
    assert entries[1].actor == data.admin


def test_only_an_administrator_may_change_consent(sector: Sector) -> None:
    data = sector.orgs[0]
    with pytest.raises(PermissionDenied):
        sharing_settings_update(
            actor=data.editor,
            organisation=data.org,
            share_name_in_joint_procurement=True,
            include_in_benchmarks=True,
        )


def test_peer_benchmark_below_k_peers_is_suppressed(sector: Sector) -> None:
    wa = sector.orgs[-1]  # the only water authority
    with pytest.raises(SuppressedError):
        peer_benchmark(user=wa.viewer, organisation=wa.org)
