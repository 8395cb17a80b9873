"""Reading a workbook or a CSV file into tables of raw cell values, keyed by column."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ..limits import check_archive
from ..problems import ImportRefused, ImportReport
from ..textfiles import read_csv_rows
from ..values import did_you_mean, text
from .layout import (
    EXPORT_KEYWORD,
    INSTRUCTIONS_TITLE,
    LISTS_TITLE,
    SHEETS,
    Column,
    Sheet,
    header_key,
    sheet_for_headers,
    sheet_for_title,
)


@dataclass
class Table:
    """The rows of one sheet: (row number as the user sees it, {column key: raw value})."""

    sheet: Sheet
    title: str
    headers: dict[str, str] = field(default_factory=dict)  # column key → header as written
    letters: dict[str, str] = field(default_factory=dict)  # header as written → column letter
    labels: tuple[str, str] = ("sheet", "row")
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)

    def header(self, key: str) -> str:
        return self.headers.get(key, key)


def read_workbook(data: bytes, report: ImportReport) -> list[Table]:
    name = report.file
    check_archive(data, name=name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportRefused(f"The workbook cannot be opened: {type(exc).__name__}: {exc}", file=name) from exc
    tables: list[Table] = []
    skip_example = workbook.properties.keywords != EXPORT_KEYWORD
    try:
        for worksheet in workbook.worksheets:
            title = worksheet.title
            if header_key(title) in (header_key(INSTRUCTIONS_TITLE), header_key(LISTS_TITLE)):
                continue
            sheet = sheet_for_title(title)
            if sheet is None:
                expected = [s.nl for s in SHEETS]
                report.notice(
                    f"This sheet is not part of the template and was skipped.{did_you_mean(title, expected)}",
                    sheet=title,
                )
                continue
            try:
                table = _table(
                    sheet, title, worksheet.iter_rows(values_only=True), report, skip_example=skip_example
                )
            except ImportRefused:
                raise
            except Exception as exc:
                raise ImportRefused(
                    f"Sheet '{title}' cannot be read: {type(exc).__name__}: {exc}", file=name
                ) from exc
            if table is not None:
                tables.append(table)
    finally:
        workbook.close()
    return tables


def read_csv(data: bytes, report: ImportReport) -> list[Table]:
    rows = read_csv_rows(data, name=report.file)
    if not rows:
        report.add("The file is empty.")
        return []
    sheet = sheet_for_headers(rows[0])
    if sheet is None:
        report.add(
            "The header row matches no sheet of the template; use the column names of the template "
            "(Dutch or English) and include every required column."
        )
        return []
    table = _table(sheet, sheet.nl, iter(rows), report)
    return [table] if table is not None else []


def _table(
    sheet: Sheet,
    title: str,
    rows: Iterable[Sequence[object]],
    report: ImportReport,
    *,
    skip_example: bool = True,
) -> Table | None:
    iterator = iter(rows)
    header_row = next(iterator, None)
    if header_row is None:
        return None
    table = Table(sheet=sheet, title=title)
    positions = _positions(sheet, title, list(header_row), table, report)
    if positions is None:
        return None
    english = {header_key(c.en) for c in sheet.columns}
    example = {c.key: text(c.example) for c in sheet.columns}
    for offset, raw in enumerate(iterator, start=2):
        values = {key: (raw[i] if i < len(raw) else None) for i, key in positions.items()}
        texts = {key: text(v) for key, v in values.items()}
        if not any(texts.values()):
            continue
        if offset == 2 and {header_key(t) for t in texts.values() if t} <= english:
            continue  # the English header row of the template
        if skip_example and offset == 3 and all(texts[k] == example.get(k, "") for k in texts):
            continue  # the template's example row, unchanged
        table.rows.append((offset, values))
    return table


def _positions(
    sheet: Sheet, title: str, header_row: list[object], table: Table, report: ImportReport
) -> dict[int, str] | None:
    by_header: dict[str, Column] = {}
    for each in sheet.columns:
        by_header[header_key(each.nl)] = each
        by_header[header_key(each.en)] = each
    positions: dict[int, str] = {}
    ok = True
    for index, cell in enumerate(header_row):
        written = text(cell)
        if not written:
            continue
        letter = get_column_letter(index + 1)
        column = by_header.get(header_key(written))
        if column is None:
            names = [c.nl for c in sheet.columns] + [c.en for c in sheet.columns]
            report.add(
                f"Unknown column '{written}'.{did_you_mean(written, names)}",
                sheet=title,
                row=1,
                letter=letter,
            )
            ok = False
            continue
        if column.key in positions.values():
            report.add(f"Column '{written}' appears twice.", sheet=title, row=1, letter=letter)
            ok = False
            continue
        positions[index] = column.key
        table.headers[column.key] = written
        table.letters[written] = letter
    for column in sheet.columns:
        if column.required and column.key not in positions.values():
            report.add(f"The required column '{column.nl}' ('{column.en}') is missing.", sheet=title, row=1)
            ok = False
    return positions if ok else None
