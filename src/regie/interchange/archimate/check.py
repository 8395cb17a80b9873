"""What keeps an exchange file from matching The Open Group's schema or from opening in Archi.

The XSD files are not shipped with Regie (docs/interchange.md says where they were read and
what validating against them found), so the tests check an export by hand against the rules
of ``archimate3_Diagram.xsd`` the export relies on, and against what Archi's importer
(``XMLModelImporter`` of archimatetool/OpenGroupXMLExchange) needs beyond the schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from .model import NS, TYPE

ELEMENT_TYPES = frozenset(
    [
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
    ]
)  # the ElementTypeEnum of archimate3_Model.xsd (3.0: no ValueStream)
RELATIONSHIP_TYPES = frozenset(
    [
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
    ]
)
DATA_TYPES = frozenset({"string", "boolean", "currency", "date", "time", "number"})
MODEL_ORDER = ["name", "documentation", "properties", "metadata", "elements", "relationships",
               "organizations", "propertyDefinitions", "views"]  # fmt: skip
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")
NON_NEGATIVE = re.compile(r"^\+?[0-9]+$")


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def _containers(root: etree._Element) -> Iterator[str]:
    """Containers the schema wants non-empty (minOccurs 1 for their children)."""
    for tag, child in (
        ("elements", "element"),
        ("relationships", "relationship"),
        ("propertyDefinitions", "propertyDefinition"),
        ("properties", "property"),
        ("diagrams", "view"),
        ("organizations", "item"),
    ):
        for container in root.iter(_q(tag)):
            if container.find(_q(child)) is None:
                yield f"<{tag}> at line {container.sourceline} holds no <{child}>."


def _model_children(root: etree._Element) -> list[str]:
    problems: list[str] = []
    if root.tag != _q("model"):
        problems.append(f"The root is {root.tag}, not model.")
    names = [_local(c) for c in root if _local(c)]
    order = [MODEL_ORDER.index(n) for n in names if n in MODEL_ORDER]
    repeated = [n for n in set(names) if n not in ("name", "documentation", "organizations")
                and names.count(n) > 1]  # fmt: skip
    if order != sorted(order) or repeated:
        problems.append("The children of model are not in the order of the schema.")
    if "name" not in names:
        problems.append("The model has no name.")
    if root.find(_q("elements")) is None:
        problems.append("The model has no <elements> (Archi refuses it: 'No Elements found').")
    return problems


def _identifiers(root: etree._Element) -> list[str]:
    """Every identifier is an xs:ID: an NCName, unique in the whole document."""
    problems: list[str] = []
    seen: set[str] = set()
    for node in root.iter():
        ident = node.get("identifier") if isinstance(node.tag, str) else None
        if ident is None:
            continue
        if not NCNAME.match(ident):
            problems.append(f"Identifier '{ident}' is not an xs:ID.")
        if ident in seen:
            problems.append(f"Identifier '{ident}' is used twice.")
        seen.add(ident)
    return problems


def _concepts(root: etree._Element) -> tuple[list[str], dict[str, etree._Element], dict[str, etree._Element]]:
    problems: list[str] = []
    elements = {e.get("identifier", ""): e for e in root.iterfind(f"{_q('elements')}/{_q('element')}")}
    relationships = {
        r.get("identifier", ""): r for r in root.iterfind(f"{_q('relationships')}/{_q('relationship')}")
    }
    for ident, node in elements.items():
        if node.get(TYPE) not in ELEMENT_TYPES:
            problems.append(f"Unknown element type {node.get(TYPE)}.")
        if node.find(_q("name")) is None:
            problems.append(f"Element '{ident}' has no name.")
    concepts = elements.keys() | relationships.keys()
    for ident, rel in relationships.items():
        if rel.get(TYPE) not in RELATIONSHIP_TYPES:
            problems.append(f"Unknown relationship type {rel.get(TYPE)}.")
        problems.extend(
            f"Relationship {ident} has an unknown {end} {rel.get(end)}."
            for end in ("source", "target")
            if rel.get(end) not in concepts
        )
    return problems, elements, relationships


def _properties(root: etree._Element) -> list[str]:
    problems: list[str] = []
    definitions = set()
    for definition in root.iter(_q("propertyDefinition")):
        definitions.add(definition.get("identifier", ""))
        if definition.get("type") not in DATA_TYPES:
            problems.append(f"Property definition {definition.get('identifier')} has no valid type.")
        if definition.find(_q("name")) is None:
            problems.append(f"Property definition {definition.get('identifier')} has no name.")
    for prop in root.iter(_q("property")):
        if prop.get("propertyDefinitionRef") not in definitions:
            problems.append(
                f"A property refers to the unknown definition {prop.get('propertyDefinitionRef')}."
            )
        if prop.find(_q("value")) is None:
            problems.append(f"A property at line {prop.sourceline} has no value.")
    return problems


def _views(
    root: etree._Element, elements: dict[str, etree._Element], relationships: dict[str, etree._Element]
) -> Iterator[str]:
    for view in root.iterfind(f"{_q('views')}/{_q('diagrams')}/{_q('view')}"):
        ident = view.get("identifier", "")
        if view.get(TYPE) != "Diagram":
            yield f"View {ident} is not of type Diagram."
        if view.find(_q("name")) is None:
            yield f"View {ident} has no name."
        kinds = [_local(c) for c in view if _local(c) in ("node", "connection")]
        if kinds != sorted(kinds, key=("node", "connection").index):
            yield f"View {ident} has a connection before a node."
        nodes: dict[str, str] = {}
        for node in view.iter(_q("node")):
            yield from _node(node, elements, nodes)
        for conn in view.iterfind(_q("connection")):
            yield from _connection(conn, relationships, nodes)


def _node(node: etree._Element, elements: dict[str, etree._Element], nodes: dict[str, str]) -> Iterator[str]:
    ident = node.get("identifier", "")
    nodes[ident] = node.get("elementRef", "")
    for attribute in ("x", "y", "w", "h"):
        value = node.get(attribute, "")
        if not NON_NEGATIVE.match(value) or (attribute in "wh" and int(value) == 0):
            yield f"Node {ident} has no valid {attribute} ('{value}')."
    kind = node.get(TYPE)
    if kind == "Element" and node.get("elementRef") not in elements:
        yield f"Node {ident} refers to the unknown element {node.get('elementRef')}."
    elif kind not in ("Element", "Container", "Label"):
        yield f"Node {ident} has no node type (xsi:type Element, Container or Label)."


def _connection(
    conn: etree._Element, relationships: dict[str, etree._Element], nodes: dict[str, str]
) -> Iterator[str]:
    ident = conn.get("identifier", "")
    if conn.get(TYPE) not in ("Relationship", "Line"):
        yield f"Connection {ident} has no connection type (xsi:type Relationship or Line)."
    for end in ("source", "target"):
        if conn.get(end) not in nodes:
            yield f"Connection {ident} has an unknown {end} node {conn.get(end)}."
    if conn.get(TYPE) != "Relationship":
        return
    rel = relationships.get(conn.get("relationshipRef", ""))
    if rel is None:
        yield f"Connection {ident} refers to the unknown relationship {conn.get('relationshipRef')}."
        return
    for end in ("source", "target"):
        if conn.get(end) in nodes and nodes[conn.get(end, "")] != rel.get(end):
            yield f"Connection {ident}: its {end} node shows another element than its relationship's {end}."


def structural_problems(data: bytes) -> list[str]:
    """What keeps a document from matching the exchange format's schema or opening in Archi."""
    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    concept_problems, elements, relationships = _concepts(root)
    return [
        *_model_children(root),
        *_containers(root),
        *_identifiers(root),
        *concept_problems,
        *_properties(root),
        *_views(root, elements, relationships),
    ]
