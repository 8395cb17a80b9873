"""The registry of formats: one importer and/or exporter per format, declared once.

In the spirit of Datasette's hookspecs: each format module registers itself here, the
built-in formats through the same call a plug-in would use, and callers look a format up by
name. Adding a format is one module plus its name in ``BUILTIN_MODULES``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from regie.register.models import Organisation
    from regie.register.services import Actor

    from .context import ImportContext

BUILTIN_MODULES = (
    "regie.interchange.sheets.formats",
    "regie.interchange.jsondoc.formats",
    "regie.interchange.dora",
    "regie.interchange.archimate.formats",
    "regie.interchange.gleif",
    "regie.interchange.softwarecatalogus",
    "regie.interchange.publiccode",
)


@dataclass(frozen=True)
class Importer:
    """Reads bytes and writes through ``ctx``; adds problems to ``ctx.report`` instead of raising."""

    name: str
    label: str | _StrPromise  # shown in the interface's language
    extensions: tuple[str, ...]
    run: Callable[[bytes, ImportContext], None]
    needs_organisation: bool = True


@dataclass(frozen=True)
class Exporter:
    name: str
    label: str | _StrPromise  # shown in the interface's language
    extension: str
    media_type: str
    run: Callable[[Actor, Organisation], bytes]


IMPORTERS: dict[str, Importer] = {}
EXPORTERS: dict[str, Exporter] = {}
_loaded = False


def register_importer(importer: Importer) -> Importer:
    IMPORTERS[importer.name] = importer
    return importer


def register_exporter(exporter: Exporter) -> Exporter:
    EXPORTERS[exporter.name] = exporter
    return exporter


def load_builtin() -> None:
    global _loaded  # noqa: PLW0603 - a once-only load flag
    if _loaded:
        return
    for module in BUILTIN_MODULES:
        importlib.import_module(module)
    _loaded = True


def importers() -> dict[str, Importer]:
    load_builtin()
    return IMPORTERS


def exporters() -> dict[str, Exporter]:
    load_builtin()
    return EXPORTERS
