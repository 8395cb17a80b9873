"""Hostile and broken input: each is refused with a clear message, and nothing is written."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import override_settings

from regie.audit.models import AuditEntry
from regie.interchange.services import import_file
from regie.register.models import Process
from tests.factories import Landscape

from .helpers import csv_bytes, workbook

pytestmark = pytest.mark.django_db

PROCESS = {"name": "P", "availability": 1, "integrity": 1, "confidentiality": 1}


def _nothing_written(before: tuple[int, int]) -> bool:
    return (Process.objects.count(), AuditEntry.objects.count()) == before


def _counts() -> tuple[int, int]:
    return Process.objects.count(), AuditEntry.objects.count()


def _import(landscape: Landscape, data: bytes, fmt: str, name: str = "input"):  # type: ignore[no-untyped-def]
    return import_file(
        actor=landscape.a.editor, organisation=landscape.a.org, path_or_bytes=data, format=fmt, filename=name
    )


def _replace_member(xlsx: bytes, member: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = content if info.filename == member else source.read(info.filename)
            target.writestr(info.filename, data)
    return out.getvalue()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(landscape: Landscape, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "big.csv"
    path.write_bytes(csv_bytes("processes", [PROCESS] * 200))
    before = _counts()
    with override_settings(REGIE_MAX_UPLOAD_BYTES=1000):
        report = import_file(
            actor=landscape.a.editor, organisation=landscape.a.org, path_or_bytes=path, format="csv"
        )
    assert report.problems[0].file == "big.csv"
    assert "limit is 1,000 bytes" in report.problems[0].message
    assert _nothing_written(before)


def test_a_zip_bomb_posing_as_a_workbook_is_refused_before_it_is_inflated(landscape: Landscape) -> None:
    bomb = _replace_member(workbook({"processes": [PROCESS]}), "xl/worksheets/sheet1.xml", b"\0" * 50_000_000)
    assert len(bomb) < 200_000
    before = _counts()
    report = _import(landscape, bomb, "xlsx", "bomb.xlsx")
    assert "zip bomb" in report.problems[0].message
    assert _nothing_written(before)


def test_a_workbook_that_inflates_past_the_limit_is_refused(landscape: Landscape) -> None:
    with override_settings(REGIE_MAX_UNCOMPRESSED_BYTES=2000):
        report = _import(landscape, workbook({"processes": [PROCESS]}), "xlsx", "w.xlsx")
    assert "inflates to" in report.problems[0].message


def test_a_workbook_with_an_entity_declaration_inside_is_refused(landscape: Landscape) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    data = _replace_member(workbook({"processes": [PROCESS]}), "xl/worksheets/sheet1.xml", laughs)
    report = _import(landscape, data, "xlsx", "laughs.xlsx")
    assert "DTD or entities" in report.problems[0].message
    assert "sheet1.xml" in report.problems[0].file


def test_a_file_that_is_not_a_workbook_is_refused(landscape: Landscape) -> None:
    report = _import(landscape, b"PK\x03\x04 this is no zip", "xlsx", "kapot.xlsx")
    assert report.problems[0].message == "This is not a valid XLSX (zip) file."


def test_a_binary_file_posing_as_csv_is_refused(landscape: Landscape) -> None:
    report = _import(
        landscape, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "csv", "foto.csv"
    )
    assert "binary" in report.problems[0].message


def test_a_csv_whose_bytes_contradict_its_byte_order_mark_is_refused(landscape: Landscape) -> None:
    report = _import(landscape, b"\xef\xbb\xbfNaam;Beschikbaarheid\n\xff\xfe\xfa;1\n", "csv", "bom.csv")
    assert "byte-order mark" in report.problems[0].message


def test_malformed_json_is_refused_with_line_and_column(landscape: Landscape) -> None:
    report = _import(landscape, b'{"format": "regie-organisation",\n "version": 1,,}', "json", "a.json")
    assert report.problems[0].message.startswith("The JSON is malformed at line 2, column 15")


def test_json_of_another_kind_is_refused(landscape: Landscape) -> None:
    report = _import(landscape, b'{"hello": "world"}', "json", "a.json")
    assert "not a Regie organisation document" in report.problems[0].message


def test_a_csv_with_only_unknown_headers_is_refused(landscape: Landscape) -> None:
    report = _import(landscape, b"foo;bar\n1;2\n", "csv", "x.csv")
    assert "matches no sheet" in report.problems[0].message


def test_a_workbook_with_a_damaged_sheet_is_refused_with_the_parse_position(landscape: Landscape) -> None:
    broken = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c'
    data = _replace_member(workbook({"processes": [PROCESS]}), "xl/worksheets/sheet1.xml", broken)
    report = _import(landscape, data, "xlsx", "kapot.xlsx")
    assert "cannot be" in report.problems[0].message
    assert "line 1, column" in report.problems[0].message
    assert not report.written


def test_json_nested_beyond_reason_is_refused(landscape: Landscape) -> None:
    report = _import(landscape, b"[" * 100_000 + b"]" * 100_000, "json", "deep.json")
    assert report.problems[0].message == "The JSON is nested too deeply."
