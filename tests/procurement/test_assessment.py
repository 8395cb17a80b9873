"""The assessment: eligibility with reasons, the ranking and its weights, the marginal effect
of each bid as a scenario, and the findings a bid would raise."""

from __future__ import annotations

import pytest
from django.utils import translation

from regie.procurement.scoring import WeightError
from regie.procurement.selectors import assessment_for
from regie.procurement.services import bid_update, tender_update
from regie.register.selectors import NotVisibleError

from .conftest import TenderCase

pytestmark = pytest.mark.django_db


def _row(a, bid):  # type: ignore[no-untyped-def]
    return next(r for r in a.bids if r.bid.pk == bid.pk)


def test_the_cheapest_bid_is_excluded_by_a_seal_minimum(case: TenderCase) -> None:
    a = assessment_for(user=case.ls.a.viewer, tender=case.tender)
    us = _row(a, case.us_bid)
    assert us.measures["cost"] == min(r.measures["cost"] for r in a.bids)  # cheapest
    assert not us.eligible
    assert us.rank is None
    assert us.sovereignty.objectives["SOV-2"] == 1
    assert any("SEAL 1" in r and "SOV-2" in r and "minimum 2" in r for r in us.reasons), us.reasons
    assert {r.bid.pk for r in a.ranked} == {case.nl_bid.pk, case.nl2_bid.pk}


def test_without_the_minimum_the_cheapest_bid_is_ranked(case: TenderCase) -> None:
    tender_update(actor=case.ls.a.editor, tender=case.tender, min_seal={"SOV-2": None})
    a = assessment_for(user=case.ls.a.viewer, tender=case.tender)
    assert _row(a, case.us_bid).eligible
    assert _row(a, case.us_bid).rank is not None
    # the saved weights still put it last (exposure, sovereignty); on price alone it wins
    assert a.ranked[-1].bid.pk == case.us_bid.pk
    on_price = assessment_for(
        user=case.ls.a.viewer, tender=case.tender, weights=dict.fromkeys(a.weights, 0) | {"price": 1}
    )
    assert on_price.ranked[0].bid.pk == case.us_bid.pk


def test_the_ranking_flips_when_the_weights_change(case: TenderCase) -> None:
    # nl2 is cheaper (400,000 against 440,000 over the term) but less sovereign than nl
    by_price = assessment_for(
        user=case.ls.a.viewer, tender=case.tender, weights={"price": 100, "sovereignty": 10}
    )
    by_sovereignty = assessment_for(
        user=case.ls.a.viewer, tender=case.tender, weights={"price": 10, "sovereignty": 100}
    )
    assert [r.bid.pk for r in by_price.ranked] == [case.nl2_bid.pk, case.nl_bid.pk]
    assert [r.bid.pk for r in by_sovereignty.ranked] == [case.nl_bid.pk, case.nl2_bid.pk]
    assert by_price.weights["price"] == 100
    # the weights given are used for this read only; the tender keeps its own
    case.tender.refresh_from_db()
    assert case.tender.weights["price"] == 60


def test_scores_follow_the_documented_functions(case: TenderCase) -> None:
    a = assessment_for(user=case.ls.a.viewer, tender=case.tender)
    nl, nl2 = _row(a, case.nl_bid), _row(a, case.nl2_bid)
    assert nl.measures["cost"] == 440000.0  # 110,000 a year over the 48-month term
    assert nl2.measures["cost"] == 400000.0
    assert nl2.scores["price"] == 1.0
    assert nl.scores["price"] == pytest.approx(400000 / 440000, abs=1e-4)
    assert nl.scores["sovereignty"] == pytest.approx(nl.sovereignty.weighted / 100, abs=1e-4)
    w = a.weights
    expected = sum(w[c] * nl.scores[c] for c in w) / sum(w.values())
    assert nl.total == pytest.approx(expected, abs=1e-3)


def test_a_us_controlled_bid_raises_control_exposure(case: TenderCase) -> None:
    a = assessment_for(user=case.ls.a.viewer, tender=case.tender)
    us = {r.name: r for r in _row(a, case.us_bid).effects}
    assert us["exposure.control.exposed"].before == 0
    assert us["exposure.control.exposed"].delta == 1
    nl = {r.name: r for r in _row(a, case.nl_bid).effects}
    assert "exposure.control.exposed" not in nl  # unchanged: not an effect
    nl2 = {r.name: r for r in _row(a, case.nl2_bid).effects}
    # moving to another Dutch provider moves the reliance from one group to the other
    assert any(n.startswith("reliance.") and r.delta == 1 for n, r in nl2.items())
    assert any(n.startswith("reliance.") and r.delta == -1 for n, r in nl2.items())


def test_the_findings_a_bid_would_raise(case: TenderCase) -> None:
    a = assessment_for(user=case.ls.a.viewer, tender=case.tender)
    us_rules = {rule for rule, _sev, _msg in _row(a, case.us_bid).findings}
    assert "regie-basis/JUR-01" in us_rules  # confidentiality 3 under US control
    msg = next(m for r, _s, m in _row(a, case.us_bid).findings if r == "regie-basis/JUR-01")
    assert "US" in msg
    assert "regie-basis/JUR-01" not in {r for r, _s, _m in _row(a, case.nl_bid).findings}


def test_required_clause_not_offered_is_a_reason(case: TenderCase) -> None:
    bid_update(actor=case.ls.a.editor, bid=case.nl_bid, data={"clauses": {"data_return_open_format": "no"}})
    bid_update(actor=case.ls.a.editor, bid=case.nl2_bid, data={"clauses": {}})
    with translation.override("en"):
        a = assessment_for(user=case.ls.a.viewer, tender=case.tender)
    assert _row(a, case.nl_bid).reasons == ("required clause “data return in an open format” not offered",)
    assert _row(a, case.nl2_bid).reasons == (
        "required clause “data return in an open format”: unknown whether offered",
    )
    assert a.ranked == ()


def test_unanswered_questions_count_as_not_meeting_a_minimum(case: TenderCase) -> None:
    answers = dict(case.nl_bid.answers)
    del answers["SOV-2.2"]
    bid_update(actor=case.ls.a.editor, bid=case.nl_bid, data={"answers": answers})
    row = _row(assessment_for(user=case.ls.a.viewer, tender=case.tender), case.nl_bid)
    assert not row.eligible
    assert "SEAL 0" in row.reasons[0]
    assert "SOV-2.2" in row.reasons[0]


def test_bad_weights_are_refused_by_name(case: TenderCase) -> None:
    with pytest.raises(WeightError, match=r"weights\.price: must be between 0 and 1000"):
        assessment_for(user=case.ls.a.viewer, tender=case.tender, weights={"price": -1})
    with pytest.raises(WeightError, match=r"weights\.beauty: not a criterion"):
        assessment_for(user=case.ls.a.viewer, tender=case.tender, weights={"beauty": 1})


def test_another_organisations_tender_is_not_visible(case: TenderCase) -> None:
    with pytest.raises(NotVisibleError):
        assessment_for(user=case.ls.b.admin, tender=case.tender)


def test_to_dict_is_plain_json(case: TenderCase) -> None:
    import json

    d = assessment_for(user=case.ls.a.viewer, tender=case.tender).to_dict()
    assert json.loads(json.dumps(d))["tender"]["reference"] == "T-2027-01"
    assert {b["bid"] for b in d["bids"]} == {case.us_bid.pk, case.nl_bid.pk, case.nl2_bid.pk}
