"""Writes of the strategic framework: refresh findings, accept them, adopt rule sets, snapshot.

Every transition of a finding is written as a FindingEvent and audited.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from regie.accounts.permissions import can_admin, require_admin, require_edit
from regie.analysis.selectors import analyse_organisation
from regie.audit.models import AuditAction
from regie.audit.services import audit_record
from regie.core.analysis import AnalysisOptions
from regie.register.models import Contract, Organisation

from .context import build_context
from .evaluate import Hit, evaluate
from .fingerprints import PREFIX, is_legacy, legacy_fingerprint
from .framework import adoptions_for, framework_for, validate_parameters
from .models import (
    Acceptance,
    EventKind,
    FigureSnapshot,
    Finding,
    FindingEvent,
    FindingStatus,
    PolicyAdoption,
)
from .rules import builtin_rulesets

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User

    Actor = User | AnonymousUser | None

__all__ = [
    "RefreshResult",
    "adoption_save",
    "evaluate_organisation",
    "figures_snapshot",
    "finding_accept",
    "findings_apply",
    "findings_refresh",
    "transition",
]


@dataclass(frozen=True)
class RefreshResult:
    opened: int = 0
    reopened: int = 0
    resolved: int = 0
    changed: int = 0
    unchanged: int = 0

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _register_extra(organisation: Organisation) -> dict[str, dict[Any, Any]]:
    rows = Contract.objects.filter(organisation=organisation).values_list(
        "pk", "reference", "title", "renewal_decision"
    )
    return {
        "renewal_decision": {pk: (decision or "undecided") for pk, _r, _t, decision in rows},
        "contract_name": {pk: (ref or title) for pk, ref, title, _d in rows},
    }


def evaluate_organisation(
    organisation: Organisation, *, as_of: dt.date | None = None
) -> tuple[list[Hit], Any]:
    """(hits, analysis) of the organisation's framework over its register (no permission check)."""
    framework = framework_for(organisation)
    analysis = analyse_organisation(organisation, AnalysisOptions(as_of=as_of, detail=False))
    ctx = build_context(analysis, as_of=as_of, extra=_register_extra(organisation))
    return evaluate(ctx, framework.applied), analysis


def _event(finding: Finding, kind: str, *, actor: Actor = None, note: str = "") -> None:
    user = actor if actor is not None and actor.is_authenticated else None
    FindingEvent.objects.create(
        finding=finding, kind=kind, actor=user, fingerprint=finding.fingerprint, note=note
    )
    audit_record(
        actor=actor,
        action=AuditAction.EVENT,
        instance=finding,
        organisation_id=finding.organisation_id,
        after={"status": finding.status, "event": kind, "fingerprint": finding.fingerprint},
        message=f"finding {kind}: {finding.rule} {finding.subject_key}"[:300],
    )


def _end_acceptance(finding: Finding, reason: str) -> None:
    now = timezone.now()
    finding.acceptances.filter(ended_at__isnull=True).update(ended_at=now, end_reason=reason)


def findings_refresh(*, organisation: Organisation, as_of: dt.date | None = None) -> RefreshResult:
    """Re-evaluate the organisation's framework and move every finding to its new state.

    New hits open findings; a resolved finding that holds again reopens; an accepted finding
    reopens when its acceptance expired or its evidence changed; a finding that no longer
    holds is resolved. Only findings whose state or evidence changed are written.
    """
    today = as_of or timezone.localdate()
    hits, _ = evaluate_organisation(organisation, as_of=today)
    return findings_apply(organisation=organisation, hits=hits, today=today)


@dataclass(frozen=True)
class _Stored:
    """What a refresh compares for one stored finding (read as a tuple, not a model)."""

    pk: int
    status: str
    fingerprint: str
    severity: str


