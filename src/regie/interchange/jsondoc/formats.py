"""The JSON document in the registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from ..registry import Exporter, Importer, register_exporter, register_importer
from . import export, importer

if TYPE_CHECKING:
    from regie.register.models import Organisation
    from regie.register.services import Actor


def export_json(actor: Actor, organisation: Organisation) -> bytes:
    return export.export_json(organisation)


register_importer(
    Importer(
        "json", _("Regie organisation document (JSON)"), ("json",), importer.run, needs_organisation=False
    )
)
register_exporter(
    Exporter("json", _("Regie organisation document (JSON)"), "json", "application/json", export_json)
)
