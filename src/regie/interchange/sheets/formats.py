"""The spreadsheet formats in the registry: XLSX and CSV import, XLSX export."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from ..registry import Exporter, Importer, register_exporter, register_importer
from . import importer, reader, workbook

if TYPE_CHECKING:
    from regie.register.models import Organisation
    from regie.register.services import Actor

    from ..context import ImportContext

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def import_xlsx(data: bytes, ctx: ImportContext) -> None:
    importer.run(ctx, reader.read_workbook(data, ctx.report))


def import_csv(data: bytes, ctx: ImportContext) -> None:
    importer.run(ctx, reader.read_csv(data, ctx.report, sheet=ctx.sheet))


def export_xlsx(actor: Actor, organisation: Organisation) -> bytes:
    return workbook.export_bytes(organisation)


register_importer(Importer("xlsx", _("Spreadsheet (XLSX, Regie template)"), ("xlsx",), import_xlsx))
register_importer(Importer("csv", _("One sheet of the template as CSV"), ("csv", "txt"), import_csv))
register_exporter(
    Exporter("xlsx", _("Spreadsheet (XLSX, Regie template)"), "xlsx", XLSX_MEDIA_TYPE, export_xlsx)
)
