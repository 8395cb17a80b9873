"""ArchiMate in the registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from ..registry import Exporter, Importer, register_exporter, register_importer
from . import importer, writer

if TYPE_CHECKING:
    from regie.register.models import Organisation
    from regie.register.services import Actor


def export(actor: Actor, organisation: Organisation) -> bytes:
    return writer.export_archimate(organisation)


register_importer(Importer("archimate", _("ArchiMate Open Exchange Format (XML)"), ("xml",), importer.run))
register_exporter(
    Exporter("archimate", _("ArchiMate Open Exchange Format (XML)"), "xml", "application/xml", export)
)
