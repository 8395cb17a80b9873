"""One small hand-made landscape per rule of domain.md §3, with the answer worked out."""

from __future__ import annotations

import pytest

from regie.core.concentration import hhi, hhi_band
from regie.core.continuity import Failure, simulate
from tests.core.handmade import GLEIF, Land, analysis, graph


def us_parent_with_eu_subsidiary() -> Land:
    return (
        Land()
        .entity("msft", "US")
        .entity("msie", "IE", parent="msft")
        .service("m365", "msie")
        .process("p1")
        .usage("u1")
        .needs("p1", "u1")
        .needs("u1", "m365")
    )


def exposure(snap, dim):  # type: ignore[no-untyped-def]
    (pe,) = analysis(snap).process_exposures
    return pe.state(dim), [e for e in pe.exposures if e.dimension == dim]


def test_control_exposure_runs_through_an_eu_subsidiary_to_its_us_parent() -> None:
    state, items = exposure(us_parent_with_eu_subsidiary().build(), "control")
    assert state == "exposed"
    (item,) = items
    assert item.country == "US"
    assert [law for law, _ in item.laws] == ["cloud", "fisa"]
    assert [(s.kind, s.key) for s in item.evidence.path] == [
        ("process", "p1"),
        ("usage", "u1"),
        ("service", "m365"),
        ("entity", "msie"),
        ("entity", "msft"),
    ]
    hq = [f for f in item.evidence.facts if f.attribute == "hq"]
    assert hq[0].key == "msft"
    assert hq[0].value == "US"
    assert hq[0].fact == GLEIF
    assert item.evidence.to_dict()["facts"][0]["fact"]["checked_on"] == "2026-01-05"


def test_control_by_a_dutch_group_is_no_exposure() -> None:
    land = Land().entity("nl", "NL").service("s", "nl").process("p1").usage("u1")
    snap = land.needs("p1", "u1").needs("u1", "s").build()
    assert exposure(snap, "control") == ("none", [])


def test_location_exposure_from_data_at_rest_abroad() -> None:
    land = Land().entity("nl", "NL").service("s", "nl", rest="US").process("p1").usage("u1")
    snap = land.needs("p1", "u1").needs("u1", "s").build()
    state, items = exposure(snap, "location")
    assert state == "exposed"
    assert [i.country for i in items] == ["US"]
    assert items[0].laws == ()  # neither US law here is triggered by location
    assert exposure(snap, "control")[0] == "none"


def test_access_exposure_names_only_the_laws_triggered_by_access() -> None:
    land = Land().entity("nl", "NL").service("s", "nl", access="US").process("p1").usage("u1")
    snap = land.needs("p1", "u1").needs("u1", "s").build()
    state, items = exposure(snap, "access")
    assert state == "exposed"
    assert [law for law, _ in items[0].laws] == ["fisa"]
    assert items[0].evidence.facts[0].attribute == "access"


def test_unknown_parent_makes_control_unknown_not_safe() -> None:
    land = Land().entity("nl", "NL", state="unknown").service("s", "nl").process("p1")
    snap = land.usage("u1").needs("p1", "u1").needs("u1", "s").build()
    state, items = exposure(snap, "control")
    assert state == "unknown"
    (item,) = items
    assert item.country is None
    assert any(f.attribute == "parent" and f.value is None for f in item.evidence.facts)


def test_unknown_provider_and_unknown_location_count_as_unknown() -> None:
    land = Land().service("s", None, rest=None).process("p1").usage("u1")
    snap = land.needs("p1", "u1").needs("u1", "s").build()
    assert exposure(snap, "control")[0] == "unknown"
    assert exposure(snap, "location")[0] == "unknown"
    assert exposure(snap, "access")[0] == "none"


def test_a_usage_on_no_service_is_unknown_everywhere() -> None:
    snap = Land().process("p1").usage("u1").needs("p1", "u1").build()
    for dim in ("control", "location", "access"):
        state, items = exposure(snap, dim)
        assert state == "unknown"
        assert items[0].evidence.note == "runs on no known service"