def findings_apply(*, organisation: Organisation, hits: Sequence[Hit], today: dt.date) -> RefreshResult:
    """Move the organisation's findings to the state ``hits`` describe (see findings_refresh).

    The stored findings are compared as tuples; only the findings that change are loaded,
    rendered and written, so a refresh after a small edit costs a few queries."""
    by_key = {(h.rule, h.subject, h.subject_key): h for h in hits}
    versions = {rs.id: rs.version for rs in builtin_rulesets().values()}
    counts: Counter[str] = Counter()
    with transaction.atomic():
        stored = {
            (rule, kind, key): _Stored(pk, status, fp, sev)
            for pk, rule, kind, key, status, fp, sev in Finding.objects.select_for_update()
            .filter(organisation=organisation)
            .values_list("pk", "rule", "subject_kind", "subject_key", "status", "fingerprint", "severity")
        }
        running = {
            fid: (pk, expires, fp)
            for pk, fid, expires, fp in Acceptance.objects.filter(
                finding__organisation=organisation, ended_at__isnull=True
            ).values_list("pk", "finding_id", "expires_on", "fingerprint")
        }
        accepted = {fid: (expires, fp) for fid, (_, expires, fp) in running.items()}
        moves: dict[int, tuple[str, Hit | None]] = {}
        upgraded: dict[str, dict[int, str]] = {"findings": {}, "acceptances": {}}
        for key, hit in by_key.items():
            old = stored.get(key)
            if old is None:
                _open(organisation, hit, versions)
                counts["opened"] += 1
                continue
            old, acc = _upgrade(old, running.get(old.pk), hit, upgraded)
            kind = transition((old.status, old.fingerprint, old.severity), acc, hit, today)
            if kind is None:
                counts["unchanged"] += 1
            else:
                moves[old.pk] = (kind, hit)
        for key, old in stored.items():
            if key not in by_key and old.status != FindingStatus.RESOLVED:
                moves[old.pk] = ("resolved", None)
        _write_upgrades(organisation, upgraded)
        for f in Finding.objects.filter(pk__in=list(moves)).order_by("pk"):
            kind, moved = moves[f.pk]
            counts[_move(f, kind, moved, had_acceptance=f.pk in accepted)] += 1
    return RefreshResult(**counts)


def _upgrade(
    old: _Stored, acceptance: tuple[int, dt.date, str] | None, hit: Hit, upgraded: dict[str, dict[int, str]]
) -> tuple[_Stored, tuple[dt.date, str] | None]:
    """The stored finding and its running acceptance with version-1 fingerprints replaced by
    the hit's where they are the version-1 fingerprint of the hit's evidence (the evidence did
    not change; only the definition did). Recorded in ``upgraded`` to be written."""
    legacy: str | None = None

    def current(fp: str) -> str:
        nonlocal legacy
        if not is_legacy(fp):
            return fp
        if legacy is None:
            legacy = legacy_fingerprint(hit.evidence)
        return hit.fingerprint if fp == legacy else fp

    fp = current(old.fingerprint)
    if fp != old.fingerprint:
        upgraded["findings"][old.pk] = fp
        old = _Stored(old.pk, old.status, fp, old.severity)
    if acceptance is None:
        return old, None
    acc_pk, expires, acc_fp = acceptance
    fp = current(acc_fp)
    if fp != acc_fp:
        upgraded["acceptances"][acc_pk] = fp
    return old, (expires, fp)


def _write_upgrades(organisation: Organisation, upgraded: dict[str, dict[int, str]]) -> None:
    """Store the rewritten fingerprints (no event: the evidence is the same), audited once."""
    findings, acceptances = upgraded["findings"], upgraded["acceptances"]
    if not findings and not acceptances:
        return
    Finding.objects.bulk_update(
        [Finding(pk=pk, fingerprint=fp) for pk, fp in findings.items()], ["fingerprint"]
    )
    Acceptance.objects.bulk_update(
        [Acceptance(pk=pk, fingerprint=fp) for pk, fp in acceptances.items()], ["fingerprint"]
    )
    audit_record(
        actor=None,
        action=AuditAction.UPDATE,
        object_type="policy.finding",
        object_repr="fingerprints",
        organisation_id=organisation.pk,
        after={"fingerprint_version": PREFIX, "findings": len(findings), "acceptances": len(acceptances)},
        message=f"finding fingerprints rewritten to {PREFIX} (evidence unchanged): "
        f"{len(findings)} findings, {len(acceptances)} acceptances",
    )


def _open(organisation: Organisation, hit: Hit, versions: Mapping[str, int]) -> None:
    f = Finding.objects.create(
        organisation=organisation,
        rule=hit.rule,
        ruleset_version=versions.get(hit.rule.split("/")[0], 1),
        severity=hit.severity,
        subject_kind=hit.subject,
        subject_key=hit.subject_key,
        fingerprint=hit.fingerprint,
        evidence=dict(hit.evidence),
        message_nl=hit.message_nl,
        message_en=hit.message_en,
    )
    _event(f, EventKind.OPENED)


