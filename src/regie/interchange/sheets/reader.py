"""Reading a workbook or a CSV file into tables of raw cell values, keyed by column."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ..limits import check_archive
from ..problems import N_, ImportRefused, ImportReport, Message
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
    sheet_for_filename,
    sheet_for_headers,
    sheet_for_title,
    sheets_with_all_headers,
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
        raise ImportRefused(
            Message(N_("The workbook cannot be opened: %(error)s"), error=f"{type(exc).__name__}: {exc}"),
            file=name,
        ) from exc
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
                    Message(N_("This sheet is not part of the template and was skipped."))
                    + did_you_mean(title, expected),
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
                    Message(
                        N_("Sheet '%(sheet)s' cannot be read: %(error)s"),
                        sheet=title,
                        error=f"{type(exc).__name__}: {exc}",
                    ),
                    file=name,
                ) from exc
            if table is not None:
                tables.append(table)
    finally:
        workbook.close()
    return tables


def read_csv(data: bytes, report: ImportReport, *, sheet: str = "") -> list[Table]:
    """One sheet of the template as CSV; which one: ``sheet``, else the file name, else the columns."""
    rows = read_csv_rows(data, name=report.file)
    if not rows:
        report.add(Message(N_("The file is empty.")))
        return []
    chosen = csv_sheet(rows[0], report, sheet=sheet)
    if chosen is None:
        return []
    table = _table(chosen, chosen.nl, iter(rows), report)
    return [table] if table is not None else []


HOW_TO_NAME = N_(
    "Name the register: on the import page ('Register (CSV)'), with --sheet on the command line, "
    "sheet= in the API, or at the end of the file name (for example '%(example)s')."
)


def csv_sheet(headers: list[str], report: ImportReport, *, sheet: str = "") -> Sheet | None:
    """The register a CSV holds, or None with a problem naming the file."""
    file = report.file or "upload.csv"
    example = f"{file.rsplit('.', 1)[0]}-processen.csv"
    if sheet:
        found = sheet_for_title(sheet)
        if found is None:
            names = ", ".join(f"{s.key} ({s.nl})" for s in SHEETS)
            report.add(
                Message(
                    N_("'%(name)s' is not a register of the template; name one of: %(names)s."),
                    name=sheet,
                    names=names,
                )
            )
        return found
    by_name = sheet_for_filename(file)
    if by_name is not None:
        return by_name
    fitting = sheets_with_all_headers(headers)
    if len(fitting) == 1:
        return fitting[0]
    if len(fitting) > 1:
        report.add(
            Message(
                N_("Cannot tell which register '%(file)s' holds: its columns are those of %(sheets)s. "),
                file=file,
                sheets=", ".join(s.nl for s in fitting),
            )
            + Message(HOW_TO_NAME, example=example)
        )
        return None
    best = sheet_for_headers(headers)
    if best is None:
        report.add(
            Message(
                N_(
                    "The header row of '%(file)s' matches no sheet of the template; use the column "
                    "names of the template (Dutch or English) and include every required column. "
                ),
                file=file,
            )
            + Message(HOW_TO_NAME, example=example)
        )
    return best


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
                Message(N_("Unknown column '%(column)s'."), column=written) + did_you_mean(written, names),
                sheet=title,
                row=1,
                letter=letter,
            )
            ok = False
            continue
        if column.key in positions.values():
            report.add(
                Message(N_("Column '%(column)s' appears twice."), column=written),
                sheet=title,
                row=1,
                letter=letter,
            )
            ok = False
            continue
        positions[index] = column.key
        table.headers[column.key] = written
        table.letters[written] = letter
    for column in sheet.columns:
        if column.required and column.key not in positions.values():
            report.add(
                Message(
                    N_("The required column '%(nl)s' ('%(en)s') is missing."), nl=column.nl, en=column.en
                ),
                sheet=title,
                row=1,
            )
            ok = False
    return positions if ok else None