def test_exposure_inside_the_trusted_set_is_listed_only_on_request() -> None:
    snap = us_parent_with_eu_subsidiary().build()
    from regie.core.exposure import exposure_matrix, process_exposures

    g = graph(snap)
    (pe,) = process_exposures(g, exposure_matrix(g), all_countries=True)
    ctrl = {(e.country, e.trusted) for e in pe.exposures if e.dimension == "control"}
    assert ctrl == {("IE", True), ("US", False)}


def failover(k: int) -> Land:
    return (
        Land()
        .entity("a", "NL")
        .entity("b", "DE")
        .service("sa", "a")
        .service("sb", "b")
        .process("p1")
        .usage("u1")
        .group("g", k)
        .needs("p1", "u1")
        .needs("u1", "sa", "sb", group="g")
    )


def test_one_of_two_keeps_working_when_one_member_fails() -> None:
    g = graph(failover(1).build())
    assert simulate(g, Failure(services=("sa",))).failed == ()
    assert simulate(g, Failure(services=("sa", "sb"))).failed == ("p1",)


def test_two_of_two_fails_when_either_member_fails() -> None:
    g = graph(failover(2).build())
    assert simulate(g, Failure(services=("sb",))).failed == ("p1",)


def test_k_larger_than_the_group_means_every_member_is_needed() -> None:
    g = graph(failover(5).build())
    assert simulate(g, Failure()).failed == ()
    assert simulate(g, Failure(services=("sa",))).failed == ("p1",)


def test_a_cycle_of_integrations_does_not_fail_by_itself() -> None:
    land = (
        Land()
        .entity("a", "NL")
        .service("s1", "a")
        .service("s2", "a")
        .process("p1")
        .process("p2")
        .usage("u1")
        .usage("u2")
        .needs("p1", "u1")
        .needs("p2", "u2")
        .needs("u1", "u2")
        .needs("u2", "u1")
        .needs("u1", "s1")
        .needs("u2", "s2")
    )
    g = graph(land.build())
    assert simulate(g, Failure()).failed == ()
    assert set(simulate(g, Failure(services=("s2",))).failed) == {"p1", "p2"}


def test_single_points_of_failure_include_a_common_cause_under_a_failover() -> None:
    land = (
        Land()
        .entity("a", "NL")
        .entity("b", "DE")
        .entity("c", "NL")
        .service("iaas", "c", kind="IaaS")
        .service("sa", "a", runs_on=["iaas"])
        .service("sb", "b", runs_on=["iaas"])
        .service("s1", "a")
        .process("p1")
        .usage("u1")
        .usage("u2")
        .group("g", 1)
        .needs("p1", "u1", "u2")
        .needs("u1", "s1")
        .needs("u2", "sa", "sb", group="g")
    )
    spofs = {(s.kind, s.key) for s in analysis(land.build()).spofs}
    assert spofs == {("usage", "u1"), ("usage", "u2"), ("service", "s1"), ("service", "iaas")}


def test_non_critical_processes_have_no_single_points_of_failure_listed() -> None:
    land = Land().entity("a", "NL").service("s", "a").process("p1", critical=False)
    snap = land.usage("u1").needs("p1", "u1").needs("u1", "s").build()
    result = analysis(snap)
    assert result.spofs == ()
    assert result.spof_count == 0


def test_recovery_slower_than_the_tolerable_downtime_is_a_gap() -> None:
    land = Land().entity("a", "NL").service("s", "a", recovery=8.0).process("p1", mtd=4.0)
    snap = land.usage("u1").needs("p1", "u1").needs("u1", "s").build()
    (gap,) = analysis(snap).recovery
    assert gap.state == "gap"
    assert gap.services == (("s", 8.0),)


def test_rto_longer_than_mtd_is_a_gap_and_unknown_recovery_is_unknown() -> None:
    land = Land().entity("a", "NL").service("s", "a").process("p1", mtd=4.0, rto=8.0)
    land.process("p2", mtd=4.0).usage("u1").needs("p1", "u1").needs("p2", "u1")
    snap = land.needs("u1", "s").build()
    gaps = {g.process: g.state for g in analysis(snap).recovery}
    assert gaps == {"p1": "gap", "p2": "unknown"}


