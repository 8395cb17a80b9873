"""The JSON document's import problems in the reader's language (ADR 0131): Dutch on the Dutch
import page and in a stored report read in Dutch, English in the report itself (command line,
API), each still at its place in the document."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from regie.interchange import jsondoc
from regie.interchange.jsondoc.export import build_document
from regie.interchange.jsondoc.schema import SCHEMA_MESSAGES, SCHEMA_PATH
from regie.interchange.problems import ImportReport
from regie.interchange.services import import_file
from tests.factories import Landscape

from .conftest import forged_audit_entry

pytestmark = pytest.mark.django_db

# The modules of the document's import (the exporters write no problems).
IMPORT_MODULES = ("importer.py", "framework.py", "schema.py")


def _broken(landscape: Landscape) -> bytes:
    document = build_document(landscape.a.org)
    document["usages"][0]["product"] = "product-99"  # a reference to nothing
    document["processes"][0]["availability"] = "hoog"  # against the schema
    del document["organisation"]["name"]
    return json.dumps(document).encode()


def _page(client: Client, name: str, data: bytes) -> str:
    response = client.post("/o/a/import", {"file": SimpleUploadedFile(name, data), "dry_run": "on"})
    assert response.status_code == 200
    return response.content.decode()


def test_the_dutch_import_page_shows_the_documents_problems_in_dutch(landscape: Landscape) -> None:
    client = Client()
    client.force_login(landscape.a.editor)
    html = _page(client, "a.json", _broken(landscape))
    assert "&#x27;hoog&#x27; is niet van het type &#x27;integer&#x27;" in html
    assert "&#x27;name&#x27; is een verplicht veld" in html
    assert "processes[0].availability" in html  # the place: the path in the document
    assert "is not of type" not in html
    # The reference is checked once the document fits its schema.
    document = json.loads(_broken(landscape))
    document["processes"][0]["availability"] = 3
    document["organisation"]["name"] = "Gemeente A"
    html = _page(client, "a.json", json.dumps(document).encode())
    assert "Verwijst naar &#x27;product-99&#x27;, dat niet in het document staat." in html
    assert "<td>usages[0]</td>" in html
    assert "<td>product</td>" in html
    html = _page(client, "a.json", b'{"format": "regie-organisation",\n "version": 1,,}')
    assert "De JSON is onjuist op regel 2, kolom 15" in html
    # The English page keeps the English texts.
    client.post("/i18n/setlang", {"language": "en", "next": "/o/a/import"})
    html = _page(client, "a.json", json.dumps(document).encode())
    assert "Refers to &#x27;product-99&#x27;, which is not in the document." in html


def test_the_report_keeps_english_and_a_stored_report_reads_in_either_language(landscape: Landscape) -> None:
    report = import_file(
        actor=None, organisation=landscape.a.org, path_or_bytes=_broken(landscape), format="json"
    )
    problems = {p.sheet: p.message for p in report.problems}
    # English as jsonschema words it, the text of the command line and the API.
    assert problems["processes[0].availability"] == "'hoog' is not of type 'integer'"
    assert problems["organisation"] == "'name' is a required property"
    stored = ImportReport.from_dict(json.loads(json.dumps(report.as_dict(stored=True))))
    with translation.override("nl"):
        dutch = {p.sheet: p.text for p in stored.problems}
    assert dutch["processes[0].availability"] == "'hoog' is niet van het type 'integer'"
    assert dutch["organisation"] == "'name' is een verplicht veld"
    with translation.override("en"):
        assert {p.sheet: p.text for p in stored.problems} == problems


def test_a_wrong_kind_and_an_unknown_field_in_dutch(landscape: Landscape) -> None:
    document = build_document(landscape.a.org)
    document["usages"][0]["product"] = document["processes"][0]["id"]
    report = import_file(
        actor=None, organisation=landscape.a.org, path_or_bytes=json.dumps(document).encode(), format="json"
    )
    [wrong] = [p for p in report.problems if p.sheet == "usages[0]" and p.column == "product"]
    assert wrong.message.endswith("which is not of kind products.")
    with translation.override("nl"):
        assert wrong.text.endswith(", dat niet van de soort products is.")
    document = build_document(landscape.a.org)
    document["processes"][0]["kleur"] = "rood"
    report = import_file(
        actor=None, organisation=landscape.a.org, path_or_bytes=json.dumps(document).encode(), format="json"
    )
    [extra] = report.problems
    assert extra.message == "Additional properties are not allowed ('kleur' was unexpected)"
    with translation.override("nl"):
        assert extra.text == "Extra velden zijn niet toegestaan ('kleur' was niet verwacht)"


def test_a_notice_of_the_document_reads_in_dutch(landscape: Landscape) -> None:
    document = build_document(landscape.a.org)
    document["audit"].append(forged_audit_entry("x", "x"))
    report = import_file(
        actor=landscape.a.editor,
        organisation=landscape.a.org,
        path_or_bytes=json.dumps(document).encode(),
        format="json",
    )
    [notice] = [n for n in report.notices if "audit entries" in n.message]
    with translation.override("nl"):
        assert "auditregels van het document zijn niet teruggezet" in notice.localized()


def _message_ids(path: Path) -> list[str]:
    """Every N_("…") message id of a module."""
    ids = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "N_":
            [argument] = node.args
            assert isinstance(argument, ast.Constant)
            ids.append(str(argument.value))
    return ids


def test_every_problem_text_of_the_document_import_has_a_dutch_translation() -> None:
    folder = Path(jsondoc.__file__).parent
    ids = [i for module in IMPORT_MODULES for i in _message_ids(folder / module)]
    assert len(ids) > 25
    with translation.override("nl"):
        untranslated = [i for i in ids if translation.gettext(i) == i]
    assert untranslated == []


def _keywords(schema: Any) -> set[str]:
    if isinstance(schema, list):
        return set().union(*(_keywords(s) for s in schema))
    if not isinstance(schema, dict):
        return set()
    found = set(schema)
    for key, value in schema.items():
        if key in ("properties", "$defs"):
            found |= set().union(*(_keywords(v) for v in value.values()))
        elif key not in ("const", "enum", "required", "description"):
            found |= _keywords(value)
    return found


def test_every_check_of_the_published_schema_has_a_translatable_message() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    annotations = {"$schema", "$id", "$defs", "$ref", "title", "description", "properties", "items"}
    checks = _keywords(schema) - annotations
    assert "type" in checks
    assert checks - {k.partition("=")[0].rstrip("+") for k in SCHEMA_MESSAGES} == set()
