"""The roadmap's order follows risk reduction per euro, worked out by hand on
tests/planning/landscape.py; plans whose cost is unknown or whose effect cannot be computed
are listed apart, never ranked."""

from __future__ import annotations

import pytest

from regie.planning.roadmap import roadmap_for
from regie.register.models import Usage
from regie.register.selectors import NotVisibleError
from tests.factories import make_user
from tests.planning.landscape import ExitLandscape, make_exit_landscape, plan

pytestmark = pytest.mark.django_db

# Risk points (regie.planning.risk): control 25, location/access 10, unknown 10, reliance 20,
# blast 20, lock-in 15, each times a share. Three critical processes.
#
# Before: Vergunningen and Belastingen are controlled from the US (2/3 → 16.667) with support
# access from the US (2/3 → 6.667); both rely on Cloud Holdings (2/3 → 13.333), whose failure
# stops both (2/3 → 13.333); every product has an alternative, each usage scores 4 (export,
# exit, data return and volume unknown): medium complexity, no lock-in points. Total 50.
#
# Each move to a product that has no alternative of its own makes that usage not
# substitutable (+1/3 of 15 = 5 points): the engine's semantics, shown honestly.
#
# Alone: Heffing → Euro Tax leaves Vergunningen exposed: 8.333 + 3.333 + 6.667 + 6.667 + 5
# = 30, a reduction of 20 for EUR 20,000 (1.0 per thousand euro); Zaken → Euro Zaak likewise
# reduces 20 for EUR 40,000 (0.5 per thousand); CMS → Euro CMS only adds lock-in: −5.
# Greedy: Euro Tax first; then Euro Zaak on top: 0 + 0 + 6.667 + 6.667 + 10 = 23.333, a
# reduction of 6.667; then Euro CMS: 28.333, a reduction of −5.


def _plans(land: ExitLandscape) -> dict[str, int]:
    return {
        "zaak": plan(land, "Exit Zaak Cloud", land.zaken, land.euro_zaak, 40_000).pk,
        "tax": plan(land, "Exit Tax Cloud", land.heffing, land.euro_tax, 20_000).pk,
        "cms": plan(land, "Exit CMS", land.cms, land.euro_cms, 10_000).pk,
        "unknown_cost": plan(land, "Exit zonder kosten", land.zaken, land.euro_zaak, None).pk,
        "vapour": plan(land, "Exit naar Vapour", land.zaken, land.vapour, 1_000).pk,
        "none": plan(land, "Exit zonder alternatief", land.heffing, None, 5_000).pk,
    }


def test_the_order_follows_risk_reduction_per_euro_cumulatively() -> None:
    land = make_exit_landscape()
    ids = _plans(land)
    road = roadmap_for(user=land.viewer, organisation=land.org)
    assert road.risk_before == pytest.approx(50.0, abs=1e-4)
    assert [s.plan.pk for s in road.steps] == [ids["tax"], ids["zaak"], ids["cms"]]
    tax, zaak, cms = road.steps
    assert tax.risk_reduction == pytest.approx(20.0, abs=1e-4)
    assert tax.per_euro == pytest.approx(20.0 / 20_000)
    assert tax.risk_after == pytest.approx(30.0, abs=1e-4)
    assert zaak.risk_reduction == pytest.approx(20.0 / 3, abs=1e-4)
    assert zaak.risk_after == pytest.approx(70.0 / 3, abs=1e-4)
    assert cms.risk_reduction == pytest.approx(-5.0, abs=1e-4)
    assert cms.risk_after == pytest.approx(85.0 / 3, abs=1e-4)
    assert [s.cumulative_cost for s in road.steps] == [20_000, 60_000, 70_000]
    # per euro is what decides: the cheapest plan (CMS) comes last, and the plan that reduces
    # as much as Euro Tax on its own (Euro Zaak) comes second because it costs twice as much
    ratios = [s.per_euro for s in road.steps]
    assert ratios == sorted(ratios, reverse=True)  # type: ignore[type-var]
    # the figures after each step are the cumulative scenario: control exposure 2 → 1 → 0
    control = {r.name: r for r in zaak.figures_after}["exposure.control.exposed"]
    assert (control.before, control.after) == (2, 0)
    assert "exposure.control.exposed" in {r.name for r in tax.figures_after}


def test_plans_with_unknown_cost_or_no_computable_effect_are_not_ranked() -> None:
    land = make_exit_landscape()
    ids = _plans(land)
    road = roadmap_for(user=land.viewer, organisation=land.org)
    reasons = {p.pk: r for p, r in road.unranked}
    assert set(reasons) == {ids["unknown_cost"], ids["vapour"], ids["none"]}
    assert "cost unknown" in reasons[ids["unknown_cost"]]
    assert "cannot be computed" in reasons[ids["vapour"]]
    assert "no intended alternative" in reasons[ids["none"]]
    assert ids["unknown_cost"] not in {s.plan.pk for s in road.steps}


def test_the_roadmap_changes_nothing_in_the_register() -> None:
    land = make_exit_landscape()
    _plans(land)
    roadmap_for(user=land.viewer, organisation=land.org)
    assert Usage.objects.get(pk=land.zaken.pk).product_id == land.zaak_product.pk


def test_another_organisations_user_cannot_see_the_roadmap() -> None:
    land = make_exit_landscape()
    with pytest.raises(NotVisibleError):
        roadmap_for(user=make_user("stranger"), organisation=land.org)


def test_the_dictionary_form_carries_every_step() -> None:
    land = make_exit_landscape()
    _plans(land)
    data = roadmap_for(user=land.viewer, organisation=land.org).to_dict()
    assert data["organisation"] == "ex1"
    assert [s["title"] for s in data["steps"]] == ["Exit Tax Cloud", "Exit Zaak Cloud", "Exit CMS"]
    assert data["totalCost"] == 70_000
    assert len(data["unranked"]) == 3


def test_the_risk_measure_before_term_by_term() -> None:
    land = make_exit_landscape()
    road = roadmap_for(user=land.viewer, organisation=land.org)
    terms = road.terms_before
    assert terms["control"] == pytest.approx(25 * 2 / 3, abs=1e-4)
    assert terms["location_access"] == pytest.approx(10 * 2 / 3, abs=1e-4)
    assert terms["unknown"] == 0
    assert terms["reliance"] == pytest.approx(20 * 2 / 3, abs=1e-4)
    assert terms["blast"] == pytest.approx(20 * 2 / 3, abs=1e-4)
    assert terms["lock_in"] == 0
    assert road.steps == ()


def test_a_plan_without_cost_but_with_a_gain_comes_first_and_has_no_ratio() -> None:
    land = make_exit_landscape()
    free = plan(land, "Gratis exit", land.zaken, land.euro_zaak, 0)
    plan(land, "Exit Tax Cloud", land.heffing, land.euro_tax, 20_000)
    road = roadmap_for(user=land.viewer, organisation=land.org)
    assert road.steps[0].plan.pk == free.pk
    assert road.steps[0].per_euro is None
    assert road.steps[0].risk_reduction == pytest.approx(20.0, abs=1e-4)