def test_cut_off_from_a_country_fails_what_it_controls_and_flags_unknown_control() -> None:
    land = (
        us_parent_with_eu_subsidiary()
        .entity("x", "NL", state="unknown")
        .service("sx", "x")
        .process("p2")
        .usage("u2")
        .needs("p2", "u2")
        .needs("u2", "sx")
    )
    out = simulate(graph(land.build()), Failure(controlled_from=("US",)))
    assert out.failed == ("p1",)
    assert out.possibly_failed == ("p2",)


def test_blast_radius_of_a_group_weights_availability_and_downtime() -> None:
    snap = us_parent_with_eu_subsidiary().process("p2", a=1, mtd=100).needs("p2", "u1").build()
    result = analysis(snap)
    figures = result.figures()
    assert figures["blast.msft.processes"] == 2
    # p1: availability 3 x urgency 2 (MTD 24 h); p2: 1 x 1 (MTD 100 h)
    assert figures["blast.msft.impact"] == 3 * 2 + 1 * 1


@pytest.mark.parametrize(
    ("shares", "expected", "band"),
    [
        ([10] * 10, 1000, "unconcentrated"),
        ([20] * 5, 2000, "moderate"),
        ([50, 50], 5000, "high"),
        ([100], 10000, "high"),
    ],
)
def test_hhi_and_its_bands(shares: list[float], expected: float, band: str) -> None:
    assert hhi(shares) == pytest.approx(expected)
    assert hhi_band(hhi(shares)) == band


def test_hhi_band_boundaries() -> None:
    assert hhi_band(1499.9) == "unconcentrated"
    assert hhi_band(1500) == "moderate"
    assert hhi_band(2500) == "moderate"
    assert hhi_band(2500.1) == "high"


def test_reliance_is_the_share_of_critical_processes_whose_closure_holds_the_group() -> None:
    land = us_parent_with_eu_subsidiary().entity("nl", "NL").service("s", "nl")
    land.process("p2").process("p3").process("p4").process("p5", critical=False)
    land.usage("u2").needs("u2", "s")
    land.needs("p2", "u1").needs("p3", "u1").needs("p4", "u2").needs("p5", "u1")
    reliance = analysis(land.build()).reliance
    assert {r.group: r.share for r in reliance} == {"msft": 0.75, "nl": 0.25}
    msft = next(r for r in reliance if r.group == "msft")
    assert [s.key for s in msft.evidence.path] == ["p1", "u1", "m365", "msie", "msft"]


def test_spend_share_per_group_and_its_hhi() -> None:
    land = us_parent_with_eu_subsidiary().entity("nl", "NL")
    land.contract("c1", "msie", 600.0).contract("c2", "nl", 400.0).contract("c3", "nl", None)
    result = analysis(land.build())
    assert result.spend is not None
    assert {s.group: s.share for s in result.spend.shares} == {"msft": 0.6, "nl": 0.4}
    assert result.spend.hhi == pytest.approx(3600 + 1600)
    assert result.spend.band == "high"
    assert result.spend_unknown_contracts == 1


def test_usage_share_per_reference_component_by_supplier_group() -> None:
    land = us_parent_with_eu_subsidiary().entity("nl", "NL")
    land.product("zs1", "msie", refcomps=["Zaaksysteem"])
    land.product("zs2", "nl", refcomps=["Zaaksysteem"])
    land.usage("u2", "zs1").usage("u3", "zs1").usage("u4", "zs2")
    (table,) = analysis(land.build()).refcomp_shares
    assert table.category == "Zaaksysteem"
    assert [(s.group, s.value) for s in table.shares] == [("msft", 2.0), ("nl", 1.0)]
    assert table.hhi == pytest.approx((200 / 3) ** 2 + (100 / 3) ** 2)


def test_lock_in_without_alternatives_and_closed_export_is_not_substitutable() -> None:
    land = us_parent_with_eu_subsidiary()
    land.product("closed", "msie", alternatives=0, open_export=False)
    land.product("open", "msie", alternatives=3, open_export=True)
    land.usage("u2", "closed").usage("u3", "open", data_volume_gb=10.0)
    land.contract("c", "msie", 100.0, usages=["u3"], exit_assistance=True, data_return_open_format=True)
    land.b.add_exit_plan(org="gm", usage="u2")
    subs = {s.key: s for s in analysis(land.build()).substitutability}
    assert subs["u2"].exit_plan
    assert not subs["u3"].exit_plan
    assert subs["u2"].substitutability == "not_substitutable"
    assert subs["u2"].reason == "both"
    assert subs["u3"].substitutability == "easily_substitutable"
    assert subs["u3"].reason is None
    facts = {f.attribute: f.value for f in subs["u2"].evidence.facts}
    assert facts["alternatives"] == 0
    assert facts["open_export"] is False


