"""Exporting one organisation as a lossless JSON document.

One writer (ADR 0137): the document is the one the export of every organisation writes
(``bulkexport``, ADR 0128), from a batch of this organisation alone that reads only the shared
records its document brings along. The values' and the document's encoding is ``encoding``'s.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from .bulkexport import organisation_document
from .encoding import AUDIT_FIELDS, ORGANISATION_FIELDS, encode, value_of

if TYPE_CHECKING:
    from regie.register.models import Organisation


def build_document(
    organisation: Organisation, *, exported_at: datetime.datetime | None = None
) -> dict[str, Any]:
    """The document as a dictionary (for tests and tools that change it before an import)."""
    return organisation_document(organisation.pk, _stamp(exported_at)).dictionary()


def export_json(organisation: Organisation, *, exported_at: datetime.datetime | None = None) -> bytes:
    """The document as UTF-8 JSON: the bytes ``regie export --all`` writes for this organisation."""
    return organisation_document(organisation.pk, _stamp(exported_at)).encoded()


def _stamp(exported_at: datetime.datetime | None) -> str:
    return (exported_at or timezone.now()).isoformat()


def canonical(document: dict[str, Any]) -> dict[str, Any]:
    """The document without what differs between two faithful copies: the export time and
    the audit entries that an import itself wrote."""
    result = dict(document)
    result.pop("exported_at", None)
    result["audit"] = [
        e for e in document.get("audit", []) if not str(e.get("request_id", "")).startswith("import-")
    ]
    return result


__all__ = [
    "AUDIT_FIELDS",
    "ORGANISATION_FIELDS",
    "build_document",
    "canonical",
    "encode",
    "export_json",
    "value_of",
]
