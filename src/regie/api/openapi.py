"""The OpenAPI document, adjusted to the NL API Design Rules.

django-ninja writes OpenAPI 3.1; the ADR linter asks for 3.0, so nullable types are rewritten
the 3.0 way. Every success response documents ``API-Version`` (and ``ETag`` where one is
sent), every error response ``application/problem+json``, and ``/openapi.json`` itself is
listed as a resource.
"""

from __future__ import annotations

import copy
import json
from typing import Any

API_VERSION = "1.0.0"
CONTACT = {
    "name": "Regie",
    "url": "https://github.com/regie-project/regie",
    "email": "regie@example.org",
}
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
VERSION_HEADER = {
    "description": "The full version of the API (semantic versioning).",
    "required": True,
    "schema": {"type": "string", "example": API_VERSION},
}
ETAG_HEADER = {
    "description": "The state of the object; send it back as If-Match to change or delete it.",
    "required": True,
    "schema": {"type": "string"},
}
CORS_HEADER = {"description": "Always '*'.", "schema": {"type": "string"}}


def to_openapi_30(node: Any) -> Any:
    """Rewrite JSON Schema 2020-12 idioms (OpenAPI 3.1) to their OpenAPI 3.0 form."""
    if isinstance(node, list):
        return [to_openapi_30(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = dict(node)
    for key in ("anyOf", "oneOf"):
        options = node.get(key)
        if isinstance(options, list) and {"type": "null"} in options:
            rest = [o for o in options if o != {"type": "null"}]
            del node[key]
            if len(rest) == 1 and "$ref" not in rest[0]:
                node = {**rest[0], **node}
            elif len(rest) == 1:
                node["allOf"] = rest
            else:
                node[key] = rest
            node["nullable"] = True
    node = {key: to_openapi_30(value) for key, value in node.items()}
    if node.get("type") == "null":
        node.pop("type")
        node["nullable"] = True
    if "const" in node:
        node["enum"] = [node.pop("const")]
    for bound, plain in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        value = node.get(bound)
        if isinstance(value, int | float) and not isinstance(value, bool):
            node[plain] = value
            node[bound] = True
    node.pop("examples", None)
    return node


def _drop_unreferenced_schemas(doc: dict[str, Any]) -> None:
    """Query filters are flattened into parameters; their schema objects are not referenced."""
    schemas = doc.get("components", {}).get("schemas", {})
    while True:
        text = json.dumps({k: v for k, v in doc.items() if k != "components"}) + json.dumps(schemas)
        unused = [name for name in schemas if f'"#/components/schemas/{name}"' not in text]
        if not unused:
            return
        for name in unused:
            del schemas[name]


def _success_headers(path: str, method: str, status: str) -> dict[str, Any]:
    headers: dict[str, Any] = {"API-Version": VERSION_HEADER}
    is_item = path.endswith("}")
    if (
        status in {"200", "201"}
        and not path.endswith("/bulk")
        and ((method == "get" and is_item) or method in {"post", "patch"})
    ):
        headers["ETag"] = ETAG_HEADER
    return headers


def adjust(schema: dict[str, Any], *, server_url: str) -> dict[str, Any]:
    """Apply the NL API Design Rules conventions to a django-ninja OpenAPI document."""
    doc: dict[str, Any] = to_openapi_30(copy.deepcopy(schema))
    doc["openapi"] = "3.0.3"
    doc["info"] = {
        "title": "Regie API",
        "version": API_VERSION,
        "description": (
            "Het register van digitale afhankelijkheden van een overheidsorganisatie. "
            "The register of a government organisation's digital dependencies. "
            "Errors are application/problem+json (RFC 9457); changes need If-Match."
        ),
        "contact": CONTACT,
        "license": {"name": "EUPL-1.2", "url": "https://interoperable-europe.ec.europa.eu/collection/eupl"},
    }
    doc["servers"] = [{"url": server_url, "description": "This Regie instance"}]
    tags: dict[str, None] = {}
    for path, item in doc.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            tags.update(dict.fromkeys(operation.get("tags", [])))
            operation.setdefault("description", operation.get("summary", ""))
            operation["responses"] = {str(k): v for k, v in operation["responses"].items()}
            if operation.get("parameters") or operation.get("requestBody"):
                # Every operation that takes input answers malformed input with a problem (400).
                operation["responses"].setdefault("400", {"description": "Bad request"})
            for status, response in operation["responses"].items():
                if status.startswith(("2", "3")):
                    response["headers"] = _success_headers(path, method, status)
                else:
                    response["content"] = {"application/problem+json": {"schema": PROBLEM_REF}}
            operation["responses"].setdefault(
                "500",
                {
                    "description": "Internal error",
                    "content": {"application/problem+json": {"schema": PROBLEM_REF}},
                },
            )
    doc["tags"] = [{"name": name} for name in [*tags, "OpenAPI"]]
    _drop_unreferenced_schemas(doc)
    doc["paths"]["/openapi.json"] = {
        "get": {
            "operationId": "getOpenApiDocument",
            "summary": "This OpenAPI document",
            "description": "The OpenAPI 3 document that describes this API.",
            "tags": ["OpenAPI"],
            "security": [],
            "responses": {
                "200": {
                    "description": "The OpenAPI 3 document of this API.",
                    "headers": {"API-Version": VERSION_HEADER, "Access-Control-Allow-Origin": CORS_HEADER},
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    }
    return doc
