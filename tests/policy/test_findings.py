"""The life of a finding: opened, accepted ('leg uit'), reopened, resolved; always audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from regie.audit.models import AuditEntry
from regie.policy.models import EventKind, FigureSnapshot, Finding, FindingEvent, FindingStatus
from regie.policy.services import figures_snapshot, finding_accept, findings_refresh
from regie.register import services
from regie.register.models import ContractClause
from tests.factories import Landscape

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def finding(landscape: Landscape, rule: str) -> Finding:
    return Finding.objects.get(organisation=landscape.a.org, rule=f"regie-basis/{rule}")


def statuses(landscape: Landscape) -> dict[str, str]:
    return {
        f"{f.rule.split('/')[1]}:{f.subject_key}": f.status
        for f in Finding.objects.filter(organisation=landscape.a.org)
    }


def accept(landscape: Landscape, f: Finding, *, until: dt.date = TODAY + dt.timedelta(days=90)) -> None:
    finding_accept(
        actor=landscape.a.editor,
        finding=f,
        justification="Migratie gepland in 2027; tot dan aanvaard.",
        owner="CIO",
        approver=landscape.a.admin,
        expires_on=until,
        today=TODAY,
    )


def test_refresh_opens_findings_with_evidence_and_audits_them(landscape: Landscape) -> None:
    result = findings_refresh(organisation=landscape.a.org, as_of=TODAY)
    assert result.opened >= 4
    jur = finding(landscape, "JUR-01")
    assert jur.status == FindingStatus.OPEN
    assert jur.subject_key == str(landscape.a.process.pk)
    assert jur.evidence["process.exposure_control"] == "exposed"
    assert "Burgerzaken" in jur.message_nl
    assert "US" in jur.message_en
    assert list(jur.events.values_list("kind", flat=True)) == [EventKind.OPENED]
    assert AuditEntry.objects.filter(object_type="policy.finding", object_id=str(jur.pk)).exists()
    assert not Finding.objects.filter(organisation=landscape.b.org).exists()


def test_refresh_without_change_writes_nothing(landscape: Landscape) -> None:
    findings_refresh(organisation=landscape.a.org, as_of=TODAY)
    events = FindingEvent.objects.count()
    result = findings_refresh(organisation=landscape.a.org, as_of=TODAY)
    assert (result.opened, result.reopened, result.resolved, result.changed) == (0, 0, 0, 0)
    assert FindingEvent.objects.count() == events


def test_fixing_a_clause_resolves_exactly_that_finding(landscape: Landscape) -> None:
    findings_refresh(organisation=landscape.a.org, as_of=TODAY)
    before = statuses(landscape)
    services.register_update(actor=landscape.a.editor, instance=landscape.a.clause, data={"present": "yes"})
    findings_refresh(organisation=landscape.a.org, as_of=TODAY)
    after = statuses(landscape)
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {f"CTR-04:{landscape.a.contract.pk}"}
    assert after[f"CTR-04:{landscape.a.contract.pk}"] == FindingStatus.RESOLVED
    assert list(finding(landscape, "CTR-04").events.values_list("kind", flat=True)) == ["opened", "resolved"]


def test_a_resolved_finding_that_holds_again_reopens(landscape: Landscape) -> None:
    findings_refresh(organisation=landscape.a.org, as_of=TODAY)
    services.register_update(actor=None, instance=landscape.a.clause, data={"present": "yes"})
    findings_refresh(organisation=landscape.a.org, as_of=TODAY)
    services.register_update(actor=None, instance=landscape.a.clause, data={"present": "no"})
    result = findings_refresh(organisation=landscape.a.org, as_of=TODAY)
    assert result.reopened == 1
    f = finding(landscape, "CTR-04")
    assert f.status == FindingStatus.OPEN
    assert f.resolved_at is None
    assert list(f.events.values_list("kind", flat=True)) == ["opened", "resolved", "recurred"]


def test_accepting_records_who_why_and_until_when(landscape: Landscape) -> None:
    findings_refresh(organisation=landscape.a.org, as_of=TODAY)
    f = finding(landscape, "JUR-01")
    accept(landscape, f)
    f.refresh_from_db()
    assert f.status == FindingStatus.ACCEPTED
    acc = f.current_acceptance
    assert acc is not None
    assert acc.owner == "CIO"
    assert acc.approver == landscape.a.admin
    assert acc.fingerprint == f.fingerprint
    assert AuditEntry.objects.filter(object_type="policy.acceptance", object_id=str(acc.pk)).exists()
    # a later refresh leaves an accepted finding with unchanged evidence alone
    findings_refresh(organisation=landscape.a.org, as_of=TODAY + dt.timedelta(days=30))
    f.refresh_from_db()
    assert f.status == FindingStatus.ACCEPTED


def test_acceptance_needs_an_administrator_as_approver_and_a_future_expiry(landscape: Landscape) -> None:
    findings_refresh(organisation=landscape.a.org, as_of=TODAY)
    f = finding(landscape, "JUR-01")
    kwargs = {"actor": landscape.a.editor, "finding": f, "justification": "x", "owner": "CIO", "today": TODAY}
    with pytest.raises(ValidationError, match="approver"):
        finding_accept(**kwargs, approver=landscape.a.editor, expires_on=TODAY + dt.timedelta(days=5))
    with pytest.raises(ValidationError, match="future"):
        finding_accept(**kwargs, approver=landscape.a.admin, expires_on=TODAY)
    with pytest.raises(ValidationError, match="three years"):
        finding_accept(**kwargs, approver=landscape.a.admin, expires_on=TODAY + dt.timedelta(days=1200))
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        finding_accept(
            actor=landscape.a.viewer,
            finding=f,
            justification="x",
            owner="CIO",
            approver=landscape.a.admin,
            expires_on=TODAY + dt.timedelta(days=5),
            today=TODAY,
        )


def test_an_expired_acceptance_reopens_the_finding(landscape: Landscape) -> None:
    findings_refresh(organisation=landscape.a.org, as_of=TODAY)
    f = finding(landscape, "JUR-01")
    accept(landscape, f, until=TODAY + dt.timedelta(days=10))
    findings_refresh(organisation=landscape.a.org, as_of=TODAY + dt.timedelta(days=10))
    f.refresh_from_db()
    assert f.status == FindingStatus.ACCEPTED  # still valid on its expiry day
    result = findings_refresh(organisation=landscape.a.org, as_of=TODAY + dt.timedelta(days=11))
    f.refresh_from_db()
    assert result.reopened == 1
    assert f.status == FindingStatus.OPEN
    assert f.events.last().kind == EventKind.EXPIRED  # type: ignore[union-attr]
    assert f.acceptances.get().end_reason == EventKind.EXPIRED


def test_changed_evidence_reopens_only_the_finding_whose_evidence_changed(landscape: Landscape) -> None:
    findings_refresh(organisation=landscape.a.org, as_of=TODAY)
    data_return, exit_help = finding(landscape, "CTR-01"), finding(landscape, "CTR-02")
    accept(landscape, data_return)
    accept(landscape, exit_help)
    services.register_create(
        actor=landscape.a.editor,
        model=ContractClause,
        data={"contract": landscape.a.contract, "kind": "data_return_open_format", "present": "no"},
    )
    result = findings_refresh(organisation=landscape.a.org, as_of=TODAY)
    data_return.refresh_from_db()
    exit_help.refresh_from_db()
    assert result.reopened == 1
    assert data_return.status == FindingStatus.OPEN
    assert data_return.events.last().kind == EventKind.EVIDENCE  # type: ignore[union-attr]
    assert data_return.evidence["contract.data_return_open_format"] == "no"
    assert exit_help.status == FindingStatus.ACCEPTED


def test_register_writes_refresh_findings_once_after_commit(
    landscape: Landscape,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    from regie.register import hooks

    findings_refresh(organisation=landscape.a.org)
    assert finding(landscape, "CTR-04").status == FindingStatus.OPEN
    hooks._pending.orgs = None  # the fixture's writes were never committed: start a fresh batch
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        services.register_update(
            actor=landscape.a.editor, instance=landscape.a.clause, data={"present": "yes"}
        )
        services.register_update(
            actor=landscape.a.editor, instance=landscape.a.contract, data={"title": "Zaaksysteem (verlengd)"}
        )
        assert finding(landscape, "CTR-04").status == FindingStatus.OPEN  # nothing before the commit
    assert len(callbacks) == 1  # one refresh per transaction and organisation
    assert finding(landscape, "CTR-04").status == FindingStatus.RESOLVED


def test_a_rolled_back_write_schedules_nothing_and_later_writes_still_refresh(landscape: Landscape) -> None:
    from regie.register import hooks

    def write_then_fail() -> None:
        with transaction.atomic():
            hooks.changed(landscape.a.org.pk)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert hooks._pending.orgs is not None  # left behind by the rolled-back transaction
    hooks.changed(landscape.a.org.pk)
    assert any(item[1] is hooks._run for item in transaction.get_connection().run_on_commit)


def test_daily_snapshot_is_taken_once_and_counts_findings(landscape: Landscape) -> None:
    snap = figures_snapshot(organisation=landscape.a.org, day=TODAY)
    assert snap is not None
    assert snap.figures["critical_processes"] == 1.0
    assert sum(snap.findings["open"].values()) == Finding.objects.filter(organisation=landscape.a.org).count()
    assert figures_snapshot(organisation=landscape.a.org, day=TODAY) is None
    with pytest.raises(PermissionError):
        FigureSnapshot.objects.all().delete()
