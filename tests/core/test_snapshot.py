"""The builder contract, the bulk path, immutability and the benchmark harness."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from regie.core.analysis import AnalysisOptions, analyse
from regie.core.bench import org_snapshot, run_core_bench
from regie.core.snapshot import SnapshotBuilder
from regie.core.synthetic import Scale, synthetic_columns, synthetic_snapshot
from tests.core.handmade import Land

SMALL = Scale(orgs=4, processes_per_org=12, usages_per_org=40, services=200, entities=60, products=80)


def test_a_snapshot_cannot_be_changed_in_place() -> None:
    snap = Land().entity("a", "NL").process("p1").build()
    with pytest.raises(ValueError, match="read-only"):
        snap.orgs.process_critical[0] = False
    with pytest.raises(ValueError, match="read-only"):
        snap.catalogue.entity_group[0] = 1


def test_rows_may_be_added_in_any_order() -> None:
    b = SnapshotBuilder()
    b.add_organisation("o", code="GM1", name="O", kind="municipality", trusted=frozenset())
    b.add_entity(
        "child",
        name="C",
        hq_country="NL",
        hq_fact=None,
        reg_country="NL",
        reg_fact=None,
        parent="parent",
        parent_state="known",
        parent_fact=None,
    )
    b.add_entity(
        "parent",
        name="P",
        hq_country="US",
        hq_fact=None,
        reg_country="US",
        reg_fact=None,
        parent=None,
        parent_state="none",
        parent_fact=None,
    )
    snap = b.build()
    cat = snap.catalogue
    assert cat.group_of_entity_key("child") == cat.group_of_entity_key("parent")
    assert not cat.eu_eea.any()  # countries referenced but not declared: not trusted


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda b: b.add_entity(
                "e",
                name="E",
                hq_country=None,
                hq_fact=None,
                reg_country=None,
                reg_fact=None,
                parent=None,
                parent_state="maybe",
                parent_fact=None,
            ),
            "parent_state",
        ),
        (lambda b: b.add_law("l", name="L", country="US", triggers=frozenset({"vibes"})), "triggers"),
        (
            lambda b: b.add_process(
                "p",
                org="o",
                name="P",
                availability=1,
                integrity=1,
                confidentiality=1,
                critical=False,
                mtd_hours=None,
                rto_hours=None,
                personal_data="lots",
            ),
            "personal_data",
        ),
        (
            lambda b: b.add_dependency(
                org="o", source=("service", "s"), target=("usage", "u"), kind="requires"
            ),
            "kinds",
        ),
        (
            lambda b: b.add_contract(
                "c",
                org="o",
                counterparty=None,
                annual_value=None,
                start=None,
                end=None,
                notice_days=None,
                clauses={"free_lunch": True},
                usages=[],
                services=[],
            ),
            "clauses",
        ),
    ],
)
def test_the_builder_refuses_values_outside_the_vocabulary(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        call(SnapshotBuilder())


def test_a_dependency_may_not_reach_into_another_organisation() -> None:
    land = Land().process("p1")
    land.b.add_organisation("other", code="GM2", name="B", kind="municipality", trusted=frozenset())
    land.b.add_usage("u9", org="other", name="U", product=None, reference_component=None, status="production")
    land.b.add_dependency(org="gm", source=("process", "p1"), target=("usage", "u9"), kind="requires")
    with pytest.raises(ValueError, match="not its own"):
        land.build()


def test_retired_usages_are_left_out() -> None:
    land = Land().entity("a", "US").service("s", "a").process("p1")
    land.b.add_usage("u1", org="gm", name="old", product=None, reference_component=None, status="retired")
    snap = land.needs("p1", "u1").needs("u1", "s").build()
    figures = analyse(snap, None, AnalysisOptions(detail=False)).figures()
    assert figures["usages"] == 0
    assert figures["exposure.control.unknown"] == 1  # nothing recorded: unknown, not safe


def test_synthetic_landscapes_are_reproducible_from_the_seed() -> None:
    a_cat, a_org = synthetic_columns(SMALL, seed=7)
    b_cat, b_org = synthetic_columns(SMALL, seed=7)
    _, c_org = synthetic_columns(SMALL, seed=8)
    assert np.array_equal(a_org.dep_dst, b_org.dep_dst)
    assert np.array_equal(a_cat.entity_parent, b_cat.entity_parent)
    assert not np.array_equal(a_org.dep_dst[:100], c_org.dep_dst[:100])


def test_an_org_rebuilt_on_the_shared_catalogue_analyses_as_in_the_whole() -> None:
    snap = synthetic_snapshot(SMALL, seed=3)
    opts = AnalysisOptions(detail=False, as_of=None)
    for org in range(snap.n_orgs):
        whole = analyse(snap, [snap.orgs.org_keys[org]], opts).figures()
        alone = org_snapshot(snap, org)
        assert alone.catalogue is snap.catalogue
        assert analyse(alone, None, opts).figures() == whole


def test_the_bulk_path_and_the_builder_give_the_same_snapshot() -> None:
    snap = synthetic_snapshot(SMALL, seed=5)
    rebuilt = org_snapshot(snap, 0)
    assert rebuilt.n_processes == int(np.diff(snap.org_process_ptr)[0])
    assert rebuilt.n_usages == int(np.diff(snap.org_usage_ptr)[0])


def test_the_core_benchmark_runs_and_agrees_with_the_reference() -> None:
    result = run_core_bench("municipality", sample=12)
    assert result["reference_agrees"] is True
    assert result["snapshot_load_s"] is None
    for key in ("full_analysis_s", "org_reanalysis_s", "peak_rss_mb", "reference_ratio"):
        assert result[key] > 0
    assert result["org_reanalysis_runs"] == 5 * 1  # five rounds of the one organisation
    assert len(result["baseline_s"]) == 2
    assert result["x_baseline"]["org_reanalysis_s"] == pytest.approx(
        result["org_reanalysis_s"] / (sum(result["baseline_s"]) / 2), rel=0.02
    )


def test_the_engine_imports_no_framework() -> None:
    code = (
        "import sys, regie.core.analysis, regie.core.scenarios, regie.core.bench;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'ninja')"
        " or (m.startswith('regie.') and not m.startswith('regie.core'))];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_running_continuity_in_a_second_thread_changes_no_figure() -> None:
    many = Scale(orgs=25, processes_per_org=6, usages_per_org=20, services=150, entities=40, products=50)
    snap = synthetic_snapshot(many, seed=11)
    threaded = analyse(snap, None, AnalysisOptions(detail=False, threads=True)).figures()
    single = analyse(snap, None, AnalysisOptions(detail=False, threads=False)).figures()
    assert threaded == single
