"""The incremental path gives exactly the findings of a full evaluation.

Pure part: on a synthetic region, an edit evaluated the way a refresh does it (the edited
organisation rebuilt on the shared catalogue and analysed alone) gives the same hits,
evidence, fingerprints and messages as evaluating the whole edited landscape and keeping
that organisation. Database part: after a series of register edits, each followed by a
refresh that writes only what changed, the stored findings are what a full evaluation says.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from functools import cache
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regie.core.analysis import AnalysisOptions, analyse
from regie.core.bench import org_snapshot
from regie.core.facts import CLAUSES
from regie.core.snapshot import Snapshot
from regie.core.synthetic import synthetic_snapshot
from regie.policy.bench import _applied, diff_hits
from regie.policy.context import build_context
from regie.policy.evaluate import Hit, evaluate

AS_OF = dt.date(2026, 11, 1)
OPTIONS = AnalysisOptions(detail=False)


@cache
def region() -> Snapshot:
    return synthetic_snapshot("region")


def rows(hits: list[Hit]) -> set[tuple[Any, ...]]:
    return {
        (
            h.rule,
            h.subject,
            h.subject_key,
            h.severity,
            h.fingerprint,
            repr(sorted(h.evidence.items())),
            h.message_nl,
            h.message_en,
        )
        for h in hits
    }


def whole(snap: Snapshot, org: int) -> list[Hit]:
    ctx = build_context(analyse(snap, None, OPTIONS), as_of=AS_OF)
    return evaluate(ctx, _applied(), only_orgs=[org])


def alone(snap: Snapshot, org: int) -> list[Hit]:
    key = snap.orgs.org_keys[org]
    return evaluate(build_context(analyse(snap, [key], OPTIONS), as_of=AS_OF), _applied())


def edit(snap: Snapshot, org: int, change: tuple[int, list[int], int, int]) -> Snapshot:
    """Set the clauses of the organisation's ``contract``-th contract and the
    confidentiality of its ``process``-th process (positions within the organisation);
    ``change`` is (contract, clauses, process, confidentiality)."""
    contract, clauses, process, conf = change
    o = snap.orgs
    changes: dict[str, Any] = {}
    c0, c1 = int(snap.org_contract_ptr[org]), int(snap.org_contract_ptr[org + 1])
    if c1 > c0:
        arr = np.array(o.contract_clauses, copy=True)
        arr[c0 + contract % (c1 - c0), :] = clauses
        changes["contract_clauses"] = arr
    p0, p1 = int(snap.org_process_ptr[org]), int(snap.org_process_ptr[org + 1])
    if p1 > p0:
        arr = np.array(o.process_confidentiality, copy=True)
        arr[p0 + process % (p1 - p0)] = conf
        changes["process_confidentiality"] = arr
    return Snapshot.from_arrays(snap.catalogue, replace(o, **changes))


def test_one_organisation_alone_gives_its_findings_in_the_whole_landscape() -> None:
    snap = region()
    ctx = build_context(analyse(snap, None, OPTIONS), as_of=AS_OF)
    for org in (0, 7, 23, snap.n_orgs - 1):
        full = evaluate(ctx, _applied(), only_orgs=[org])
        own = alone(org_snapshot(snap, org), 0)
        assert full
        assert rows(own) == rows(full)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    org=st.integers(0, 49),
    contract=st.integers(0, 100),
    clauses=st.lists(st.sampled_from([-1, 0, 1]), min_size=len(CLAUSES), max_size=len(CLAUSES)),
    process=st.integers(0, 100),
    conf=st.integers(1, 3),
)
def test_an_edit_evaluated_alone_equals_the_full_evaluation_after_it(
    org: int, contract: int, clauses: list[int], process: int, conf: int
) -> None:
    snap = region()
    before = whole(snap, org)
    change = (contract, clauses, process, conf)
    edited = edit(snap, org, change)
    after_full = whole(edited, org)
    # the incremental path: only the edited organisation, rebuilt and analysed alone
    after_alone = alone(edit(org_snapshot(snap, org), 0, change), 0)
    assert rows(after_alone) == rows(after_full)
    # and the findings it would move are exactly those that differ in the full evaluation
    moved, full_moved = diff_hits(before, after_alone), diff_hits(before, after_full)
    assert moved == full_moved


# --- database: refreshes after edits store what a full evaluation finds -------------------

TODAY = dt.date(2026, 6, 1)


def _stored_matches_full_evaluation(org: Any) -> None:
    from regie.policy.models import Acceptance, Finding, FindingStatus
    from regie.policy.services import evaluate_organisation

    hits, _ = evaluate_organisation(org, as_of=TODAY)
    expected = {(h.rule, h.subject, h.subject_key): h for h in hits}
    stored = {(f.rule, f.subject_kind, f.subject_key): f for f in Finding.objects.filter(organisation=org)}
    assert expected.keys() <= stored.keys()
    for key, f in stored.items():
        hit = expected.get(key)
        if hit is None:
            assert f.status == FindingStatus.RESOLVED, key
            continue
        assert (f.fingerprint, f.severity, f.evidence) == (hit.fingerprint, hit.severity, dict(hit.evidence))
        assert (f.message_nl, f.message_en) == (hit.message_nl, hit.message_en)
        running = Acceptance.objects.filter(finding=f, ended_at__isnull=True).first()
        if f.status == FindingStatus.ACCEPTED:
            assert running is not None
            assert running.fingerprint == hit.fingerprint
            assert running.expires_on >= TODAY
        else:
            assert f.status == FindingStatus.OPEN, key
            assert running is None


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_refreshes_after_edits_store_what_a_full_evaluation_finds(landscape: Any, seed: int) -> None:
    from regie.policy.models import FindingEvent, FindingStatus
    from regie.policy.services import finding_accept, findings_refresh
    from regie.register import services
    from regie.register.models import ContractClause

    a = landscape.a
    rnd = random.Random(seed)
    findings_refresh(organisation=a.org, as_of=TODAY)
    kinds = [k for k in CLAUSES if k != a.clause.kind][:3]
    clauses = [a.clause]
    clauses.extend(
        services.register_create(
            actor=a.editor, model=ContractClause, data={"contract": a.contract, "kind": k, "present": "no"}
        )
        for k in kinds
    )
    findings_refresh(organisation=a.org, as_of=TODAY)
    for _step in range(6):
        choice = rnd.randrange(4)
        if choice == 0:
            clause = rnd.choice(clauses)
            services.register_update(
                actor=a.editor, instance=clause, data={"present": rnd.choice(["yes", "no", "unknown"])}
            )
        elif choice == 1:
            services.register_update(
                actor=a.editor, instance=a.process, data={"confidentiality": rnd.randint(1, 3)}
            )
        elif choice == 2:
            services.register_update(
                actor=a.editor, instance=a.contract, data={"annual_value": rnd.choice([10_000, 90_000])}
            )
        else:
            f = a.org.findings.filter(status=FindingStatus.OPEN).order_by("pk").first()
            if f is not None:
                finding_accept(
                    actor=a.editor,
                    finding=f,
                    justification="Tijdelijk aanvaard.",
                    owner="CIO",
                    approver=a.admin,
                    expires_on=TODAY + dt.timedelta(days=30),
                    today=TODAY,
                )
        for obj in (a.process, a.contract, *clauses):
            obj.refresh_from_db()
        findings_refresh(organisation=a.org, as_of=TODAY)
        _stored_matches_full_evaluation(a.org)
    events = FindingEvent.objects.count()
    result = findings_refresh(organisation=a.org, as_of=TODAY)
    assert (result.opened, result.reopened, result.resolved, result.changed) == (0, 0, 0, 0)
    assert FindingEvent.objects.count() == events  # an idle refresh writes nothing


def test_engine_results_taken_from_the_analysis_equal_those_computed_again() -> None:
    from regie.policy.engine import reused

    snap = region()
    a = analyse(snap, None, OPTIONS)
    bare = replace(a, masks=None, spof_matrix=None, spof_rows=None, spof_services=None)
    assert reused(a) == {"group_masks": True, "single_points_of_failure": True}
    assert reused(bare) == {"group_masks": False, "single_points_of_failure": False}
    kept = evaluate(build_context(a, as_of=AS_OF), _applied())
    again = evaluate(build_context(bare, as_of=AS_OF), _applied())
    assert rows(kept) == rows(again)
    assert any(h.rule.endswith(("CON-01", "CON-02")) for h in kept)


@pytest.mark.django_db
def test_applying_hits_reads_findings_as_tuples_and_writes_only_what_moves(landscape: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from regie.policy.models import Finding, FindingStatus
    from regie.policy.services import evaluate_organisation, findings_apply

    a = landscape.a
    hits, _ = evaluate_organisation(a.org, as_of=TODAY)
    findings_apply(organisation=a.org, hits=hits, today=TODAY)
    assert len(hits) >= 4
    with CaptureQueriesContext(connection) as idle:
        result = findings_apply(organisation=a.org, hits=hits, today=TODAY)
    assert result.unchanged == len(hits)
    writes = [q["sql"] for q in idle.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert not [w for w in writes if "SAVEPOINT" not in w.upper()]  # an idle apply writes nothing
    assert len(idle.captured_queries) - len(writes) == 2  # the findings and the running acceptances
    moved = replace(hits[0], fingerprint="0" * 32)
    with CaptureQueriesContext(connection) as one:
        result = findings_apply(organisation=a.org, hits=[moved, *hits[1:]], today=TODAY)
    assert (result.changed, result.unchanged) == (1, len(hits) - 1)
    assert len(one.captured_queries) <= len(idle.captured_queries) + 6  # save, event, audit
    f = Finding.objects.get(organisation=a.org, rule=moved.rule, subject_key=moved.subject_key)
    assert (f.status, f.fingerprint) == (FindingStatus.OPEN, "0" * 32)
    assert f.message_nl == hits[0].message_nl  # rendered when written
