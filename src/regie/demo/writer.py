"""Write the demo through the register services, so that the audit trail shows every record.

Names in the plans are resolved here: catalogue records by name, GEMMA elements by kind and
name, countries by ISO code, and an organisation's own records by their name within it.
"""

from __future__ import annotations

import datetime
from typing import Any

from regie.register import services
from regie.register.models import (
    Alternative,
    Contract,
    ContractClause,
    Country,
    DataSet,
    Dependency,
    ExitPlan,
    ExitPlanStep,
    GemmaElement,
    LegalEntity,
    Organisation,
    Process,
    Product,
    Provenance,
    RedundancyGroup,
    Service,
    ServiceDependency,
    ServiceLocation,
    Usage,
)

from . import fictional, fictional_services
from .specs import OrganisationSpec


class DemoDataError(LookupError):
    """The plan names something that is not in the catalogue."""


def _create(model: type[Any], data: dict[str, Any], m2m: dict[str, Any] | None = None) -> Any:
    return services.register_create(actor=None, model=model, data=data, m2m=m2m)


class Resolver:
    """Catalogue and reference records by name, read once."""

    def __init__(self) -> None:
        self.countries = {c.code: c for c in Country.objects.all()}
        self.gemma = {(g.kind, g.name): g for g in GemmaElement.objects.all()}
        self.refresh()

    def refresh(self) -> None:
        self.entities = {e.name: e for e in LegalEntity.objects.order_by("-pk")}
        self.products = {p.name: p for p in Product.objects.order_by("-pk")}
        self.services = {s.name: s for s in Service.objects.order_by("-pk")}
        self.alternatives = {a.name: a for a in Alternative.objects.all()}

    def country(self, code: str | None) -> Country | None:
        if code is None:
            return None
        try:
            return self.countries[code]
        except KeyError as exc:
            raise DemoDataError(f"Country {code!r} is not loaded: load the reference bundle first.") from exc

    def element(self, kind: str, name: str | None) -> GemmaElement | None:
        if name is None:
            return None
        try:
            return self.gemma[(kind, name)]
        except KeyError as exc:
            raise DemoDataError(f"GEMMA {kind} {name!r} is not loaded.") from exc

    def named(self, table: dict[str, Any], name: str, what: str) -> Any:
        try:
            return table[name]
        except KeyError as exc:
            raise DemoDataError(f"{what} {name!r} is not in the catalogue.") from exc


def write_fictional_catalogue(resolver: Resolver, provenance: Provenance) -> int:
    """Create the invented suppliers, products and services. Returns the number of records."""
    count = 0
    for e in fictional.ENTITIES:
        country = resolver.country(e.country)
        parent = resolver.entities[e.parent] if e.parent else None
        resolver.entities[e.name] = _create(
            LegalEntity,
            {
                "name": e.name,
                "description": e.description,
                "is_public_body": e.public_body,
                "registration_country": country,
                "registration_country_provenance": provenance,
                "hq_country": country,
                "hq_country_provenance": provenance,
                "parent_state": e.parent_state,
                "parent": parent,
                "parent_basis": e.basis,
                "parent_share": e.share,
                "parent_provenance": provenance,
            },
        )
        count += 1
    for p in fictional.PRODUCTS:
        resolver.products[p.name] = _create(
            Product,
            {
                "name": p.name,
                "supplier": resolver.entities[p.supplier],
                "kind": p.kind,
                "open_source": p.open_source,
                "licence": p.licence,
                "export_formats": p.export_formats,
                "export_open_standard": p.export_open_standard,
                "export_bulk_api": p.export_bulk_api,
                "provenance": provenance,
            },
            m2m={
                "reference_components": [resolver.element("referentiecomponent", c) for c in p.components],
                "standards": [resolver.element("standaard", s) for s in p.standards],
            },
        )
        count += 1
    for s in fictional_services.SERVICES:
        service = _create(
            Service,
            {
                "name": s.name,
                "provider": resolver.entities[s.provider],
                "product": resolver.products[s.product] if s.product else None,
                "kind": s.kind,
                "description": s.description,
                "customer_held_keys": s.customer_held_keys,
                "certifications": s.certifications,
                "recovery_hours": s.recovery_hours,
                "recovery_provenance": provenance if s.recovery_hours is not None else None,
            },
        )
        resolver.services[s.name] = service
        count += 1
        for role, codes in (("rest", s.rest), ("processing", s.processing), ("access", s.access)):
            for code in codes:
                _create(
                    ServiceLocation,
                    {
                        "service": service,
                        "role": role,
                        "country": resolver.country(code),
                        "provenance": provenance,
                    },
                )
                count += 1
    for s in fictional_services.SERVICES:
        for target in s.runs_on:
            _create(
                ServiceDependency,
                {
                    "service": resolver.services[s.name],
                    "depends_on": resolver.named(resolver.services, target, "Service"),
                    "provenance": provenance,
                },
            )
            count += 1
    return count


