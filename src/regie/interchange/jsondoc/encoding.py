"""How the JSON document writes its values: the organisation's and the audit entries' fields,
values as JSON, and the document as bytes (ADR 0129)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import orjson

ORGANISATION_FIELDS = ("name", "code", "kind", "cbs_code", "oin", "kvk", "province", "inhabitants", "staff")
AUDIT_FIELDS = (
    "action",
    "actor_label",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "message",
    "request_id",
)


def value_of(value: Any) -> Any:
    """A field value as JSON: decimals as strings (exact), dates in ISO 8601."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def encode(document: dict[str, Any]) -> bytes:
    """The document as UTF-8 JSON, indented by two spaces, with a final newline.

    orjson writes what ``json.dumps(document, ensure_ascii=False, indent=2)`` writes, but for the
    spelling of some floats (``0.00001`` for ``1e-05``: the same number); a value orjson refuses
    (an integer beyond 64 bits in a JSON field) leaves the whole document to the standard library.
    The writer (``bulkexport``) encodes a document through this when it cannot assemble it from text.
    """
    try:
        return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"
    except orjson.JSONEncodeError:
        return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


__all__ = ["AUDIT_FIELDS", "ORGANISATION_FIELDS", "encode", "value_of"]
