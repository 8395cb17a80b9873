"""ArchiMate Open Exchange Format: import into the register, export that checks out, hostile XML."""

# ruff: noqa: E501 - the XML fixtures are easier to read unwrapped

from __future__ import annotations

import time

import pytest
from lxml import etree

from regie.interchange.archimate.model import read_model
from regie.interchange.archimate.writer import structural_problems
from regie.interchange.services import export_organisation, import_file
from regie.register.models import DataSet, Dependency, Process, Product, Usage
from tests.factories import Landscape

pytestmark = pytest.mark.django_db

MODEL = b"""<?xml version="1.0" encoding="UTF-8"?>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"
       xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="id-m">
  <name xml:lang="nl">Gemeente Voorbeeld</name>
  <elements>
    <element identifier="id-p1" xsi:type="BusinessProcess">
      <name xml:lang="nl">Behandelen aanvraag vergunning</name>
      <properties>
        <property propertyDefinitionRef="pd-b"><value xml:lang="nl">2</value></property>
        <property propertyDefinitionRef="pd-i"><value xml:lang="nl">hoog</value></property>
        <property propertyDefinitionRef="pd-v"><value xml:lang="nl">1</value></property>
      </properties>
    </element>
    <element identifier="id-f1" xsi:type="BusinessFunction"><name xml:lang="nl">Vergunningverlening</name></element>
    <element identifier="id-a1" xsi:type="ApplicationComponent">
      <name xml:lang="nl">VTH-systeem</name>
      <properties>
        <property propertyDefinitionRef="pd-product"><value xml:lang="nl">Zaak365 (fictitious)</value></property>
      </properties>
    </element>
    <element identifier="id-a2" xsi:type="ApplicationComponent"><name xml:lang="nl">Zaaksysteem</name></element>
    <element identifier="id-t1" xsi:type="TechnologyService"><name xml:lang="nl">Zaak365 SaaS</name></element>
    <element identifier="id-t2" xsi:type="Node"><name xml:lang="nl">Eigen rekencentrum</name></element>
    <element identifier="id-d1" xsi:type="DataObject"><name xml:lang="nl">Vergunningdossier</name></element>
    <element identifier="id-g1" xsi:type="Goal"><name xml:lang="nl">Digitaal werken</name></element>
  </elements>
  <relationships>
    <relationship identifier="id-r1" xsi:type="Serving" source="id-a1" target="id-p1"/>
    <relationship identifier="id-r2" xsi:type="Serving" source="id-t1" target="id-a1"/>
    <relationship identifier="id-r3" xsi:type="Flow" source="id-a1" target="id-a2"/>
    <relationship identifier="id-r4" xsi:type="Access" source="id-a1" target="id-d1"/>
    <relationship identifier="id-r5" xsi:type="Serving" source="id-t2" target="id-a2"/>
    <relationship identifier="id-r6" xsi:type="Association" source="id-g1" target="id-p1"/>
  </relationships>
  <propertyDefinitions>
    <propertyDefinition identifier="pd-b" type="number"><name xml:lang="nl">Beschikbaarheid</name></propertyDefinition>
    <propertyDefinition identifier="pd-i" type="string"><name xml:lang="nl">Integriteit</name></propertyDefinition>
    <propertyDefinition identifier="pd-v" type="number"><name xml:lang="nl">Vertrouwelijkheid</name></propertyDefinition>
    <propertyDefinition identifier="pd-product" type="string"><name xml:lang="nl">Product</name></propertyDefinition>
  </propertyDefinitions>
</model>
"""


def _import(landscape: Landscape, data: bytes, *, actor: object = "editor"):  # type: ignore[no-untyped-def]
    user = landscape.a.editor if actor == "editor" else actor
    return import_file(actor=user, organisation=landscape.a.org, path_or_bytes=data, format="archimate",  # type: ignore[arg-type]
                       filename="model.xml")  # fmt: skip


def test_an_archimate_model_becomes_processes_applications_and_dependencies(landscape: Landscape) -> None:
    report = _import(landscape, MODEL, actor=None)
    assert report.ok, report.summary()
    org = landscape.a.org
    process = Process.objects.get(organisation=org, name="Behandelen aanvraag vergunning")
    assert (process.availability, process.integrity, process.confidentiality) == (2, 3, 1)
    assert Process.objects.get(organisation=org, name="Vergunningverlening").availability == 3
    vth = Usage.objects.get(organisation=org, name="VTH-systeem")
    assert vth.product == landscape.product
    assert Dependency.objects.filter(
        organisation=org, kind="requires", from_process=process, to_usage=vth
    ).exists()
    assert Dependency.objects.filter(organisation=org, kind="runs_on", from_usage=vth).exists()
    assert Dependency.objects.filter(organisation=org, kind="integration", from_usage=vth).count() == 1
    assert DataSet.objects.get(organisation=org, name="Vergunningdossier").usage == vth
    notices = " ".join(str(n) for n in report.notices)
    assert "Eigen rekencentrum" in notices
    assert "1 Goal" in notices
    assert "'Vergunningverlening' has no Beschikbaarheid" in notices