def _move(f: Finding, kind: str, hit: Hit | None, *, had_acceptance: bool) -> str:
    """Write one transition; returns the counter it adds to."""
    if hit is None:
        f.status = FindingStatus.RESOLVED
        f.resolved_at = timezone.now()
        f.save(update_fields=["status", "resolved_at", "changed_at"])
        if had_acceptance:
            _end_acceptance(f, "resolved")
        _event(f, EventKind.RESOLVED)
        return "resolved"
    _apply(f, hit)
    counter = "changed"
    if kind in (EventKind.EXPIRED, EventKind.EVIDENCE, EventKind.RECURRED):
        f.status = FindingStatus.OPEN
        f.resolved_at = None
        if had_acceptance:
            _end_acceptance(f, kind)
        counter = "reopened"
    f.save()
    _event(f, kind)
    return counter


def transition(
    stored: tuple[str, str, str], acceptance: tuple[dt.date, str] | None, hit: Hit, today: dt.date
) -> str | None:
    """The event a stored finding (status, fingerprint, severity) goes through when ``hit``
    holds (None: unchanged). ``acceptance`` is the running acceptance's (expiry, fingerprint)."""
    status, fingerprint, severity = stored
    if status == FindingStatus.RESOLVED:
        return EventKind.RECURRED
    if status == FindingStatus.ACCEPTED:
        if acceptance is None or acceptance[0] < today:
            return EventKind.EXPIRED
        if acceptance[1] != hit.fingerprint:
            return EventKind.EVIDENCE
        return None
    if fingerprint != hit.fingerprint or severity != hit.severity:
        return EventKind.CHANGED
    return None


def _apply(f: Finding, hit: Hit) -> None:
    f.fingerprint = hit.fingerprint
    f.evidence = dict(hit.evidence)
    f.severity = hit.severity
    f.message_nl, f.message_en = hit.message_nl, hit.message_en


def finding_accept(
    *,
    actor: Actor,
    finding: Finding,
    justification: str,
    owner: str,
    approver: User,
    expires_on: dt.date,
    today: dt.date | None = None,
) -> Acceptance:
    """Accept ("leg uit") an open finding for its current evidence until ``expires_on``.

    The actor needs edit rights; the approver must administer the organisation.
    """
    if actor is not None:
        require_edit(actor, finding.organisation_id)
    if not can_admin(approver, finding.organisation_id):
        raise ValidationError({"approver": "The approver must be an administrator of the organisation."})
    day = today or timezone.localdate()
    if finding.status != FindingStatus.OPEN:
        raise ValidationError("Only an open finding can be accepted.")
    if expires_on <= day:
        raise ValidationError({"expires_on": "The expiry date must lie in the future."})
    if expires_on > day + dt.timedelta(days=3 * 366):
        raise ValidationError({"expires_on": "An acceptance runs for at most three years."})
    user = actor if actor is not None and actor.is_authenticated else None
    acceptance = Acceptance(
        finding=finding,
        justification=justification.strip(),
        owner=owner.strip(),
        approver=approver,
        expires_on=expires_on,
        fingerprint=finding.fingerprint,
        created_by=user,
    )
    acceptance.full_clean()
    with transaction.atomic():
        acceptance.save()
        finding.status = FindingStatus.ACCEPTED
        finding.save(update_fields=["status", "changed_at"])
        _event(finding, EventKind.ACCEPTED, actor=actor, note=acceptance.justification[:500])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=acceptance,
            organisation_id=finding.organisation_id,
            after={
                "finding": finding.pk,
                "justification": acceptance.justification,
                "owner": acceptance.owner,
                "approver": approver.get_username(),
                "expires_on": expires_on.isoformat(),
            },
        )
    return acceptance


def _group_floor(organisation: Organisation, ruleset: str) -> dict[str, dict[str, float]]:
    """The tightest value per parameter that the organisation's groups already set."""
    rs = builtin_rulesets()[ruleset]
    floor: dict[str, dict[str, float]] = {}
    for a in adoptions_for(organisation):
        if a.organisation_id is not None or a.ruleset != ruleset or not a.active:
            continue
        for rid, params in (a.parameters or {}).items():
            for name, value in params.items():
                param = rs.rule(rid).parameters[name]
                prev = floor.setdefault(rid, {}).get(name, param.default)
                if param.is_tighter_or_equal(float(value), prev):
                    floor[rid][name] = float(value)
    return floor


