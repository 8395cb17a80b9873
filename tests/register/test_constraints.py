"""Every check and unique constraint of the register is enforced by the database itself.

Each violation below bypasses ``full_clean`` (QuerySet.update or bulk_create) and expects the
database to refuse it, on SQLite and on PostgreSQL alike. A second test sends the same change
through the register services and expects a ValidationError with a message, never a 500.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F

from regie.accounts.models import Membership
from regie.register import services
from regie.register.models import (
    Alternative,
    Country,
    Dependency,
    GemmaElement,
    Law,
    LegalEntity,
    LegalEntityAncestor,
    Service,
    ServiceDependency,
    ServiceLocation,
)
from tests.factories import Landscape

pytestmark = pytest.mark.django_db

D = datetime.date


@dataclass(frozen=True)
class _Lazy:
    """A field value that needs the landscape."""

    value: Callable[[Landscape], Any]


@dataclass(frozen=True)
class Violation:
    """A write that breaks one named constraint, and nothing else."""

    constraint: str
    label: str
    target: Callable[[Landscape], models.Model]
    fields: dict[str, Any] = field(default_factory=dict)
    insert: bool = False  # insert ``target`` (or a copy of it) instead of updating it
    via_service: bool = True  # the same change can be expressed as service data

    @property
    def id(self) -> str:
        return f"{self.constraint}[{self.label}]"

    def changes(self, ls: Landscape) -> dict[str, Any]:
        return {k: v.value(ls) if isinstance(v, _Lazy) else v for k, v in self.fields.items()}


def _integration(ls: Landscape) -> Dependency:
    return Dependency.objects.create(
        organisation=ls.a.org, kind="integration", from_usage=ls.a.usage, to_usage=ls.a.other_usage
    )


def _runs_on(ls: Landscape) -> Dependency:
    return Dependency.objects.get(organisation=ls.a.org, kind="runs_on")


def _iaas(ls: Landscape) -> Service:
    return Service.objects.create(name="Compute (fictitious)", provider=ls.parent, kind="iaas")


def _supply_link(ls: Landscape) -> ServiceDependency:
    return ServiceDependency.objects.create(service=ls.service, depends_on=_iaas(ls))


def _gemma(ls: Landscape) -> GemmaElement:
    return GemmaElement.objects.create(kind="referentiecomponent", name="Zaaksysteem")


def _with_lei(ls: Landscape) -> LegalEntity:
    LegalEntity.objects.filter(pk=ls.provider.pk).update(lei="5493001KJTIIGC8Y1R12")
    return LegalEntity.objects.get(pk=ls.provider.pk)


def _nl(ls: Landscape) -> Country:
    return Country.objects.get(code="NL")


def _law(**dates: datetime.date) -> Callable[[Landscape], Law]:
    return lambda ls: Law(code="cloud-act", name="CLOUD Act", country_id="US", **dates)


VIOLATIONS: list[Violation] = [
    # provenance
    Violation(
        "provenance_source_not_empty",
        "empty source",
        lambda ls: services.provenance_create(actor=None, source="https://example.org", checked_on=None),
        {"source": ""},
    ),
    # organisation
    Violation("organisation_kind_valid", "unknown kind", lambda ls: ls.a.org, {"kind": "town"}),
    Violation("organisation_cbs_code_format", "lower case", lambda ls: ls.a.org, {"cbs_code": "gm0363"}),
    Violation("organisation_cbs_code_format", "too short", lambda ls: ls.a.org, {"cbs_code": "GM363"}),
    Violation("organisation_oin_format", "19 digits", lambda ls: ls.a.org, {"oin": "0" * 19}),
    Violation("organisation_kvk_format", "letters", lambda ls: ls.a.org, {"kvk": "1234567X"}),
    # reference data
    Violation(
        "country_code_iso_alpha2",
        "lower case",
        lambda ls: Country(code="nz", name_en="New Zealand", name_nl="Nieuw-Zeeland"),
        insert=True,
    ),
    Violation("country_eu_member_is_eea_member", "EU but not EEA", _nl, {"eea_member": False}),
    Violation(
        "law_until_after_from",
        "ends before it starts",
        _law(in_force_from=D(2018, 3, 23), in_force_until=D(2018, 1, 1)),
        insert=True,
    ),
    Violation("gemma_unique_kind_name", "duplicate", _gemma, insert=True),
    Violation("gemma_kind_valid", "unknown kind", _gemma, {"kind": "module"}),
    *(
        Violation(f"gemma_{f}_1_3", str(v), _gemma, {f: v})
        for f in ("availability", "integrity", "confidentiality")
        for v in (0, 4)
    ),
    # legal entities and the control chain
    Violation("legalentity_unique_lei", "same LEI twice", _with_lei, {"name": "Copy"}, insert=True),
    Violation("legalentity_lei_format", "too short", lambda ls: ls.provider, {"lei": "5493001KJTIIGC8Y1R1"}),
    Violation(
        "legalentity_lei_format",
        "checksum not digits",
        lambda ls: ls.provider,
        {"lei": "5493001KJTIIGC8Y1RXX"},
    ),
    Violation("legalentity_kvk_format", "seven digits", lambda ls: ls.provider, {"kvk": "1234567"}),
    Violation(
        "legalentity_parent_matches_state",
        "known without parent",
        lambda ls: ls.parent,
        {"parent_state": "known"},
    ),
    Violation(
        "legalentity_parent_matches_state",
        "parent while state says none",
        lambda ls: ls.provider,
        {"parent_state": "none"},
    ),
    Violation(
        "legalentity_parent_matches_state",
        "parent while state unknown",
        lambda ls: ls.provider,
        {"parent_state": "unknown"},
    ),
    Violation(
        "legalentity_parent_state_valid", "unknown state", lambda ls: ls.parent, {"parent_state": "maybe"}
    ),
    Violation(
        "legalentity_not_own_parent",
        "self-parent",
        lambda ls: ls.parent,
        {"parent_state": "known", "parent": F("id")},
        via_service=False,
    ),
    Violation(
        "legalentity_parent_share_0_100", "above 100", lambda ls: ls.provider, {"parent_share": Decimal(150)}
    ),
    Violation(
        "legalentity_parent_share_0_100", "negative", lambda ls: ls.provider, {"parent_share": Decimal(-1)}
    ),
    Violation(
        "legalentityancestor_unique",
        "duplicate link",
        lambda ls: LegalEntityAncestor.objects.get(descendant=ls.provider),
        insert=True,
        via_service=False,
    ),
    Violation(
        "legalentityancestor_no_cycle",
        "own ancestor",
        lambda ls: LegalEntityAncestor(descendant=ls.parent, ancestor=ls.parent, depth=1),
        insert=True,
        via_service=False,
    ),
    Violation(
        "legalentityancestor_depth_positive",
        "depth 0",
        lambda ls: LegalEntityAncestor(descendant=ls.parent, ancestor=ls.provider, depth=0),
        insert=True,
        via_service=False,
    ),
    # products, services, supply chain, alternatives
    Violation("product_unique_name_supplier", "duplicate", lambda ls: ls.product, insert=True),
    Violation("service_unique_name_provider", "duplicate", lambda ls: ls.service, insert=True),
    Violation("service_kind_valid", "unknown kind", lambda ls: ls.service, {"kind": "cloud"}),
    Violation(
        "service_recovery_hours_not_negative",
        "negative",
        lambda ls: ls.service,
        {"recovery_hours": Decimal(-1)},
    ),
    Violation(
        "servicelocation_unique",
        "duplicate",
        lambda ls: ServiceLocation.objects.get(service=ls.service, role="rest"),
        insert=True,
    ),
    Violation(
        "servicelocation_role_valid",
        "unknown role",
        lambda ls: ServiceLocation.objects.get(service=ls.service, role="rest"),
        {"role": "backup"},
    ),
    Violation("servicedependency_unique", "duplicate", _supply_link, insert=True),
    Violation(
        "servicedependency_not_self",
        "runs on itself",
        lambda ls: ServiceDependency(service=ls.service, depends_on=ls.service),
        insert=True,
    ),
    *(
        Violation(
            "alternative_fit_1_5",
            str(fit),
            lambda ls, fit=fit: Alternative(name="Open Zaak", category="zaaksysteem", fit=fit),
            insert=True,
        )
        for fit in (0, 6)
    ),
    # processes
    Violation("process_unique_name", "same name twice", lambda ls: ls.a.process, insert=True),
    *(
        Violation(f"process_{f}_1_3", str(v), lambda ls: ls.a.process, {f: v})
        for f in ("availability", "integrity", "confidentiality")
        for v in (0, 4)
    ),
    *(
        Violation(f"process_{f}_not_negative", "negative", lambda ls: ls.a.process, {f: Decimal("-0.5")})
        for f in ("max_tolerable_downtime_hours", "rto_hours", "rpo_hours")
    ),
    Violation("process_personal_data_valid", "unknown", lambda ls: ls.a.process, {"personal_data": "lots"}),
    # usages
    Violation("usage_unique_name", "same name twice", lambda ls: ls.a.usage, insert=True),
    Violation("usage_status_valid", "unknown", lambda ls: ls.a.usage, {"status": "broken"}),
    Violation(
        "usage_retired_after_production",
        "retired before production",
        lambda ls: ls.a.usage,
        {"production_on": D(2024, 1, 1), "retired_on": D(2023, 12, 31)},
    ),
    Violation(
        "usage_phase_out_after_production",
        "phased out before production",
        lambda ls: ls.a.usage,
        {"production_on": D(2024, 1, 1), "phasing_out_on": D(2023, 12, 31)},
    ),
    Violation(
        "usage_production_after_acquisition",
        "production before acquisition",
        lambda ls: ls.a.usage,
        {"acquiring_on": D(2024, 1, 1), "production_on": D(2023, 12, 31)},
    ),
    Violation(
        "usage_override_needs_justification",
        "override without justification",
        lambda ls: ls.a.usage,
        {"substitutability_override": "high", "override_justification": ""},
    ),
    # redundancy groups and dependencies
    Violation("redundancygroup_unique_name", "same name twice", lambda ls: ls.a.group, insert=True),
    Violation("redundancygroup_k_at_least_1", "k = 0", lambda ls: ls.a.group, {"k": 0}),
    Violation(
        "dependency_endpoints_match_kind",
        "requires with the endpoints of runs_on",
        lambda ls: ls.a.dependency,
        {"kind": "runs_on"},
    ),
    Violation(
        "dependency_endpoints_match_kind",
        "requires with a service as well",
        lambda ls: ls.a.dependency,
        {"to_service": _Lazy(lambda ls: ls.service)},
    ),
    Violation(
        "dependency_endpoints_match_kind",
        "runs_on without a service",
        _runs_on,
        {"to_service": None},
    ),
    Violation(
        "dependency_endpoints_match_kind",
        "integration from a process",
        _integration,
        {"from_usage": None, "from_process": F("to_usage")},
        via_service=False,
    ),
    Violation("dependency_endpoints_match_kind", "unknown kind", lambda ls: ls.a.dependency, {"kind": "x"}),
    Violation(
        "dependency_not_self",
        "integration with itself",
        _integration,
        {"to_usage": F("from_usage")},
        via_service=False,
    ),
    Violation(
        "dependency_not_self",
        "integration with itself (insert)",
        lambda ls: Dependency(
            organisation=ls.a.org, kind="integration", from_usage=ls.a.usage, to_usage=ls.a.usage
        ),
        insert=True,
    ),
    Violation("dependency_unique_requires", "twice", lambda ls: ls.a.dependency, insert=True),
    Violation("dependency_unique_runs_on", "twice", _runs_on, {"group": None}, insert=True),
    Violation("dependency_unique_integration", "twice", _integration, insert=True),
    # data sets, contracts, exit plans
    Violation("dataset_unique_name", "same name twice", lambda ls: ls.a.dataset, insert=True),
    Violation("dataset_volume_not_negative", "negative", lambda ls: ls.a.dataset, {"volume_gb": Decimal(-1)}),
    Violation("contract_unique_reference", "same reference twice", lambda ls: ls.a.contract, insert=True),
    Violation(
        "contract_end_after_start",
        "ends before it starts",
        lambda ls: ls.a.contract,
        {"end_date": D(2023, 1, 1)},
    ),
    Violation(
        "contract_value_not_negative", "negative", lambda ls: ls.a.contract, {"annual_value": Decimal(-1)}
    ),
    Violation(
        "contract_renewal_decision_valid", "unknown", lambda ls: ls.a.contract, {"renewal_decision": "maybe"}
    ),
    Violation("contractclause_unique_kind", "same kind twice", lambda ls: ls.a.clause, insert=True),
    Violation("contractclause_kind_valid", "unknown", lambda ls: ls.a.clause, {"kind": "nda"}),
    Violation(
        "exitplan_for_usage_or_service",
        "both",
        lambda ls: ls.a.exit_plan,
        {"service": _Lazy(lambda ls: ls.service)},
    ),
    Violation("exitplan_for_usage_or_service", "neither", lambda ls: ls.a.exit_plan, {"usage": None}),
    Violation(
        "exitplan_cost_not_negative", "negative", lambda ls: ls.a.exit_plan, {"estimated_cost": Decimal(-1)}
    ),
    Violation("exitplanstep_unique_order", "same order twice", lambda ls: ls.a.step, insert=True),
    # accounts
    Violation(
        "membership_unique_user_org",
        "two roles in one organisation",
        lambda ls: Membership.objects.get(user=ls.a.viewer),
        insert=True,
        via_service=False,
    ),
    Violation(
        "membership_role_valid",
        "unknown role",
        lambda ls: Membership.objects.get(user=ls.a.viewer),
        {"role": "owner"},
        via_service=False,
    ),
]

CONSTRAINED_APPS = ("register", "accounts")


def _declared_constraints() -> set[str]:
    return {
        constraint.name
        for app in CONSTRAINED_APPS
        for model in apps.get_app_config(app).get_models()
        for constraint in model._meta.constraints
    }


def _copy(obj: models.Model, fields: dict[str, Any]) -> models.Model:
    """An unsaved instance: ``obj`` itself if it is new, or a copy of the stored row."""
    if obj._state.adding:
        copy = obj
    else:
        copy = type(obj)._default_manager.get(pk=obj.pk)
        copy.pk = None
        copy._state.adding = True
    for name, value in fields.items():
        setattr(copy, name, value)
    return copy


def _violate_in_database(violation: Violation, ls: Landscape) -> None:
    """Apply the violating write without any model validation."""
    obj = violation.target(ls)
    model = type(obj)
    if violation.insert:
        model._default_manager.bulk_create([_copy(obj, violation.changes(ls))])
    else:
        assert not obj._state.adding, "an update needs a stored row"
        model._default_manager.filter(pk=obj.pk).update(**violation.changes(ls))


def _refusal_names(constraint: str, text: str) -> bool:
    """The database's message names the constraint (SQLite leaves unique constraints unnamed)."""
    if constraint in text:
        return True
    return connection.vendor == "sqlite" and "UNIQUE constraint failed" in text


