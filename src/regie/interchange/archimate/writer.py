"""Exporting an organisation's register as an ArchiMate exchange file.

The Open Group's XSD files are not shipped by any package on the registries Regie may use,
so the export is checked structurally (:func:`structural_problems`): the element order of the
schema, unique identifiers of the xs:ID form, known element and relationship types, and
every relationship's source and target present.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from lxml import etree

from regie.register.models import (
    Contract,
    DataSet,
    Dependency,
    LegalEntity,
    Organisation,
    Process,
    Service,
    Usage,
)

from ..values import text
from .model import NS, TYPE, XML_LANG, XSI

NSMAP: Any = {None: NS, "xsi": XSI}
ELEMENT_TYPES = {
    "BusinessActor",
    "BusinessRole",
    "BusinessCollaboration",
    "BusinessInterface",
    "BusinessProcess",
    "BusinessFunction",
    "BusinessInteraction",
    "BusinessEvent",
    "BusinessService",
    "BusinessObject",
    "Contract",
    "Representation",
    "Product",
    "ApplicationComponent",
    "ApplicationCollaboration",
    "ApplicationInterface",
    "ApplicationFunction",
    "ApplicationInteraction",
    "ApplicationProcess",
    "ApplicationEvent",
    "ApplicationService",
    "DataObject",
    "Node",
    "Device",
    "SystemSoftware",
    "TechnologyCollaboration",
    "TechnologyInterface",
    "Path",
    "CommunicationNetwork",
    "TechnologyFunction",
    "TechnologyProcess",
    "TechnologyInteraction",
    "TechnologyEvent",
    "TechnologyService",
    "Artifact",
    "Equipment",
    "Facility",
    "DistributionNetwork",
    "Material",
    "Stakeholder",
    "Driver",
    "Assessment",
    "Goal",
    "Outcome",
    "Principle",
    "Requirement",
    "Constraint",
    "Meaning",
    "Value",
    "Resource",
    "Capability",
    "ValueStream",
    "CourseOfAction",
    "WorkPackage",
    "Deliverable",
    "ImplementationEvent",
    "Plateau",
    "Gap",
    "Grouping",
    "Location",
    "AndJunction",
    "OrJunction",
}
RELATIONSHIP_TYPES = {
    "Composition",
    "Aggregation",
    "Assignment",
    "Realization",
    "Serving",
    "Access",
    "Influence",
    "Triggering",
    "Flow",
    "Specialization",
    "Association",
}
MODEL_ORDER = ["name", "documentation", "properties", "elements", "relationships", "organizations",
               "propertyDefinitions", "views"]  # fmt: skip
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")
PROPERTIES = {
    "pd-b": ("Beschikbaarheid", "number"),
    "pd-i": ("Integriteit", "number"),
    "pd-v": ("Vertrouwelijkheid", "number"),
    "pd-critical": ("Kritiek", "boolean"),
    "pd-product": ("Product", "string"),
    "pd-supplier": ("Leverancier", "string"),
    "pd-status": ("Levenscyclus", "string"),
    "pd-kind": ("Soort dienst", "string"),
    "pd-country": ("Land hoofdkantoor", "string"),
    "pd-lei": ("LEI", "string"),
    "pd-end": ("Einddatum", "date"),
    "pd-value": ("Jaarwaarde (EUR)", "currency"),
}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


class Writer:
    def __init__(self, organisation: Organisation) -> None:
        self.org = organisation
        self.root = etree.Element(_q("model"), nsmap=NSMAP, identifier=f"id-regie-{organisation.code}")
        self._lang(self.root, "name", organisation.name)
        self.elements = etree.SubElement(self.root, _q("elements"))
        self.relationships = etree.SubElement(self.root, _q("relationships"))
        self.used: set[str] = set()
        self.count = 0

    def _lang(self, parent: etree._Element, tag: str, value: str) -> None:
        child = etree.SubElement(parent, _q(tag))
        child.set(XML_LANG, "nl")
        child.text = value

    def element(self, ident: str, kind: str, name: str, props: Mapping[str, object], doc: str = "") -> None:
        if ident in self.used:
            return
        self.used.add(ident)
        node = etree.SubElement(self.elements, _q("element"), identifier=ident)
        node.set(TYPE, kind)
        self._lang(node, "name", name)
        if doc:
            self._lang(node, "documentation", doc)
        self._properties(node, props)

    def _properties(self, node: etree._Element, props: Mapping[str, object]) -> None:
        given = {k: v for k, v in props.items() if v not in (None, "")}
        if not given:
            return
        container = etree.SubElement(node, _q("properties"))
        for ref, value in given.items():
            prop = etree.SubElement(container, _q("property"), propertyDefinitionRef=ref)
            self._lang(
                prop, "value", ("true" if value else "false") if isinstance(value, bool) else text(value)
            )

    def relationship(self, kind: str, source: str, target: str) -> None:
        self.count += 1
        node = etree.SubElement(
            self.relationships,
            _q("relationship"),
            identifier=f"id-rel-{self.count}",
            source=source,
            target=target,
        )
        node.set(TYPE, kind)

    def finish(self) -> bytes:
        definitions = etree.SubElement(self.root, _q("propertyDefinitions"))
        for ident, (name, kind) in PROPERTIES.items():
            node = etree.SubElement(definitions, _q("propertyDefinition"), identifier=ident, type=kind)
            self._lang(node, "name", name)
        if not len(self.relationships):
            self.root.remove(self.relationships)
        return bytes(etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _entity(writer: Writer, entity: LegalEntity) -> str:
    ident = f"id-le-{entity.pk}"
    props = {"pd-country": entity.hq_country_id or "", "pd-lei": entity.lei}
    writer.element(ident, "BusinessActor", entity.name, props)
    return ident


def _service(writer: Writer, service: Service) -> str:
    ident = f"id-service-{service.pk}"
    if ident not in writer.used:
        props = {"pd-kind": service.kind, "pd-supplier": service.provider.name}
        writer.element(ident, "TechnologyService", service.name, props)
        writer.relationship("Association", _entity(writer, service.provider), ident)
    return ident


def export_archimate(organisation: Organisation) -> bytes:
    writer = Writer(organisation)
    org = organisation
    for process in Process.objects.filter(organisation=org):
        props: dict[str, object] = {"pd-b": process.availability, "pd-i": process.integrity}
        props.update({"pd-v": process.confidentiality, "pd-critical": process.critical})
        writer.element(
            f"id-process-{process.pk}", "BusinessProcess", process.name, props, process.description
        )
    for usage in Usage.objects.filter(organisation=org).select_related("product__supplier"):
        kind = "SystemSoftware" if usage.product.kind == "system_software" else "ApplicationComponent"
        supplier = usage.product.supplier.name if usage.product.supplier else ""
        props = {"pd-product": usage.product.name, "pd-supplier": supplier, "pd-status": usage.status}
        writer.element(f"id-usage-{usage.pk}", kind, usage.name, props, usage.notes)
    deps: Iterable[Dependency] = Dependency.objects.filter(organisation=org).select_related(
        "to_service__provider"
    )
    for dep in deps:
        if dep.kind == "requires":
            writer.relationship("Serving", f"id-usage-{dep.to_usage_id}", f"id-process-{dep.from_process_id}")
        elif dep.kind == "runs_on" and dep.to_service is not None:
            writer.relationship("Serving", _service(writer, dep.to_service), f"id-usage-{dep.from_usage_id}")
        elif dep.kind == "integration":
            writer.relationship("Flow", f"id-usage-{dep.from_usage_id}", f"id-usage-{dep.to_usage_id}")
    for dataset in DataSet.objects.filter(organisation=org):
        ident = f"id-dataset-{dataset.pk}"
        writer.element(ident, "DataObject", dataset.name, {}, dataset.description)
        writer.relationship("Access", f"id-usage-{dataset.usage_id}", ident)
    for contract in (
        Contract.objects.filter(organisation=org).select_related("counterparty").prefetch_related("usages")
    ):
        ident = f"id-contract-{contract.pk}"
        props = {"pd-end": contract.end_date, "pd-value": contract.annual_value}
        writer.element(ident, "Contract", f"{contract.reference} {contract.title}", props)
        writer.relationship("Association", ident, _entity(writer, contract.counterparty))
        for usage in contract.usages.all():
            writer.relationship("Association", ident, f"id-usage-{usage.pk}")
    return writer.finish()


def structural_problems(data: bytes) -> list[str]:
    """What keeps a document from matching the exchange format's schema, checked by hand."""
    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    problems: list[str] = []
    if root.tag != _q("model"):
        problems.append(f"The root is {root.tag}, not model.")
    order = [
        MODEL_ORDER.index(etree.QName(c).localname) for c in root if etree.QName(c).localname in MODEL_ORDER
    ]
    if order != sorted(order):
        problems.append("The children of model are not in the order of the schema.")
    ids: set[str] = set()
    for node in root.iter(_q("element"), _q("relationship"), _q("propertyDefinition")):
        ident = node.get("identifier", "")
        if not NCNAME.match(ident):
            problems.append(f"Identifier '{ident}' is not an xs:ID.")
        if ident in ids:
            problems.append(f"Identifier '{ident}' is used twice.")
        ids.add(ident)
        if node.tag == _q("element") and node.get(TYPE) not in ELEMENT_TYPES:
            problems.append(f"Unknown element type {node.get(TYPE)}.")
        if node.tag == _q("relationship") and node.get(TYPE) not in RELATIONSHIP_TYPES:
            problems.append(f"Unknown relationship type {node.get(TYPE)}.")
        if node.find(_q("name")) is None and node.tag == _q("element"):
            problems.append(f"Element '{ident}' has no name.")
    problems.extend(
        f"Relationship {rel.get('identifier')} has an unknown {end} {rel.get(end)}."
        for rel in root.iter(_q("relationship"))
        for end in ("source", "target")
        if rel.get(end) not in ids
    )
    problems.extend(
        f"A property refers to the unknown definition {prop.get('propertyDefinitionRef')}."
        for prop in root.iter(_q("property"))
        if prop.get("propertyDefinitionRef") not in ids
    )
    return problems
