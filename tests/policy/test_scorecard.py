"""Sovereignty scorecards: SEAL per objective, weakest objective overall, versioned weights, roll-up."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from regie.policy.scorecards import (
    scorecard_answer,
    scorecard_get_or_create,
    scorecard_score,
    sovereignty_rollup,
)
from regie.policy.sovereignty import OBJECTIVES, QUESTIONS, WEIGHT_SETS, score
from tests.factories import Landscape

BEST = {q.id: max(q.options, key=lambda o: o.level).key for q in QUESTIONS}


def test_weight_sets_cover_every_objective_and_sum_to_a_hundred() -> None:
    assert WEIGHT_SETS["eucsf-1.2.1"] == dict(zip(OBJECTIVES, (15, 10, 10, 15, 20, 15, 10, 5), strict=True))
    assert WEIGHT_SETS["eucsf-annex-2026"]["SOV-1"] == 20
    assert all(sum(w.values()) == 100 for w in WEIGHT_SETS.values())


def test_every_objective_has_questions() -> None:
    assert {q.objective for q in QUESTIONS} == set(OBJECTIVES)


def test_full_answers_score_seal_four_and_a_hundred() -> None:
    s = score(BEST)
    assert s.seal == 4
    assert s.weighted == 100.0
    assert s.unanswered == ()


def test_overall_seal_is_the_weakest_objective_and_weights_are_versioned() -> None:
    answers = BEST | {"SOV-5.2": "yes"}  # runs on a non-EU hyperscaler: SEAL 1 for supply chain
    s = score(answers)
    assert s.objectives["SOV-5"] == 1
    assert s.seal == 1
    assert s.weighted == pytest.approx(100 - 20 * 3 / 4)
    assert score(answers, "eucsf-annex-2026").weighted == pytest.approx(100 - 10 * 3 / 4)


def test_unanswered_counts_as_seal_zero() -> None:
    s = score({})
    assert s.seal == 0
    assert s.weighted == 0.0
    assert len(s.unanswered) == len(QUESTIONS)


@pytest.mark.django_db
def test_answers_carry_evidence_and_provenance_and_roll_up(landscape: Landscape) -> None:
    org = landscape.a.org
    card = scorecard_get_or_create(actor=landscape.a.editor, organisation=org, service=landscape.service)
    for qid, option in BEST.items():
        scorecard_answer(actor=landscape.a.editor, scorecard=card, question=qid, option=option)
    answer = scorecard_answer(
        actor=landscape.a.editor,
        scorecard=card,
        question="SOV-2.1",
        option="yes",
        evidence="Moeder in de VS",
        source="https://example.org/jaarverslag",
    )
    assert answer.provenance is not None
    assert answer.provenance.source == "https://example.org/jaarverslag"
    assert scorecard_score(card).seal == 1
    rollup = sovereignty_rollup(user=landscape.a.viewer, organisation=org)
    # the product has no scorecard of its own: unknown counts as SEAL 0
    assert rollup["critical_processes"] == 1
    assert rollup["share_at_or_above"][1] == 0.0
    product_card = scorecard_get_or_create(actor=None, organisation=org, product=landscape.product)
    for qid, option in BEST.items():
        scorecard_answer(actor=None, scorecard=product_card, question=qid, option=option)
    rollup = sovereignty_rollup(user=landscape.a.viewer, organisation=org)
    assert rollup["share_at_or_above"][1] == 1.0
    assert rollup["share_at_or_above"][2] == 0.0
    with pytest.raises(ValidationError):
        scorecard_answer(actor=None, scorecard=card, question="SOV-2.1", option="maybe")
    with pytest.raises(PermissionDenied):
        scorecard_answer(actor=landscape.a.viewer, scorecard=card, question="SOV-2.1", option="no")
