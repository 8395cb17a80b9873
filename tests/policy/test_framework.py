"""An organisation's own framework: rule sets per organisation or group, thresholds only tighter."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from regie.policy.framework import framework_for
from regie.policy.services import adoption_save
from regie.register import services
from tests.factories import Landscape

pytestmark = pytest.mark.django_db


def params(landscape_org, rule: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    fw = framework_for(landscape_org)
    return next(dict(ar.params) for ar in fw.applied if ar.rule.id == rule)


def test_regie_basis_applies_by_default(landscape: Landscape) -> None:
    fw = framework_for(landscape.a.org)
    assert [(rs.id, src) for rs, src in fw.rulesets] == [("regie-basis", "default")]
    assert params(landscape.a.org, "CTR-01") == {"threshold_eur": 50_000.0}


def test_an_organisation_may_tighten_but_not_loosen(landscape: Landscape) -> None:
    adoption_save(
        actor=landscape.a.admin,
        ruleset="regie-basis",
        organisation=landscape.a.org,
        parameters={"CTR-01": {"threshold_eur": 20_000}, "CTR-05": {"months": 18}},
    )
    assert params(landscape.a.org, "CTR-01") == {"threshold_eur": 20_000.0}
    assert params(landscape.a.org, "CTR-05") == {"months": 18.0}
    assert params(landscape.b.org, "CTR-01") == {"threshold_eur": 50_000.0}
    with pytest.raises(ValidationError, match="loosen"):
        adoption_save(
            actor=landscape.a.admin,
            ruleset="regie-basis",
            organisation=landscape.a.org,
            parameters={"CTR-05": {"months": 6}},
        )
    with pytest.raises(ValidationError, match="no parameter"):
        adoption_save(
            actor=landscape.a.admin,
            ruleset="regie-basis",
            organisation=landscape.a.org,
            parameters={"CTR-01": {"x": 1}},
        )
    with pytest.raises(PermissionDenied):
        adoption_save(actor=landscape.a.editor, ruleset="regie-basis", organisation=landscape.a.org)


def test_a_province_adopts_for_its_members_and_members_cannot_loosen_it(
    landscape: Landscape, superuser
) -> None:  # type: ignore[no-untyped-def]
    services.register_update(actor=None, instance=landscape.a.org, data={"province": "UT"})
    adoption_save(
        actor=superuser, ruleset="regie-basis", province="UT", parameters={"CNC-03": {"max_share": 0.3}}
    )
    assert params(landscape.a.org, "CNC-03") == {"max_share": 0.3}
    assert params(landscape.b.org, "CNC-03") == {"max_share": 0.5}
    sources = [src for _rs, src in framework_for(landscape.a.org).rulesets]
    assert sources == ["Utrecht"]
    with pytest.raises(ValidationError, match="loosen"):
        adoption_save(
            actor=landscape.a.admin,
            ruleset="regie-basis",
            organisation=landscape.a.org,
            parameters={"CNC-03": {"max_share": 0.4}},
        )
    adoption_save(
        actor=landscape.a.admin,
        ruleset="regie-basis",
        organisation=landscape.a.org,
        parameters={"CNC-03": {"max_share": 0.2}},
    )
    assert params(landscape.a.org, "CNC-03") == {"max_share": 0.2}
    with pytest.raises(ValidationError, match="cannot be switched off"):
        adoption_save(
            actor=landscape.a.admin, ruleset="regie-basis", organisation=landscape.a.org, active=False
        )
    with pytest.raises(PermissionDenied):
        adoption_save(actor=landscape.a.admin, ruleset="regie-basis", province="UT")


def test_an_organisation_may_switch_off_the_default_set(landscape: Landscape) -> None:
    adoption_save(actor=landscape.a.admin, ruleset="regie-basis", organisation=landscape.a.org, active=False)
    assert framework_for(landscape.a.org).applied == ()


def test_a_joint_arrangement_adopts_for_its_members(landscape: Landscape, superuser) -> None:  # type: ignore[no-untyped-def]
    from regie.register.models import Organisation

    ssc = services.register_create(
        actor=None,
        model=Organisation,
        data={"name": "Servicecentrum", "code": "ssc", "kind": "joint_arrangement"},
    )
    landscape.b.org.joint_arrangements.add(ssc)
    adoption_save(
        actor=superuser,
        ruleset="regie-basis",
        joint_arrangement=ssc,
        parameters={"JUR-03": {"min_confidentiality": 1}},
    )
    assert params(landscape.b.org, "JUR-03") == {"min_confidentiality": 1.0}
    assert params(landscape.a.org, "JUR-03") == {"min_confidentiality": 2.0}


def test_exactly_one_audience(landscape: Landscape, superuser) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="exactly one"):
        adoption_save(actor=superuser, ruleset="regie-basis", organisation=landscape.a.org, province="UT")
    with pytest.raises(ValidationError, match="Unknown rule set"):
        adoption_save(actor=superuser, ruleset="nope", organisation=landscape.a.org)