def test_importing_the_same_model_again_changes_nothing(landscape: Landscape) -> None:
    _import(landscape, MODEL, actor=None)
    again = _import(landscape, MODEL, actor=None)
    assert again.ok
    assert not again.created
    assert not again.updated


def test_an_editor_cannot_add_unknown_products_and_gets_suggestions(landscape: Landscape) -> None:
    report = _import(landscape, MODEL.replace(b"Zaak365 (fictitious)", b"Zaak356 (fictitious)"))
    assert not report.ok
    problem = next(p for p in report.problems if "no product called 'Zaak356" in p.message)
    assert "Did you mean 'Zaak365 (fictitious)'" in problem.message
    assert str(problem).startswith("model.xml, element 'usages', line ")
    assert not Product.objects.filter(name="Zaak356 (fictitious)").exists()


def test_a_relationship_to_a_missing_element_is_named_with_its_line(landscape: Landscape) -> None:
    report = _import(landscape, MODEL.replace(b'target="id-a2"/>', b'target="id-gone"/>', 1), actor=None)
    assert any("'id-gone'" in p.message and p.row == 30 for p in report.problems)


def test_the_export_is_a_well_formed_exchange_file_that_imports_back(landscape: Landscape) -> None:
    data = export_organisation(actor=landscape.a.viewer, organisation=landscape.a.org, format="archimate")
    assert structural_problems(data) == []
    root = etree.fromstring(data)
    assert root.nsmap[None] == "http://www.opengroup.org/xsd/archimate/3.0/"
    model = read_model(data, name="export.xml")
    kinds = sorted(e.type for e in model.elements.values())
    assert "BusinessProcess" in kinds
    assert "ApplicationComponent" in kinds
    assert "TechnologyService" in kinds
    assert {r.type for r in model.relationships} >= {"Serving", "Access", "Association"}
    report = _import(landscape, data)
    assert report.ok, report.summary()
    assert not report.created
    assert not report.updated


def test_structural_check_finds_a_dangling_relationship() -> None:
    broken = MODEL.replace(b'source="id-t2"', b'source="id-nothing"')
    assert any("unknown source id-nothing" in p for p in structural_problems(broken))


def test_malformed_xml_is_refused_with_its_line(landscape: Landscape) -> None:
    report = _import(landscape, MODEL.replace(b"</elements>", b"</elementen>"))
    assert report.problems[0].message.startswith("The XML is malformed at line")
    assert not report.written


def test_an_external_entity_is_refused_and_never_read(landscape: Landscape, tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"><name>&x;</name></model>'
    ).encode()
    report = _import(landscape, xxe)
    assert "DTD or entities" in report.problems[0].message
    assert "TOPSECRET" not in str(report.as_dict())


def test_entity_expansion_is_refused(landscape: Landscape) -> None:
    lol = b'<!ENTITY lol0 "lolololololololol">' + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">'.encode() for i in range(1, 10)
    )
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE m ['
        + lol
        + b']><model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"><name>&lol9;</name></model>'
    )
    started = time.monotonic()
    report = _import(landscape, bomb)
    assert "DTD or entities" in report.problems[0].message
    assert time.monotonic() - started < 5


def test_the_parser_itself_resolves_no_entities_even_past_the_doctype_guard() -> None:
    from regie.interchange.limits import hardened_xml_parser

    doc = b'<!DOCTYPE m [<!ENTITY x "expanded">]><m>&x;</m>'
    root = etree.fromstring(doc, parser=hardened_xml_parser())
    assert "expanded" not in etree.tostring(root).decode()


def test_a_file_that_is_not_archimate_is_refused(landscape: Landscape) -> None:
    report = _import(landscape, b"<?xml version='1.0'?><html><body/></html>")
    assert "not an ArchiMate exchange file" in report.problems[0].message


def test_tens_of_thousands_of_elements_are_read_in_seconds() -> None:
    parts = [b'<?xml version="1.0"?><model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
             b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><name>big</name><elements>']  # fmt: skip
    parts.extend(
        f'<element identifier="e{i}" xsi:type="ApplicationComponent"><name xml:lang="nl">App {i}</name>'
        f'<properties><property propertyDefinitionRef="p"><value>x</value></property></properties></element>'.encode()
        for i in range(30_000)
    )
    parts.append(b"</elements><relationships>")
    parts.extend(
        f'<relationship identifier="r{i}" xsi:type="Flow" source="e{i}" target="e{i + 1}"/>'.encode()
        for i in range(29_999)
    )
    parts.append(b"</relationships></model>")
    data = b"".join(parts)
    started = time.monotonic()
    model = read_model(data, name="big.xml")
    elapsed = time.monotonic() - started
    assert len(model.elements) == 30_000
    assert len(model.relationships) == 29_999
    assert elapsed < 30, f"{elapsed:.2f} s"  # about 2 s on an idle machine of two cores