def test_a_user_override_is_carried_through_with_its_justification() -> None:
    land = us_parent_with_eu_subsidiary().product("open", "msie", alternatives=3)
    land.usage(
        "u2", "open", substitutability_override="highly_complex", override_justification="koppelingen met BRP"
    )
    sub = next(s for s in analysis(land.build()).substitutability if s.key == "u2")
    assert sub.overridden
    assert sub.substitutability == "highly_complex"
    assert sub.computed != sub.substitutability
    assert sub.justification == "koppelingen met BRP"


def test_price_power_counts_uncapped_spend_and_what_cannot_be_escaped() -> None:
    land = us_parent_with_eu_subsidiary().entity("nl", "NL")
    land.product("open", "msie", alternatives=3).product("closed", "nl", alternatives=0, open_export=False)
    land.usage("u2", "open", data_volume_gb=1.0).usage("u3", "closed")
    land.contract(
        "c1",
        "msie",
        1000.0,
        usages=["u2"],
        price_cap=False,
        exit_assistance=True,
        data_return_open_format=True,
    )
    land.contract("c2", "nl", 500.0, usages=["u3"], price_cap=None)
    land.contract("c3", "nl", 800.0, usages=["u3"], price_cap=True)
    price = {p.group: p for p in analysis(land.build()).price}
    # msft: 10 % of 1000, escapable (easily substitutable)
    assert price["msft"].rise_cost == pytest.approx(100.0)
    assert price["msft"].inescapable_cost == pytest.approx(0.0)
    # nl: the capped contract does not rise; the unknown cap counts as uncapped
    assert price["nl"].spend == pytest.approx(1300.0)
    assert price["nl"].uncapped_spend == pytest.approx(500.0)
    assert price["nl"].rise_cost == pytest.approx(50.0)
    assert price["nl"].inescapable_cost == pytest.approx(50.0)


def test_every_result_renders_to_plain_json() -> None:
    import json

    snap = us_parent_with_eu_subsidiary().contract("c", "msie", 10.0, usages=["u1"]).build()
    text = json.dumps(analysis(snap).to_dict())
    assert '"msft"' in text


def test_services_an_organisation_uses_get_a_substitutability_class_too() -> None:
    land = us_parent_with_eu_subsidiary().product("teams", "msie", alternatives=3)
    land.entity("nl", "NL").service("mail", "nl", product="teams").service("bare", "nl")
    land.usage("u2").needs("u2", "mail", "bare")
    land.contract("c", "nl", 10.0, services=["mail"], exit_assistance=True, data_return_open_format=True)
    land.b.add_exit_plan(org="gm", service="mail")
    subs = {s.key: s for s in analysis(land.build()).service_substitutability}
    assert subs["mail"].org == "gm"
    assert subs["mail"].substitutability == "easily_substitutable"  # only the volume unknown
    assert subs["mail"].exit_plan
    assert subs["bare"].substitutability == "not_substitutable"  # no product, nothing known
    assert subs["bare"].reason == "both"
    assert {f.attribute for f in subs["bare"].evidence.facts} >= {"alternatives", "open_export"}


def test_price_power_uses_the_class_of_a_covered_service() -> None:
    land = us_parent_with_eu_subsidiary().product("teams", "msie", alternatives=3)
    land.entity("nl", "NL").service("mail", "nl", product="teams").usage("u2")
    land.needs("u2", "mail")
    land.contract(
        "c",
        "nl",
        1000.0,
        services=["mail"],
        price_cap=False,
        exit_assistance=True,
        data_return_open_format=True,
    )
    (nl,) = [p for p in analysis(land.build()).price if p.group == "nl"]
    assert nl.rise_cost == pytest.approx(100.0)
    assert nl.inescapable_cost == pytest.approx(0.0)  # the service is easily substitutable
