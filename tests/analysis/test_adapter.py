"""The adapter compiles the register faithfully: unknown facts stay unknown, control chains are
followed to the ultimate parent, and only the organisations asked for are read."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from regie.analysis.adapter import build_snapshot, compiled_catalogue
from regie.core.analysis import AnalysisOptions, analyse
from regie.register import services
from regie.register.models import Provenance, Service, ServiceLocation, Usage
from tests.factories import Landscape

pytestmark = pytest.mark.django_db


def exposures(landscape: Landscape, org) -> dict[str, str]:  # type: ignore[no-untyped-def]
    snap = build_snapshot(organisation_ids=[org.pk])
    (pe,) = analyse(snap, [org.pk], AnalysisOptions(detail=True)).process_exposures
    return dict(pe.states)


def test_the_irish_subsidiary_of_a_us_parent_exposes_to_us_control(landscape: Landscape) -> None:
    snap = build_snapshot(organisation_ids=[landscape.a.org.pk])
    a = analyse(snap, [landscape.a.org.pk], AnalysisOptions(detail=True))
    (pe,) = a.process_exposures
    control = [e for e in pe.exposures if e.dimension == "control"]
    assert [e.country for e in control] == ["US"]
    assert [s.name for s in control[0].evidence.path][-2:] == [
        "Hyperscaler Ireland Ltd (fictitious)",
        "Hyperscaler Inc. (fictitious)",
    ]
    # the group is the ultimate parent: one group, relied on by the one critical process
    assert [r.group for r in a.reliance] == [landscape.parent.pk]


def test_a_service_without_locations_leaves_location_unknown_not_safe(landscape: Landscape) -> None:
    ServiceLocation.objects.filter(service=landscape.service).delete()
    states = exposures(landscape, landscape.a.org)
    assert states["location"] == "unknown"
    assert states["access"] == "unknown"  # no access location was ever recorded


def test_an_unknown_country_in_the_chain_leaves_control_unknown(landscape: Landscape) -> None:
    # through the register service, as every change is made (audited, so the cache notices)
    services.register_update(actor=None, instance=landscape.parent, data={"hq_country": None})
    assert exposures(landscape, landscape.a.org)["control"] == "exposed"  # still registered in the US
    services.register_update(actor=None, instance=landscape.parent, data={"registration_country": None})
    assert exposures(landscape, landscape.a.org)["control"] == "unknown"


def test_location_facts_keep_their_provenance(landscape: Landscape) -> None:
    prov = Provenance.objects.create(source="https://example.org/dpa", checked_on=datetime.date(2026, 2, 1))
    ServiceLocation.objects.filter(service=landscape.service).update(provenance=prov)
    cat = compiled_catalogue()
    s = cat.service_index[landscape.service.pk]
    fact = cat.cols.facts[("service", s, "rest:IE")]
    assert fact.source == "https://example.org/dpa"
    assert fact.checked_on == datetime.date(2026, 2, 1)


def test_only_the_organisations_asked_for_are_read(landscape: Landscape) -> None:
    snap = build_snapshot(organisation_ids=[landscape.a.org.pk])
    assert list(snap.orgs.org_keys) == [landscape.a.org.pk]
    assert set(snap.orgs.process_keys) == {landscape.a.process.pk}
    assert set(snap.orgs.usage_keys) == {landscape.a.usage.pk, landscape.a.other_usage.pk}
    everything = build_snapshot()
    assert everything.n_orgs == 2


def test_dependencies_contracts_and_redundancy_arrive_in_the_columns(landscape: Landscape) -> None:
    snap = build_snapshot(organisation_ids=[landscape.a.org.pk])
    o = snap.orgs
    assert len(o.dep_org) == 2  # process -> usage (required), usage -> service (in a group)
    assert sorted(o.dep_group.tolist()) == [-1, 0]
    assert o.rgroup_k.tolist() == [1]
    assert o.contract_value.tolist() == [120_000.0]
    assert o.contract_end.tolist() == [datetime.date(2027, 12, 31).toordinal()]
    cap = list(np.asarray(o.contract_clauses)[0])
    from regie.core.facts import CLAUSES

    assert cap[CLAUSES.index("price_cap")] == 0  # recorded as absent
    assert cap[CLAUSES.index("exit_assistance")] == -1  # never recorded: unknown
    assert o.contract_usage.tolist() == [snap.usage_index[landscape.a.usage.pk]]


def test_a_retired_usage_drops_out_of_the_closure(landscape: Landscape) -> None:
    Usage.objects.filter(pk=landscape.a.usage.pk).update(status="retired")
    states = exposures(landscape, landscape.a.org)
    assert states["control"] == "unknown"  # the process now depends on nothing known


def test_the_catalogue_is_recompiled_after_a_change(landscape: Landscape) -> None:
    first = compiled_catalogue()
    assert compiled_catalogue() is first
    services.register_create(
        actor=None, model=Service, data={"name": "Nieuw", "provider": landscape.provider, "kind": "saas"}
    )
    assert compiled_catalogue() is not first


def test_an_override_justification_reaches_its_own_usage_only(landscape: Landscape) -> None:
    Usage.objects.filter(pk=landscape.a.usage.pk).update(
        substitutability_override="high", override_justification="Maatwerkkoppelingen"
    )
    snap = build_snapshot(organisation_ids=[landscape.a.org.pk])
    got = dict(zip(snap.orgs.usage_keys, snap.orgs.usage_justification, strict=True))
    assert got[landscape.a.usage.pk] == "Maatwerkkoppelingen"
    assert got[landscape.a.other_usage.pk] is None
    assert snap.orgs.usage_override[snap.usage_index[landscape.a.usage.pk]] == 2