def adoption_save(
    *,
    actor: Actor,
    ruleset: str,
    organisation: Organisation | None = None,
    organisation_kind: str = "",
    province: str = "",
    joint_arrangement: Organisation | None = None,
    active: bool = True,
    parameters: Mapping[str, Mapping[str, Any]] | None = None,
    note: str = "",
) -> PolicyAdoption:
    """Create or change the adoption of a rule set by an organisation or a group.

    An organisation's administrator adopts for the organisation; the administrator of a joint
    arrangement for its members; only a Regie administrator for a kind or a province.
    Thresholds may only be tightened (than the defaults and than the groups' values).
    """
    sets = builtin_rulesets()
    if ruleset not in sets:
        raise ValidationError({"ruleset": f"Unknown rule set {ruleset!r}."})
    audience = [
        organisation is not None,
        bool(organisation_kind),
        bool(province),
        joint_arrangement is not None,
    ]
    if sum(audience) != 1:
        raise ValidationError(
            "Choose exactly one: an organisation, a kind, a province or a joint arrangement."
        )
    if actor is not None:
        if organisation is not None:
            require_admin(actor, organisation)
        elif joint_arrangement is not None:
            require_admin(actor, joint_arrangement)
        elif not (actor.is_authenticated and actor.is_superuser):
            raise PermissionDenied(
                "Only an administrator of Regie may adopt a rule set for a kind or province."
            )
    floor: dict[str, dict[str, float]] = {}
    if organisation is not None:
        floor = _group_floor(organisation, ruleset)
        if not active and any(
            a.ruleset == ruleset and a.organisation_id is None and a.active
            for a in adoptions_for(organisation)
        ):
            raise ValidationError(
                {"active": "A rule set adopted by a group cannot be switched off by a member."}
            )
    clean = validate_parameters(sets[ruleset], parameters or {}, floor)
    lookup = {
        "ruleset": ruleset,
        "organisation": organisation,
        "organisation_kind": organisation_kind,
        "province": province,
        "joint_arrangement": joint_arrangement,
    }
    with transaction.atomic():
        adoption, created = PolicyAdoption.objects.select_for_update().get_or_create(
            **lookup, defaults={"active": active, "parameters": clean, "note": note}
        )
        before = None if created else {"active": adoption.active, "parameters": adoption.parameters}
        adoption.active, adoption.parameters, adoption.note = active, clean, note
        adoption.full_clean()
        adoption.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            instance=adoption,
            organisation_id=(
                organisation.pk if organisation else joint_arrangement.pk if joint_arrangement else None
            ),
            before=before,
            after={"ruleset": ruleset, "active": active, "parameters": clean, "audience": adoption.audience},
        )
    return adoption


_TREND_PREFIXES = ("processes", "critical_processes", "usages", "exposure", "lockin", "spof")
_TREND_KEYS = ("spend.total", "spend.hhi", "price.rise_cost", "price.inescapable")


def _trend_figure(key: str) -> bool:
    """Scope-wide figures only (not one per provider group)."""
    return key in _TREND_KEYS or key.split(".", maxsplit=1)[0] in _TREND_PREFIXES


def figures_snapshot(*, organisation: Organisation, day: dt.date | None = None) -> FigureSnapshot | None:
    """Record today's figures and finding counts once (append-only); None if already taken."""
    day = day or timezone.localdate()
    if FigureSnapshot.objects.filter(organisation=organisation, day=day).exists():
        return None
    hits, analysis = evaluate_organisation(organisation, as_of=day)  # one analysis for both
    findings_apply(organisation=organisation, hits=hits, today=day)
    counts: dict[str, dict[str, int]] = {}
    for status, severity in Finding.objects.filter(organisation=organisation).values_list(
        "status", "severity"
    ):
        counts.setdefault(status, {}).setdefault(severity, 0)
        counts[status][severity] += 1
    figures = {k: round(v, 6) for k, v in analysis.figures().items() if _trend_figure(k)}
    return FigureSnapshot.objects.create(organisation=organisation, day=day, figures=figures, findings=counts)
