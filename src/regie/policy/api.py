"""The framework API: findings, accepting a finding, what applies, scorecard roll-up.

A django-ninja Router to mount on the Regie API (``/api/v1``) with
``api.add_router("", regie.policy.api.router)``. Endpoints are thin: find the organisation
in the caller's scope (404 otherwise), call a selector or service, return lowerCamelCase.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Query, Router
from ninja.params import P, PathEx
from pydantic import Field

from regie.accounts.models import User
from regie.analysis.selectors import visible_organisation
from regie.api.auth import caller
from regie.api.problems import ApiError, FieldError, Problem
from regie.api.schema_base import CamelInput, CamelSchema
from regie.register.models import Organisation

from .models import Finding
from .scorecards import sovereignty_rollup
from .selectors import finding_for, findings_for, framework_of
from .services import finding_accept

router = Router(tags=["framework"])
ERRORS = {401: Problem, 404: Problem}
PREFIX = "/organisations/{code}/framework"


class FindingOut(CamelSchema):
    id: int
    rule: str
    severity: str
    status: str
    subject_kind: str
    subject_key: str
    message: str
    evidence: dict[str, Any]
    fingerprint: str


class FindingQuery(CamelSchema):
    status: str | None = Field(None, description="open, accepted or resolved; default: open and accepted")
    lang: str = Field("nl", description="nl or en: language of the message")


class AcceptIn(CamelInput):
    justification: str = Field(min_length=1)
    owner: str = Field(min_length=1, max_length=120)
    approver: str = Field(description="Username of an administrator of the organisation.")
    expires_on: dt.date


def _org(request: HttpRequest, code: str) -> tuple[Any, Organisation]:
    user = caller(request)
    return user, visible_organisation(user=user, code=code)


def _out(f: Finding, lang: str) -> FindingOut:
    return FindingOut(
        id=f.pk,
        rule=f.rule,
        severity=f.severity,
        status=f.status,
        subject_kind=f.subject_kind,
        subject_key=f.subject_key,
        message=f.message(lang),
        evidence=f.evidence,
        fingerprint=f.fingerprint,
    )


@router.get(
    f"{PREFIX}/findings",
    response={200: list[FindingOut], **ERRORS},
    url_name="framework-findings",
    by_alias=True,
)
def list_findings(request: HttpRequest, code: str, query: Query[FindingQuery]) -> Any:
    """The organisation's findings, most severe first."""
    user, org = _org(request, code)
    if query.status not in (None, "open", "accepted", "resolved"):
        raise ApiError(400, errors=[FieldError("status", "open, accepted or resolved")])
    return [_out(f, query.lang) for f in findings_for(user=user, organisation=org, status=query.status)]


@router.post(
    f"{PREFIX}/findings/{{findingId}}/acceptance",
    response={201: FindingOut, 400: Problem, 403: Problem, **ERRORS},
    url_name="framework-finding-accept",
    by_alias=True,
)
def accept_finding(
    request: HttpRequest, code: str, finding_id: PathEx[int, P(alias="findingId")], payload: AcceptIn
) -> Any:
    """Accept ("leg uit") an open finding until a date, with justification, owner and approver."""
    user, org = _org(request, code)
    finding = finding_for(user=user, organisation=org, pk=finding_id)
    approver = User.objects.filter(username=payload.approver).first()
    if approver is None:
        raise ApiError(400, errors=[FieldError("approver", "no such user")])
    try:
        finding_accept(
            actor=user,
            finding=finding,
            justification=payload.justification,
            owner=payload.owner,
            approver=approver,
            expires_on=payload.expires_on,
        )
    except PermissionDenied as exc:
        raise ApiError(403, str(exc) or "You may not accept findings of this organisation.") from exc
    except ValidationError as exc:
        raise ApiError(400, "; ".join(exc.messages)) from exc
    finding.refresh_from_db()
    return 201, _out(finding, "nl")


@router.get(PREFIX, response={200: dict[str, Any], **ERRORS}, url_name="framework")
def framework(request: HttpRequest, code: str) -> Any:
    """The rule sets and tightened thresholds that apply to the organisation."""
    user, org = _org(request, code)
    fw, _adoptions = framework_of(user=user, organisation=org)
    return {
        "ruleSets": [{"id": rs.id, "version": rs.version, "appliesAs": src} for rs, src in fw.rulesets],
        "rules": [
            {
                "id": ar.rule.qualified_id,
                "severity": ar.rule.severity,
                "subject": ar.rule.subject,
                "parameters": ar.params,
            }
            for ar in fw.applied
        ],
    }


@router.get(
    f"{PREFIX}/sovereignty", response={200: dict[str, Any], **ERRORS}, url_name="framework-sovereignty"
)
def sovereignty(request: HttpRequest, code: str) -> Any:
    """Share of the critical processes served at SEAL >= n (n = 0..4)."""
    user, org = _org(request, code)
    r = sovereignty_rollup(user=user, organisation=org)
    return {
        "criticalProcesses": r["critical_processes"],
        "scorecards": r["scorecards"],
        "shareAtOrAbove": {str(k): v for k, v in r["share_at_or_above"].items()},
    }
