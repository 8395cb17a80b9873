"""docs/interchange.md documents every format, sheet column and ArchiMate mapping that the code has."""

from __future__ import annotations

from pathlib import Path

from regie.interchange.archimate import mapping
from regie.interchange.registry import exporters, importers
from regie.interchange.sheets.layout import SHEETS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "interchange.md").read_text(encoding="utf-8")


def test_every_format_is_documented() -> None:
    for name in {*importers(), *exporters()}:
        assert f"| `{name}` |" in DOC, name


def test_every_spreadsheet_column_is_documented_in_both_languages() -> None:
    for sheet in SHEETS:
        assert f"### {sheet.nl} / {sheet.en}" in DOC
        for column in sheet.columns:
            assert f"| {column.nl} | {column.en} |" in DOC, (sheet.key, column.key)


def test_the_archimate_mapping_tables_match_the_code() -> None:
    for element, record in mapping.ELEMENT_IMPORT.items():
        label = "usage (application)" if record == "usage" else record.replace("_", " ")
        if record == "service":
            label = "service of the catalogue"
        assert f"| {element} | {label}" in DOC, element
    for record, element in mapping.ELEMENT_EXPORT.items():
        assert f"| {record} | {element}" in DOC, record
    for relation, (kind, source, _target) in mapping.RELATIONSHIP_EXPORT.items():
        assert f"| {relation} | {kind} from {source}" in DOC or f"| {relation} | {kind} |" in DOC, relation
