"""The ArchiMate export against The Open Group's schema and Archi's importer, checked three ways:

- by hand (``structural_problems``), always;
- by pyArchimate, an independent reader of the Open Exchange Format that writes Archi's own
  ``.archimate`` format, always (a dev dependency);
- by The Open Group's XSD (``archimate3_Diagram.xsd``) when ``REGIE_ARCHIMATE_XSD_DIR`` names a
  directory holding it, ``archimate3_View.xsd``, ``archimate3_Model.xsd`` and ``xml.xsd``;
  skipped otherwise, since Regie does not ship those files (docs/interchange.md).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from regie.interchange.archimate.model import NS, TYPE
from regie.interchange.archimate.writer import export_archimate, structural_problems
from regie.register import services
from regie.register.models import Organisation
from tests.factories import Landscape

pytestmark = pytest.mark.django_db


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _exports(landscape: Landscape) -> dict[str, bytes]:
    data = {"name": "Gemeente Leeg", "code": "gm0001", "kind": "municipality"}
    empty = services.register_create(actor=None, model=Organisation, data=data)
    return {
        "a with views": export_archimate(landscape.a.org, views=True),
        "a without views": export_archimate(landscape.a.org, views=False),
        "b by default": export_archimate(landscape.b.org),
        "empty register": export_archimate(empty),
    }


def test_exports_with_and_without_views_pass_the_structural_check(landscape: Landscape) -> None:
    exports = _exports(landscape)
    for name, data in exports.items():
        assert structural_problems(data) == [], name
    with_views = etree.fromstring(exports["a with views"])
    without = etree.fromstring(exports["a without views"])
    assert without.find(_q("views")) is None
    view = with_views.find(f"{_q('views')}/{_q('diagrams')}/{_q('view')}")
    assert view is not None
    elements = with_views.findall(f"{_q('elements')}/{_q('element')}")
    relationships = with_views.findall(f"{_q('relationships')}/{_q('relationship')}")
    assert len(view.findall(_q("node"))) == len(elements) > 0
    assert len(view.findall(_q("connection"))) == len(relationships) > 0
    # A small register gets its diagram by default.
    assert etree.fromstring(exports["b by default"]).find(_q("views")) is not None


def test_an_empty_register_exports_its_organisation_so_the_file_has_an_element(landscape: Landscape) -> None:
    root = etree.fromstring(_exports(landscape)["empty register"])
    elements = root.findall(f"{_q('elements')}/{_q('element')}")
    assert [(e.get(TYPE), e.findtext(_q("name"))) for e in elements] == [("BusinessActor", "Gemeente Leeg")]
    assert root.find(_q("relationships")) is None


def _broken(data: bytes, change: Any) -> list[str]:
    root = etree.fromstring(data)
    change(root)
    return structural_problems(etree.tostring(root))


def test_the_structural_check_finds_what_the_schema_and_archi_refuse(landscape: Landscape) -> None:
    data = export_archimate(landscape.a.org, views=True)
    elements, views = _q("elements"), f"{_q('views')}/{_q('diagrams')}/{_q('view')}"

    def no_elements(root: Any) -> None:
        root.remove(root.find(elements))

    def empty_elements(root: Any) -> None:
        for child in list(root.find(elements)):
            root.find(elements).remove(child)

    def node_to_nothing(root: Any) -> None:
        root.find(views).find(_q("node")).set("elementRef", "id-nothing")

    def node_without_size(root: Any) -> None:
        root.find(views).find(_q("node")).set("w", "0")

    def crossed_connection(root: Any) -> None:
        conn = root.find(views).find(_q("connection"))
        conn.set("source", conn.get("target"))

    def connection_to_nothing(root: Any) -> None:
        root.find(views).find(_q("connection")).set("relationshipRef", "id-nothing")

    def property_without_value(root: Any) -> None:
        prop = next(root.iter(_q("property")))
        prop.remove(prop.find(_q("value")))

    def nameless_definition(root: Any) -> None:
        definition = next(root.iter(_q("propertyDefinition")))
        definition.remove(definition.find(_q("name")))

    def duplicate_node_identifier(root: Any) -> None:
        node = root.find(views).find(_q("node"))
        node.set("identifier", root.find(elements)[0].get("identifier"))

    def views_before_definitions(root: Any) -> None:
        root.insert(1, root.find(_q("views")))

    expected = {
        no_elements: "has no <elements>",
        empty_elements: "<elements> at line",
        node_to_nothing: "refers to the unknown element id-nothing",
        node_without_size: "has no valid w",
        crossed_connection: "its source node shows another element",
        connection_to_nothing: "unknown relationship id-nothing",
        property_without_value: "has no value",
        nameless_definition: "has no name",
        duplicate_node_identifier: "is used twice",
        views_before_definitions: "not in the order of the schema",
    }
    for change, words in expected.items():
        problems = _broken(data, change)
        assert any(words in p for p in problems), (change.__name__, problems)


def _sizes(model: Any) -> tuple[int, int, int, int]:
    return len(model.elems_dict), len(model.rels_dict), len(model.nodes_dict), len(model.conns_dict)


def test_pyarchimate_reads_the_export_and_writes_it_in_archis_format(
    landscape: Landscape, tmp_path: Path
) -> None:
    from pyArchimate import Model, Writers

    source = tmp_path / "export.xml"
    source.write_bytes(export_archimate(landscape.a.org, views=True))
    root = etree.fromstring(source.read_bytes())
    counts = (
        len(root.findall(f"{_q('elements')}/{_q('element')}")),
        len(root.findall(f"{_q('relationships')}/{_q('relationship')}")),
        len(list(root.iter(_q("node")))),
        len(list(root.iter(_q("connection")))),
    )
    model = Model("export")
    model.read(str(source))
    assert _sizes(model) == counts
    assert len(model.views_dict) == 1
    # Every relationship is allowed by the ArchiMate metamodel between its element types, every
    # connection draws its relationship between the nodes of its source and target, and every
    # node shows a known element.
    assert model.check_invalid_relationships() == []
    assert model.check_invalid_conn() == []
    assert model.check_invalid_nodes() == []
    process = next(e for e in model.elems_dict.values() if e.type == "BusinessProcess")
    assert process.name == "Burgerzaken"
    assert process.props["Beschikbaarheid"] == "3"
    # Archi's own format (a zip with model.xml), read back by pyArchimate's reader of that format.
    archi = tmp_path / "export.archimate"
    model.write(str(archi), writer=Writers.archi)
    again = Model("again")
    again.read(str(archi))
    assert _sizes(again) == counts
    assert {e.name for e in again.elems_dict.values()} == {e.name for e in model.elems_dict.values()}


XSD_DIR = os.environ.get("REGIE_ARCHIMATE_XSD_DIR", "")


def _schema(directory: Path) -> etree.XMLSchema:
    """archimate3_Diagram.xsd, with its import of http://www.w3.org/2001/xml.xsd read from directory."""

    class Local(etree.Resolver):
        def resolve(self, url: str | None, pubid: str | None, context: Any) -> Any:
            if url and url.rsplit("/", 1)[-1] == "xml.xsd":
                return self.resolve_filename(str(directory / "xml.xsd"), context)
            return None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Local())
    return etree.XMLSchema(etree.parse(str(directory / "archimate3_Diagram.xsd"), parser))


@pytest.mark.skipif(not XSD_DIR, reason="REGIE_ARCHIMATE_XSD_DIR is not set (The Open Group's XSD files)")
def test_the_export_validates_against_the_open_group_xsd(landscape: Landscape) -> None:
    schema = _schema(Path(XSD_DIR))
    for name, data in _exports(landscape).items():
        assert schema.validate(etree.fromstring(data)), (name, [str(e) for e in schema.error_log])
    # The schema does refuse what it should: an element without its name.
    root = etree.fromstring(export_archimate(landscape.a.org, views=True))
    element = root.find(f"{_q('elements')}/{_q('element')}")
    element.remove(element.find(_q("name")))
    assert not schema.validate(root)
