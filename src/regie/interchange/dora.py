"""The register in the shape of the DORA Register of Information (Implementing Regulation 2024/2956).

Five templates as CSV files in a zip, with the EBA column codes as headers (``c0010`` …):
b_02.02 contracts × service × function, b_05.01 providers, b_05.02 supply chain,
b_06.01 functions, b_07.01 assessment. Municipalities are not financial entities; the shape
is offered so that registers can be compared and reused. How each column is filled is
documented in docs/interchange.md.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from regie.register.models import (
    Alternative,
    Contract,
    Dependency,
    ExitPlan,
    LegalEntity,
    LocationRole,
    Organisation,
    Process,
    Service,
    ServiceDependency,
    Usage,
)

from .registry import Exporter, register_exporter
from .values import neutralise

if TYPE_CHECKING:
    from regie.register.services import Actor

SENSITIVITY = {1: "low", 2: "medium", 3: "high"}
SUBSTITUTABILITY = {
    "easy": "easily substitutable",
    "medium": "medium complexity in terms of substitutability",
    "high": "highly complex substitutability",
    "none": "not substitutable",
}
REASON = {
    "no_alternatives": "lack of real alternatives",
    "migration": "difficulties in migrating or reintegrating",
    "both": "both",
}


def entity_code(entity: LegalEntity | None) -> tuple[str, str]:
    """The identifier of a provider and its type, preferring the LEI as DORA does."""
    if entity is None:
        return "", ""
    for value, kind in ((entity.lei, "LEI"), (entity.euid, "EUID"), (entity.vat, "VAT"), (entity.kvk, "KvK")):
        if value:
            return value, kind
    return entity.name, "name"


def _yes_no(value: bool) -> str:
    return "true" if value else "false"


class RegisterOfInformation:
    def __init__(self, organisation: Organisation) -> None:
        self.org = organisation
        self.contracts = list(
            Contract.objects.filter(organisation=organisation)
            .select_related("counterparty__hq_country", "governing_law")
            .prefetch_related("usages", "services__provider", "services__locations")
            .order_by("reference")
        )
        deps = Dependency.objects.filter(organisation=organisation).select_related(
            "from_process", "from_usage", "to_usage", "to_service__provider"
        )
        self.runs_on: dict[int, list[Dependency]] = defaultdict(list)
        self.processes_of: dict[int, set[Process]] = defaultdict(set)
        for dep in deps:
            if dep.kind == "runs_on" and dep.from_usage_id is not None:
                self.runs_on[dep.from_usage_id].append(dep)
            elif dep.kind == "requires" and dep.to_usage_id is not None and dep.from_process is not None:
                self.processes_of[dep.to_usage_id].add(dep.from_process)

    def _services_of(self, contract: Contract) -> list[tuple[Service, Dependency | None, Usage | None]]:
        found: list[tuple[Service, Dependency | None, Usage | None]] = [
            (s, None, None) for s in contract.services.all()
        ]
        found.extend(
            (dep.to_service, dep, usage)
            for usage in contract.usages.all()
            for dep in self.runs_on.get(usage.pk, [])
            if dep.to_service is not None
        )
        seen: set[tuple[int, int | None]] = set()
        unique: list[tuple[Service, Dependency | None, Usage | None]] = []
        for service, dep, usage in found:
            key = (service.pk, usage.pk if usage else None)
            if key not in seen:
                seen.add(key)
                unique.append((service, dep, usage))
        return unique

    def b_02_02(self) -> Iterable[list[Any]]:
        yield ["c0010", "c0030", "c0040", "c0050", "c0060", "c0070", "c0080", "c0100", "c0110", "c0120",
               "c0130", "c0140", "c0150", "c0160", "c0170", "c0180"]  # fmt: skip
        for contract in self.contracts:
            code, kind = entity_code(contract.counterparty)
            listed: list[tuple[Service | None, Dependency | None, Usage | None]] = list(
                self._services_of(contract)
            )
            for service, dep, usage in listed or [(None, None, None)]:
                served = self.processes_of.get(usage.pk, set()) if usage else set()
                ordered: list[Process] = sorted(served, key=lambda p: p.name)
                processes: list[Process | None] = [*ordered]
                rest = _countries(service, LocationRole.DATA_AT_REST)
                processing = _countries(service, LocationRole.PROCESSING)
                provider = service.provider if service is not None else contract.counterparty
                for process in processes or [None]:
                    yield [
                        contract.reference,
                        code,
                        kind,
                        process.name if process else "",
                        service.dora_type if service else "",
                        contract.start_date,
                        contract.end_date or "",
                        contract.notice_days if contract.notice_days is not None else "",
                        contract.provider_notice_days if contract.provider_notice_days is not None else "",
                        contract.governing_law_id or "",
                        provider.hq_country_id or "",
                        _yes_no(bool(rest)) if service else "",
                        ";".join(rest),
                        ";".join(processing),
                        SENSITIVITY.get(process.confidentiality, "") if process else "",
                        _reliance(dep),
                    ]

    def providers(self) -> list[LegalEntity]:
        entities: dict[int, LegalEntity] = {}
        for contract in self.contracts:
            entities[contract.counterparty.pk] = contract.counterparty
            for service, _dep, _usage in self._services_of(contract):
                entities[service.provider.pk] = service.provider
        return sorted(entities.values(), key=lambda e: e.name)

    def b_05_01(self) -> Iterable[list[Any]]:
        yield ["c0010", "c0020", "c0030", "c0050", "c0070", "c0080", "c0090"]
        spend: dict[int, Decimal] = defaultdict(Decimal)
        for contract in self.contracts:
            spend[contract.counterparty_id] += contract.annual_value or Decimal(0)
        for entity in self.providers():
            code, kind = entity_code(entity)
            top = entity.ultimate_parent
            top_code, top_kind = entity_code(top) if top.pk != entity.pk else ("", "")
            yield [
                code,
                kind,
                entity.name,
                entity.hq_country_id or "",
                spend.get(entity.pk, ""),
                top_code,
                top_kind,
            ]

    def b_05_02(self) -> Iterable[list[Any]]:
        yield ["c0010", "c0020", "c0030", "c0040", "c0050", "c0060", "c0070"]
        for contract in self.contracts:
            for service, _dep, _usage in self._services_of(contract):
                recipient = service
                frontier = [(service, 1)]
                seen = {service.pk}
                while frontier:
                    recipient, rank = frontier.pop(0)
                    links = ServiceDependency.objects.filter(service=recipient).select_related(
                        "depends_on__provider"
                    )
                    for link in links:
                        sub = link.depends_on
                        code, kind = entity_code(sub.provider)
                        r_code, r_kind = entity_code(recipient.provider)
                        yield [contract.reference, sub.dora_type, code, kind, rank + 1, r_code, r_kind]
                        if sub.pk not in seen:
                            seen.add(sub.pk)
                            frontier.append((sub, rank + 1))

    def b_06_01(self) -> Iterable[list[Any]]:
        yield ["c0010", "c0030", "c0050", "c0080", "c0090", "c0100"]
        for process in Process.objects.filter(organisation=self.org).order_by("name"):
            yield [
                process.name,
                process.name,
                "Yes" if process.critical else "No",
                process.rto_hours if process.rto_hours is not None else "",
                process.rpo_hours if process.rpo_hours is not None else "",
                SENSITIVITY.get(process.availability, ""),
            ]

    def b_07_01(self) -> Iterable[list[Any]]:
        yield ["c0010", "c0020", "c0030", "c0040", "c0050", "c0060", "c0080", "c0090", "c0110", "c0120"]
        plans_for_usage = set(
            ExitPlan.objects.filter(organisation=self.org).values_list("usage_id", flat=True)
        )
        plans_for_service = set(
            ExitPlan.objects.filter(organisation=self.org).values_list("service_id", flat=True)
        )
        for contract in self.contracts:
            for service, _dep, usage in self._services_of(contract):
                code, kind = entity_code(service.provider)
                override = usage.substitutability_override if usage else ""
                alternatives = _alternatives(usage, service)
                has_plan = (
                    usage is not None and usage.pk in plans_for_usage
                ) or service.pk in plans_for_service
                yield [
                    contract.reference,
                    code,
                    kind,
                    service.dora_type,
                    SUBSTITUTABILITY.get(override, "not assessed"),
                    REASON.get(usage.substitutability_reason, "") if usage else "",
                    _yes_no(has_plan),
                    "",
                    _yes_no(bool(alternatives)),
                    ";".join(alternatives),
                ]


def _countries(service: Service | None, role: str) -> list[str]:
    if service is None:
        return []
    return sorted({loc.country_id for loc in service.locations.all() if loc.role == role and loc.country_id})


def _reliance(dep: Dependency | None) -> str:
    if dep is None:
        return ""
    return "material reliance" if dep.group_id is not None else "full reliance"


def _alternatives(usage: Usage | None, service: Service) -> list[str]:
    names: set[str] = set()
    if usage is not None:
        names.update(
            Alternative.objects.filter(replaces_products=usage.product_id).values_list("name", flat=True)
        )
    if service.product_id is not None:
        names.update(
            Alternative.objects.filter(replaces_products=service.product_id).values_list("name", flat=True)
        )
    return sorted(names)


def _csv(rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise("" if v is None else str(v)) for v in row])
    return buffer.getvalue().encode("utf-8")


def export_dora(actor: Actor, organisation: Organisation) -> bytes:
    register = RegisterOfInformation(organisation)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in (
            ("b_02.02", register.b_02_02()),
            ("b_05.01", register.b_05_01()),
            ("b_05.02", register.b_05_02()),
            ("b_06.01", register.b_06_01()),
            ("b_07.01", register.b_07_01()),
        ):
            archive.writestr(f"{name}.csv", _csv(rows))
    return out.getvalue()


register_exporter(
    Exporter(
        "dora",
        _("DORA Register of Information (CSV templates in a zip)"),
        "zip",
        "application/zip",
        export_dora,
    )
)
