"""Building small input files for interchange tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

from regie.interchange.sheets.layout import SHEET_BY_KEY


def workbook(sheets: dict[str, Sequence[dict[str, object]]], *, english: bool = False) -> bytes:
    """An XLSX with one sheet per key of ``sheets``; each row maps column key → value."""
    book = Workbook()
    default = book.active
    assert default is not None
    book.remove(default)
    for key, rows in sheets.items():
        sheet = SHEET_BY_KEY[key]
        keys = [c.key for c in sheet.columns if any(c.key in r for r in rows) or c.required]
        ws = book.create_sheet(sheet.en if english else sheet.nl)
        ws.append([(sheet.column(k).en if english else sheet.column(k).nl) for k in keys])
        for row in rows:
            ws.append([row.get(k) for k in keys])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    key: str, rows: Sequence[dict[str, object]], *, delimiter: str = ";", encoding: str = "utf-8"
) -> bytes:
    sheet = SHEET_BY_KEY[key]
    keys = [c.key for c in sheet.columns if any(c.key in r for r in rows) or c.required]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow([sheet.column(k).nl for k in keys])
    writer.writerows([[str(r.get(k, "")) for k in keys] for r in rows])
    return buffer.getvalue().encode(encoding)
