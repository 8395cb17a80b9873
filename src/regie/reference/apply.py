"""Writing a parsed bundle to the register, kind by kind, through the register services.

Records are found by their natural key: country code; law code; entity by LEI, else by name;
product by name and supplier; service by name and provider; alternative by name; GEMMA element
by kind and name. Entities come parents first, so no transient cycle can arise.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from regie.register.models import (
    Alternative,
    Country,
    GemmaElement,
    Law,
    LegalEntity,
    Product,
    Provenance,
    Service,
    ServiceDependency,
    ServiceLocation,
)
from regie.register.services import register_create, register_delete, register_update

from .report import FactChange
from .specs import BundleError, CountrySpec, SourceSpec
from .writer import Place, Writer, messages


class BundleWriter(Writer):
    """Applies one parsed bundle inside the caller's transaction and fills the report."""

    def apply(self) -> None:
        self.apply_countries()
        self.apply_gemma()
        self.apply_laws()
        self.apply_entities()
        self.apply_products()
        self.apply_services()
        self.apply_alternatives()

    def apply_countries(self) -> None:
        existing = Country.objects.select_related("provenance").in_bulk()
        file = self.bundle.files["countries"]
        for spec in self.bundle.countries:
            current = existing.get(spec.code)
            self.countries[spec.code] = self.upsert(
                kind="country",
                key=spec.code,
                place=Place(file, f"country {spec.code}"),
                model=Country,
                instance=current,
                values=self._country_values(spec, current),
            )

    def _country_values(self, spec: CountrySpec, current: Country | None) -> dict[str, Any]:
        return {
            "code": spec.code,
            "name_en": spec.name_en,
            "name_nl": spec.name_nl,
            "eu_member": spec.eu_member,
            "eea_member": spec.eea_member,
            "gdpr_adequacy": spec.gdpr_adequacy,
            "provenance": self.provenance(spec.source, current.provenance if current else None),
        }

    def apply_gemma(self) -> None:
        existing = {(g.kind, g.name): g for g in GemmaElement.objects.all()}
        file = self.bundle.files["gemma"]
        for spec in self.bundle.gemma:
            k = (spec.kind, spec.name)
            self.gemma[k] = self.upsert(
                kind="gemma",
                key=f"{spec.kind} {spec.name}",
                place=Place(file, f"{spec.kind} '{spec.name}'"),
                model=GemmaElement,
                instance=existing.get(k),
                values={
                    "kind": spec.kind,
                    "name": spec.name,
                    "bbn": spec.bbn,
                    "availability": spec.availability,
                    "integrity": spec.integrity,
                    "confidentiality": spec.confidentiality,
                    "status": spec.status,
                },
            )

    def apply_laws(self) -> None:
        existing = {law.code: law for law in Law.objects.select_related("provenance")}
        file = self.bundle.files["laws"]
        for i, spec in enumerate(self.bundle.laws):
            current = existing.get(spec["code"])
            triggers = set(spec["triggers"])
            self.upsert(
                kind="law",
                key=spec["code"],
                place=Place(file, f"entry {i + 1} ({spec['code']})"),
                model=Law,
                instance=current,
                values={
                    "code": spec["code"],
                    "name": spec["name"],
                    "country": self.countries[spec["country"]],
                    "citation": spec.get("citation", ""),
                    "summary": " ".join(spec.get("summary", "").split()),
                    "trigger_control": "control" in triggers,
                    "trigger_location": "location" in triggers,
                    "trigger_access": "access" in triggers,
                    "in_force_from": date_or_none(spec.get("in_force_from")),
                    "in_force_until": date_or_none(spec.get("in_force_until")),
                    "provenance": self.provenance(
                        self.source(spec["source"]), current.provenance if current else None
                    ),
                },
            )

    def _find_entity(self, spec: dict[str, Any], place: Place) -> LegalEntity | None:
        query = LegalEntity.objects.select_related(
            "hq_country_provenance", "registration_country_provenance", "parent_provenance"
        )
        if spec.get("lei"):
            found = query.filter(lei=spec["lei"]).first()
            if found is not None:
                return found
        matches = list(query.filter(name=spec["name"], lei="")[:2])
        if len(matches) > 1:
            raise BundleError(
                [
                    f"{place.file}: {place.entry}: several legal entities named '{spec['name']}' without an "
                    "LEI are in the register; give the bundle entry an LEI or merge them first"
                ]
            )
        return matches[0] if matches else None

    def apply_entities(self) -> None:
        file = self.bundle.files["entities"]
        for spec in self.bundle.entities:
            place = Place(file, f"entity '{spec['name']}'")
            current = self._find_entity(spec, place)
            parent_spec = spec.get("parent") or {"state": "unknown"}
            parent = self.entities[parent_spec["entity"]] if "entity" in parent_spec else None
            share = parent_spec.get("share")
            values: dict[str, Any] = {
                "name": spec["name"],
                "lei": spec.get("lei", ""),
                "website": spec.get("website", ""),
                "description": " ".join(spec.get("description", "").split()),
                "is_public_body": spec.get("is_public_body", False),
                "parent_state": "known" if parent is not None else parent_spec["state"],
                "parent": parent,
                "parent_basis": parent_spec.get("basis", ""),
                "parent_share": decimal.Decimal(str(share)) if share is not None else None,
                "parent_provenance": self.provenance(
                    self.source(parent_spec.get("source")), current.parent_provenance if current else None
                ),
            }
            if "kvk" in spec:
                values["kvk"] = spec["kvk"]
            for fact, field_name in (("hq", "hq_country"), ("registration", "registration_country")):
                given = spec.get(fact)
                values[field_name] = self.countries[given["country"]] if given else None
                values[f"{field_name}_provenance"] = self.provenance(
                    self.source(given["source"]) if given else None,
                    getattr(current, f"{field_name}_provenance") if current else None,
                )
            self.entities[spec["name"]] = self.upsert(
                kind="entity",
                key=spec["name"],
                place=place,
                model=LegalEntity,
                instance=current,
                values=values,
            )

    def _gemma_list(self, kind: str, names: Iterable[str]) -> list[models.Model]:
        return [self.gemma[(kind, n)] for n in names]

    def apply_products(self) -> None:
        file = self.bundle.files["products"]
        for i, spec in enumerate(self.bundle.products):
            supplier = self.entities[spec["supplier"]] if spec.get("supplier") else None
            current = (
                Product.objects.select_related("provenance")
                .filter(name=spec["name"], supplier=supplier)
                .first()
                if supplier is not None
                else Product.objects.select_related("provenance")
                .filter(name=spec["name"], supplier__isnull=True)
                .first()
            )
            product = self.upsert(
                kind="product",
                key=f"{spec['name']} ({spec.get('supplier') or 'no supplier'})",
                place=Place(file, f"entry {i + 1} ({spec['name']})"),
                model=Product,
                instance=current,
                values={
                    "name": spec["name"],
                    "supplier": supplier,
                    "kind": spec["kind"],
                    "description": " ".join(spec.get("description", "").split()),
                    "website": spec.get("website", ""),
                    "open_source": spec.get("open_source", "unknown"),
                    "licence": spec.get("licence", ""),
                    "export_formats": spec.get("export_formats", ""),
                    "export_open_standard": spec.get("export_open_standard", "unknown"),
                    "export_bulk_api": spec.get("export_bulk_api", "unknown"),
                    "provenance": self.provenance(
                        self.source(spec["source"]), current.provenance if current else None
                    ),
                },
                m2m={
                    "reference_components": self._gemma_list(
                        "referentiecomponent", spec.get("reference_components", [])
                    ),
                    "standards": self._gemma_list("standaard", spec.get("standards", [])),
                },
            )
            self.products[spec["name"]] = product

    def apply_services(self) -> None:
        file = self.bundle.files["services"]
        for i, spec in enumerate(self.bundle.services):
            provider = self.entities[spec["provider"]]
            place = Place(file, f"entry {i + 1} ({spec['name']})")
            current = (
                Service.objects.select_related("recovery_provenance")
                .filter(name=spec["name"], provider=provider)
                .first()
            )
            recovery = spec.get("recovery_hours")
            service = self.upsert(
                kind="service",
                key=f"{spec['name']} ({spec['provider']})",
                place=place,
                model=Service,
                instance=current,
                values={
                    "name": spec["name"],
                    "provider": provider,
                    "product": self.products[spec["product"]] if spec.get("product") else None,
                    "kind": spec["kind"],
                    "description": " ".join(spec.get("description", "").split()),
                    "recovery_hours": decimal.Decimal(str(recovery["value"])) if recovery else None,
                    "recovery_provenance": self.provenance(
                        self.source(recovery["source"]) if recovery else None,
                        current.recovery_provenance if current else None,
                    ),
                },
            )
            self.services[(spec["name"], spec["provider"])] = service
            self._sync_locations(service, spec, place, created=current is None)
        for i, spec in enumerate(self.bundle.services):
            service = self.services[(spec["name"], spec["provider"])]
            self._sync_dependencies(service, spec, Place(file, f"entry {i + 1} ({spec['name']})"))

    def _sync_rows(
        self,
        *,
        service: Service,
        place: Place,
        label: Callable[[Any], str],
        existing: dict[Any, Any],
        wanted: dict[Any, SourceSpec],
        create: Callable[[Any, Provenance | None], dict[str, Any]],
        model: type[models.Model],
        key: str,
    ) -> None:
        """Make the rows of one service (locations, dependencies) match the bundle."""
        try:
            for k, row in existing.items():
                if k not in wanted:
                    self.report.changes.append(
                        FactChange(
                            "service",
                            key,
                            service.pk,
                            label(k),
                            "present",
                            None,
                            str(row.provenance or ""),
                            None,
                        )
                    )
                    register_delete(actor=self.actor, instance=row)
                    self.report.changed_service_ids.add(service.pk)
            for k, spec in wanted.items():
                row = existing.get(k)
                prov = self.provenance(spec, row.provenance if row is not None else None)
                if row is None:
                    register_create(actor=self.actor, model=model, data=create(k, prov))
                    self.report.changes.append(
                        FactChange("service", key, service.pk, label(k), None, "present", None, str(prov))
                    )
                    self.report.changed_service_ids.add(service.pk)
                elif row.provenance_id != getattr(prov, "pk", None):
                    self.report.changes.append(
                        FactChange(
                            "service",
                            key,
                            service.pk,
                            label(k),
                            "present",
                            "present",
                            str(row.provenance),
                            str(prov),
                        )
                    )
                    register_update(actor=self.actor, instance=row, data={"provenance": prov})
                    self.report.changed_service_ids.add(service.pk)
        except ValidationError as exc:
            raise BundleError(
                [f"{place.file}: {place.entry}: refused by the register: {messages(exc)}"]
            ) from exc

    def _sync_locations(self, service: Service, spec: dict[str, Any], place: Place, *, created: bool) -> None:
        existing = (
            {}
            if created
            else {
                (r.role, r.country_id): r
                for r in ServiceLocation.objects.filter(service=service).select_related("provenance")
            }
        )
        wanted = {
            (loc["role"], loc.get("country")): self.bundle.sources[loc["source"]]
            for loc in spec.get("locations", [])
        }
        self._sync_rows(
            service=service,
            place=place,
            label=lambda k: f"location ({k[0]}) {k[1] or 'unknown'}",
            existing=existing,
            wanted=wanted,
            create=lambda k, prov: {
                "service": service,
                "role": k[0],
                "country": self.countries[k[1]] if k[1] else None,
                "provenance": prov,
            },
            model=ServiceLocation,
            key=f"{spec['name']} ({spec['provider']})",
        )

    def _sync_dependencies(self, service: Service, spec: dict[str, Any], place: Place) -> None:
        existing = {
            r.depends_on_id: r
            for r in ServiceDependency.objects.filter(service=service).select_related("provenance")
        }
        wanted = {
            self.services[(d["service"], d["provider"])].pk: self.bundle.sources[d["source"]]
            for d in spec.get("depends_on", [])
        }
        by_id = {s.pk: s for s in self.services.values()}
        self._sync_rows(
            service=service,
            place=place,
            label=lambda k: f"runs on {by_id.get(k) or k}",
            existing=existing,
            wanted=wanted,
            create=lambda k, prov: {"service": service, "depends_on": by_id[k], "provenance": prov},
            model=ServiceDependency,
            key=f"{spec['name']} ({spec['provider']})",
        )

    def apply_alternatives(self) -> None:
        file = self.bundle.files["alternatives"]
        existing = {a.name: a for a in Alternative.objects.select_related("provenance")}
        for i, spec in enumerate(self.bundle.alternatives):
            current = existing.get(spec["name"])
            self.upsert(
                kind="alternative",
                key=spec["name"],
                place=Place(file, f"entry {i + 1} ({spec['name']})"),
                model=Alternative,
                instance=current,
                values={
                    "name": spec["name"],
                    "category": spec["category"],
                    "description": " ".join(spec.get("description", "").split()),
                    "provider": self.entities[spec["provider"]] if spec.get("provider") else None,
                    "product": self.products[spec["product"]] if spec.get("product") else None,
                    "replaces_description": spec.get("replaces_text", ""),
                    "eu_based": spec.get("eu_based", "unknown"),
                    "open_source": spec.get("open_source", "unknown"),
                    "licence": spec.get("licence", ""),
                    "self_hostable": spec.get("self_hostable", "unknown"),
                    "fit": spec.get("fit"),
                    "maturity": spec.get("maturity", ""),
                    "migration_notes": spec.get("migration_notes", ""),
                    "website": spec.get("website", ""),
                    "provenance": self.provenance(
                        self.source(spec["source"]), current.provenance if current else None
                    ),
                },
                m2m={
                    "replaces_products": [self.products[n] for n in spec.get("replaces", [])],
                    "replaces_components": self._gemma_list(
                        "referentiecomponent", spec.get("replaces_components", [])
                    ),
                },
            )


def date_or_none(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None
