"""The sector benchmark runs every aggregate on a synthetic landscape and reports its times."""

from __future__ import annotations

from regie.sector.bench import run_sector_bench


def test_sector_benchmark_on_the_regional_landscape_reports_every_step() -> None:
    result = run_sector_bench("region")
    assert result["organisations"] == 50
    assert result["contracts_in_window"] <= result["contracts"]
    assert result["clusters"] > 0
    steps = ("digest_s", "aggregates_s", "procurement_s", "peer_metrics_s")
    assert all(result[s] >= 0 for s in steps)
    assert abs(result["all_aggregates_s"] - sum(result[s] for s in steps[1:])) < 0.01
    assert result["all_aggregates_s"] < 2.0
