"""Reading an ArchiMate exchange file into plain elements and relationships, fast and safely.

lxml's iterparse with a hardened parser (no DTD, no entities, no network) streams the file;
each element is cleared once read, so tens of thousands of elements take a second or two.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from lxml import etree

from ..limits import refuse_doctype
from ..problems import N_, ImportRefused, Message

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TYPE = f"{{{XSI}}}type"


@dataclass
class Element:
    identifier: str
    type: str
    name: str
    documentation: str
    properties: dict[str, str]
    line: int


@dataclass
class Relationship:
    identifier: str
    type: str
    source: str
    target: str
    properties: dict[str, str]
    line: int


@dataclass
class ArchiMateModel:
    name: str = ""
    elements: dict[str, Element] = field(default_factory=dict)
    relationships: list[Relationship] = field(default_factory=list)


def _text(node: etree._Element, tag: str, lang: str = "nl") -> str:
    """The text of the child in the preferred language, else the first."""
    found = node.findall(f"{{{NS}}}{tag}")
    for child in found:
        if child.get(XML_LANG, "").startswith(lang):
            return (child.text or "").strip()
    return (found[0].text or "").strip() if found else ""


def _properties(node: etree._Element, definitions: dict[str, str]) -> dict[str, str]:
    result: dict[str, str] = {}
    container = node.find(f"{{{NS}}}properties")
    if container is None:
        return result
    for prop in container.findall(f"{{{NS}}}property"):
        ref = prop.get("propertyDefinitionRef") or prop.get("identifierRef") or ""
        result[definitions.get(ref, ref)] = _text(prop, "value")
    return result


def read_model(data: bytes, *, name: str) -> ArchiMateModel:
    """The model in an exchange file; ImportRefused for unsafe or malformed XML."""
    refuse_doctype(data, name=name)
    definitions: dict[str, str] = {}
    model = ArchiMateModel()
    tags = (
        f"{{{NS}}}propertyDefinition",
        f"{{{NS}}}element",
        f"{{{NS}}}relationship",
        f"{{{NS}}}model",
    )
    try:
        events = etree.iterparse(
            io.BytesIO(data),
            events=("end",),
            tag=tags,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        root_seen = False
        for _event, node in events:
            local = etree.QName(node).localname
            if local == "propertyDefinition":
                definitions[node.get("identifier", "")] = _text(node, "name")
            elif local == "element":
                # Property definitions come after the elements: resolve names at the end.
                model.elements[node.get("identifier", "")] = Element(
                    identifier=node.get("identifier", ""),
                    type=node.get(TYPE, ""),
                    name=_text(node, "name"),
                    documentation=_text(node, "documentation"),
                    properties=_properties(node, {}),
                    line=node.sourceline or 0,
                )
                node.clear(keep_tail=False)
            elif local == "relationship":
                model.relationships.append(
                    Relationship(
                        identifier=node.get("identifier", ""),
                        type=node.get(TYPE, ""),
                        source=node.get("source", ""),
                        target=node.get("target", ""),
                        properties=_properties(node, {}),
                        line=node.sourceline or 0,
                    )
                )
                node.clear(keep_tail=False)
            elif local == "model":
                root_seen = True
                model.name = _text(node, "name")
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else "?"
        raise ImportRefused(
            Message(N_("The XML is malformed at line %(line)s: %(error)s."), line=line, error=exc.msg),
            file=name,
        ) from exc
    if not root_seen:
        raise ImportRefused(
            Message(N_("This is not an ArchiMate exchange file: no <model> in namespace %(ns)s."), ns=NS),
            file=name,
        )
    for element in model.elements.values():
        element.properties = {definitions.get(k, k): v for k, v in element.properties.items()}
    for relationship in model.relationships:
        relationship.properties = {definitions.get(k, k): v for k, v in relationship.properties.items()}
    return model