def write_organisation(resolver: Resolver, spec: OrganisationSpec, provenance: Provenance) -> Organisation:
    org: Organisation = _create(
        Organisation,
        {
            "name": spec.name,
            "code": spec.code,
            "kind": spec.kind,
            "cbs_code": spec.cbs_code,
            "province": spec.province,
            "inhabitants": spec.inhabitants,
            "staff": spec.staff,
        },
    )
    processes: dict[str, Process] = {}
    for p in spec.processes:
        processes[p.name] = _create(
            Process,
            {
                "organisation": org,
                "name": p.name,
                "description": p.description,
                "owner": p.owner,
                "gemma_function": resolver.element("bedrijfsfunctie", p.function),
                "gemma_process": resolver.element("bedrijfsproces", p.process),
                "availability": p.availability,
                "integrity": p.integrity,
                "confidentiality": p.confidentiality,
                "critical": p.critical,
                "max_tolerable_downtime_hours": p.downtime_hours,
                "rto_hours": p.rto_hours,
                "rpo_hours": p.rpo_hours,
                "personal_data": p.personal_data,
                "people_affected": p.people_affected,
            },
        )
    usages: dict[str, Usage] = {}
    for u in spec.usages:
        usages[u.name] = _create(
            Usage,
            {
                "organisation": org,
                "name": u.name,
                "product": resolver.named(resolver.products, u.product, "Product"),
                "reference_component": resolver.element("referentiecomponent", u.component),
                "status": u.status,
                "planned_on": u.planned_on,
                "acquiring_on": u.acquiring_on,
                "production_on": u.production_on,
                "phasing_out_on": u.phasing_out_on,
                "retired_on": u.retired_on,
                "owner": u.owner,
                "notes": u.notes,
                "substitutability_override": u.override,
                "substitutability_reason": u.override_reason,
                "override_justification": u.override_justification,
            },
        )
    groups = {
        g.name: _create(
            RedundancyGroup, {"organisation": org, "name": g.name, "k": g.k, "description": g.description}
        )
        for g in spec.groups
    }
    for d in spec.dependencies:
        data: dict[str, Any] = {
            "organisation": org,
            "kind": d.kind,
            "group": groups[d.group] if d.group else None,
            "standard": d.standard,
            "direction": d.direction,
            "proprietary": d.proprietary,
            "notes": d.notes,
        }
        if d.kind == "requires":
            data |= {"from_process": processes[d.source], "to_usage": usages[d.target]}
        elif d.kind == "runs_on":
            data |= {
                "from_usage": usages[d.source],
                "to_service": resolver.named(resolver.services, d.target, "Service"),
            }
        else:
            data |= {"from_usage": usages[d.source], "to_usage": usages[d.target]}
        _create(Dependency, data)
    for ds in spec.datasets:
        _create(
            DataSet,
            {
                "organisation": org,
                "name": ds.name,
                "description": ds.description,
                "usage": usages[ds.usage],
                "classification": ds.classification,
                "personal_data": ds.personal_data,
                "volume_gb": ds.volume_gb,
                "records": ds.records,
                "export_formats": ds.export_formats,
                "export_open_format": ds.export_open_format,
            },
        )
    for c in spec.contracts:
        contract = _create(
            Contract,
            {
                "organisation": org,
                "reference": c.reference,
                "title": c.title,
                "counterparty": resolver.named(resolver.entities, c.counterparty, "Legal entity"),
                "start_date": c.start_date,
                "end_date": c.end_date,
                "notice_days": c.notice_days,
                "provider_notice_days": c.provider_notice_days,
                "auto_renewal": c.auto_renewal,
                "renewal_months": c.renewal_months,
                "annual_value": c.annual_value,
                "governing_law": resolver.country(c.governing_law),
                "governing_law_provenance": provenance if c.governing_law else None,
                "renewal_decision": c.renewal_decision,
                "decision_notes": c.decision_notes,
            },
            m2m={
                "usages": [usages[u] for u in c.usages],
                "services": [resolver.services[s] for s in c.services],
            },
        )
        for clause in c.clauses:
            _create(
                ContractClause,
                {
                    "contract": contract,
                    "kind": clause.kind,
                    "present": clause.present,
                    "detail": clause.detail,
                    "provenance": provenance,
                },
            )
    for plan in spec.exit_plans:
        exit_plan = _create(
            ExitPlan,
            {
                "organisation": org,
                "title": plan.title,
                "usage": usages[plan.usage],
                "alternative": resolver.alternatives.get(plan.alternative) if plan.alternative else None,
                "owner": plan.owner,
                "estimated_cost": plan.estimated_cost,
                "duration_days": plan.duration_days,
                "last_tested": plan.last_tested,
                "status": plan.status,
                "notes": plan.notes,
            },
        )
        for order, step in enumerate(plan.steps, start=1):
            _create(
                ExitPlanStep,
                {
                    "plan": exit_plan,
                    "order": order,
                    "description": step.description,
                    "owner": step.owner,
                    "duration_days": step.duration_days,
                    "done": step.done,
                },
            )
    return org


def write_memberships(specs: list[OrganisationSpec], organisations: dict[str, Organisation]) -> None:
    """Record which organisations take part in which joint arrangements."""
    by_name = {o.name: o for o in organisations.values()}
    for spec in specs:
        if spec.member_of:
            services.register_update(
                actor=None,
                instance=organisations[spec.code],
                data={},
                m2m={"joint_arrangements": [by_name[name] for name in spec.member_of]},
            )


def fictional_provenance(reference_date: datetime.date) -> Provenance:
    return services.provenance_create(
        actor=None,
        source=fictional.FICTIONAL_SOURCE,
        checked_on=reference_date,
        note="Verzonnen gegevens voor de demonstratie van Regie; geen feiten over bestaande organisaties.",
        entered_by_label="regie demo",
    )
