"""The policy benchmark reports the findings of the evaluation beside its parts, honestly summed."""

from __future__ import annotations

from typing import Any

import pytest

from regie.policy.bench import run_policy_bench


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return run_policy_bench("municipality", edits=1)


def test_findings_figure_is_engine_plus_rules_plus_evidence(result: dict[str, Any]) -> None:
    n = result["national"]
    for clock in ("wall_s", "cpu_s"):
        parts = n["engine"][clock] + n["rules"][clock] + n["evidence"][clock]
        assert n["findings"][clock] == pytest.approx(parts, abs=0.0025)
    assert n["evidence"]["hits"] == result["hits"] == n["hit_objects"]["hits"] > 0
    assert n["findings"]["fingerprints_match_per_hit_definition"] is True
    assert result["edit"]["agrees_with_national"] is True
    assert len(result["load_average"]["start"]) == 3
    assert {"findings", "evidence", "hit_objects", "load_average"} <= result["timed"].keys()