def test_every_declared_constraint_has_a_violation_below() -> None:
    assert _declared_constraints() == {v.constraint for v in VIOLATIONS}


@pytest.mark.parametrize("violation", VIOLATIONS, ids=lambda v: v.id)
def test_the_database_refuses_a_row_that_breaks_the_constraint(
    violation: Violation, landscape: Landscape
) -> None:
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        _violate_in_database(violation, landscape)
    assert _refusal_names(violation.constraint, str(refused.value)), str(refused.value)


@pytest.mark.parametrize("violation", [v for v in VIOLATIONS if v.via_service], ids=lambda v: v.id)
def test_services_report_the_broken_constraint_as_a_validation_error(
    violation: Violation, landscape: Landscape
) -> None:
    obj = violation.target(landscape)
    model = type(obj)
    manager = model._default_manager
    rows_before = sorted(manager.values_list("pk", flat=True))
    if violation.insert:
        copy = _copy(obj, violation.changes(landscape))
        data = {
            f.attname: getattr(copy, f.attname)
            for f in model._meta.concrete_fields
            if f.editable and not isinstance(f, models.AutoField | models.BigAutoField)
        }
        with pytest.raises(ValidationError) as refused:
            services.register_create(actor=None, model=model, data=data)
    else:
        stored = manager.get(pk=obj.pk)
        as_stored = list(manager.filter(pk=obj.pk).values())
        with pytest.raises(ValidationError) as refused:
            services.register_update(actor=None, instance=stored, data=violation.changes(landscape))
        assert list(manager.filter(pk=obj.pk).values()) == as_stored
    assert refused.value.messages
    assert sorted(manager.values_list("pk", flat=True)) == rows_before
