"""Exporting an organisation's register as an ArchiMate exchange file.

The export validates against The Open Group's ``archimate3_Diagram.xsd`` (docs/interchange.md);
the tests check it without the XSD through :func:`structural_problems` (``check.py``), and
with pyArchimate, which reads it and writes it in Archi's own format. With ``views`` the model
has one diagram, "Afhankelijkheden", with every element in rows by layer and every
relationship drawn (ADR 0130).
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
from .check import structural_problems
from .model import NS, TYPE, XML_LANG, XSI

__all__ = ["export_archimate", "structural_problems"]

NSMAP: Any = {None: NS, "xsi": XSI}
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


# The diagram's rows, top to bottom: who needs what, down to who provides and contracts it.
LAYERS = (
    ("BusinessProcess",),
    ("ApplicationComponent", "SystemSoftware"),
    ("DataObject",),
    ("TechnologyService",),
    ("BusinessActor",),
    ("Contract",),
)
NODE_W, NODE_H, GAP, PER_ROW, MARGIN = 140, 55, 20, 8, 20
VIEW_LIMIT = 500  # above this many elements a diagram is unreadable: the export has none


def ncname(value: str) -> str:
    """A value made fit for an xs:ID (an NCName)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", value)


class Writer:
    def __init__(self, organisation: Organisation) -> None:
        self.org = organisation
        self.root = etree.Element(
            _q("model"), nsmap=NSMAP, identifier=f"id-regie-{ncname(organisation.code)}"
        )
        self._lang(self.root, "name", organisation.name)
        self.elements = etree.SubElement(self.root, _q("elements"))
        self.relationships = etree.SubElement(self.root, _q("relationships"))
        self.kinds: dict[str, str] = {}  # element identifier → type, in the order written
        self.links: list[tuple[str, str, str]] = []  # relationship identifier, source, target
        self.count = 0

    def _lang(self, parent: etree._Element, tag: str, value: str) -> None:
        child = etree.SubElement(parent, _q(tag))
        child.set(XML_LANG, "nl")
        child.text = value

    def element(self, ident: str, kind: str, name: str, props: Mapping[str, object], doc: str = "") -> None:
        if ident in self.kinds:
            return
        self.kinds[ident] = kind
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
        ident = f"id-rel-{self.count}"
        node = etree.SubElement(
            self.relationships, _q("relationship"), identifier=ident, source=source, target=target
        )
        node.set(TYPE, kind)
        self.links.append((ident, source, target))

    def finish(self, *, views: bool | None = None) -> bytes:
        if not self.kinds:
            # The schema wants one element at least, and Archi refuses a model without <elements>:
            # an empty register is exported as its organisation alone.
            self.element(f"id-org-{ncname(self.org.code)}", "BusinessActor", self.org.name, {})
        definitions = etree.SubElement(self.root, _q("propertyDefinitions"))
        for ident, (name, kind) in PROPERTIES.items():
            node = etree.SubElement(definitions, _q("propertyDefinition"), identifier=ident, type=kind)
            self._lang(node, "name", name)
        if not len(self.relationships):
            self.root.remove(self.relationships)
        if views if views is not None else len(self.kinds) <= VIEW_LIMIT:
            self._view()
        return bytes(etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", pretty_print=True))

    def _view(self) -> None:
        """One diagram: the elements in rows by layer, every relationship drawn between them."""
        diagrams = etree.SubElement(etree.SubElement(self.root, _q("views")), _q("diagrams"))
        view = etree.SubElement(diagrams, _q("view"), identifier=f"id-view-{ncname(self.org.code)}")
        view.set(TYPE, "Diagram")
        self._lang(view, "name", "Afhankelijkheden")
        nodes: dict[str, str] = {}
        top = MARGIN
        for layer in LAYERS:
            members = [ident for ident, kind in self.kinds.items() if kind in layer]
            for n, ident in enumerate(members):
                column, row = n % PER_ROW, n // PER_ROW
                nodes[ident] = f"{ident}-node"
                node = etree.SubElement(view, _q("node"), identifier=nodes[ident], elementRef=ident)
                node.set(TYPE, "Element")
                node.set("x", str(MARGIN + column * (NODE_W + GAP)))
                node.set("y", str(top + row * (NODE_H + GAP)))
                node.set("w", str(NODE_W))
                node.set("h", str(NODE_H))
            if members:
                top += (len(members) + PER_ROW - 1) // PER_ROW * (NODE_H + GAP) + 2 * GAP
        for ident, source, target in self.links:
            conn = etree.SubElement(
                view,
                _q("connection"),
                identifier=f"{ident}-conn",
                relationshipRef=ident,
                source=nodes[source],
                target=nodes[target],
            )
            conn.set(TYPE, "Relationship")


def _entity(writer: Writer, entity: LegalEntity) -> str:
    ident = f"id-le-{entity.pk}"
    props = {"pd-country": entity.hq_country_id or "", "pd-lei": entity.lei}
    writer.element(ident, "BusinessActor", entity.name, props)
    return ident


def _service(writer: Writer, service: Service) -> str:
    ident = f"id-service-{service.pk}"
    if ident not in writer.kinds:
        props = {"pd-kind": service.kind, "pd-supplier": service.provider.name}
        writer.element(ident, "TechnologyService", service.name, props)
        writer.relationship("Association", _entity(writer, service.provider), ident)
    return ident


def export_archimate(organisation: Organisation, *, views: bool | None = None) -> bytes:
    """The register as an exchange file; a diagram when ``views`` (by default: up to 500 elements)."""
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
    return writer.finish(views=views)
