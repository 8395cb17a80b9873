"""Suggested alternatives: matched on the product, ranked by fit, EU-based, open source and
maturity, with the migration effort explained from the engine's evidence."""

from __future__ import annotations

import pytest

from regie.planning.suggestions import alternatives_for, effort_of
from regie.register import services
from regie.register.models import Alternative
from regie.register.selectors import NotVisibleError
from tests.factories import make_user
from tests.planning.landscape import make_exit_landscape

pytestmark = pytest.mark.django_db


def test_alternatives_that_replace_the_product_are_ranked_by_fit_then_eu_then_open_source() -> None:
    land = make_exit_landscape()
    # a third alternative with the same fit as Euro Zaak (4) but not EU-based: ranks below it
    services.register_create(
        actor=None,
        model=Alternative,
        data={"name": "Far Zaak", "category": "test", "eu_based": "no", "open_source": "yes", "fit": 4},
        m2m={"replaces_products": [land.zaak_product]},
    )
    found = alternatives_for(user=land.viewer, usage=land.zaken)
    assert [s.name for s in found] == ["Vapour", "Euro Zaak", "Far Zaak"]
    assert [s.rank for s in found] == [1, 2, 3]
    assert all(s.matches == ("replaces Zaak Suite",) for s in found)
    # Euro Zaak has a catalogue service (a scenario can move to it); Vapour has nothing
    by_name = {s.name: s for s in found}
    assert by_name["Euro Zaak"].service is not None
    assert by_name["Euro Zaak"].computable
    assert by_name["Vapour"].service is None
    assert not by_name["Vapour"].computable
    assert by_name["Vapour"].to_dict()["euBased"] == "unknown"
    assert "no product or provider" in (by_name["Vapour"].not_computable or "")


def test_the_effort_follows_the_engines_score_and_the_maturity() -> None:
    land = make_exit_landscape()
    found = {s.name: s for s in alternatives_for(user=land.viewer, usage=land.zaken)}
    # the engine's evidence for Zaken: export, exit clause, data return and volume unknown = 4
    proven = found["Euro Zaak"].effort
    assert proven.score == 4
    assert proven.level == "medium"
    assert proven.substitutability == "medium_complexity"
    assert "export in an open standard unknown (+1)" in proven.reasons
    assert "data volume unknown (+1)" in proven.reasons
    # an emerging alternative is one level harder
    emerging = found["Vapour"].effort
    assert emerging.level == "high"
    assert any("emerging" in r for r in emerging.reasons)


def test_effort_levels_from_documented_facts() -> None:
    facts = {
        "open_export": True,
        "proprietary_integrations": 0,
        "exit_assistance": True,
        "data_return_open_format": True,
        "data_volume_gb": 10.0,
    }
    assert effort_of(None, facts, "widespread").level == "low"
    assert effort_of(None, facts, "").level == "medium"  # maturity unknown: one level harder
    heavy = {**facts, "open_export": False, "proprietary_integrations": 7, "data_volume_gb": 20_000.0}
    effort = effort_of(None, heavy, "proven")
    assert (effort.score, effort.level) == (6, "high")
    assert "7 integrations without an open standard (+2)" in effort.reasons


def test_a_service_gets_alternatives_that_replace_its_product() -> None:
    land = make_exit_landscape()
    found = alternatives_for(user=land.viewer, service=land.zaak_cloud, organisation=land.org)
    assert [s.name for s in found] == ["Vapour", "Euro Zaak"]


def test_another_organisations_usage_is_not_visible() -> None:
    land = make_exit_landscape()
    with pytest.raises(NotVisibleError):
        alternatives_for(user=make_user("stranger"), usage=land.zaken)
    with pytest.raises(NotVisibleError):
        alternatives_for(user=make_user("stranger2"), service=land.zaak_cloud, organisation=land.org)
