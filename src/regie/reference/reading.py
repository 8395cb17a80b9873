"""Reading a reference bundle: parse its files and validate each against the JSON Schema.

Nothing here touches the database. Each file is checked against its definition in
``schema/bundle.schema.json``, then :func:`regie.reference.checks.check_bundle` resolves the
references between files. Every problem is collected and reported together, each naming the
file, the entry and the field.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from .checks import check_bundle
from .specs import BundleError, ParsedBundle

DEFAULT_BUNDLE = Path(__file__).resolve().parent / "data"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "bundle.schema.json"
MANIFEST = "bundle.yaml"
FILE_KEYS = ("sources", "countries", "laws", "entities", "products", "services", "alternatives", "gemma")

__all__ = ["DEFAULT_BUNDLE", "BundleError", "ParsedBundle", "read_bundle"]


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: dates stay strings and the schema checks them."""


_Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def _validator(definition: str) -> Draft202012Validator:
    schema = {"$ref": f"#/$defs/{definition}", "$defs": _schema()["$defs"]}
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _read(path: Path, errors: list[str]) -> Any:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        errors.append(f"{name}: file not found ({path}).")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(f"{name}: cannot be read: {exc}.")
        return None
    try:
        if path.suffix == ".json":
            return json.loads(text)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except json.JSONDecodeError as exc:
        errors.append(f"{name}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}.")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        errors.append(f"{name}: not valid YAML{where}: {problem}.")
    return None


def _entry_label(data: Any, path: list[Any]) -> tuple[str, str]:
    """(entry, field) for an error path such as ['entities', 3, 'parent', 'entity']."""
    if len(path) >= 2 and isinstance(path[1], int):
        items = data.get(path[0]) if isinstance(data, dict) else None
        entry = f"entry {path[1] + 1}"
        if isinstance(items, list) and path[1] < len(items) and isinstance(items[path[1]], dict):
            name = items[path[1]].get("name") or items[path[1]].get("code")
            if name:
                entry += f" ({name})"
        return entry, ".".join(str(p) for p in path[2:])
    if len(path) >= 2 and path[0] == "sources":
        return f"source '{path[1]}'", ".".join(str(p) for p in path[2:])
    return "", ".".join(str(p) for p in path)


def _schema_message(filename: str, data: Any, error: SchemaError) -> str:
    path = list(error.absolute_path)
    entry, field_name = _entry_label(data, path)
    if error.validator == "required" and isinstance(error.validator_value, list):
        missing = [
            f for f in error.validator_value if isinstance(error.instance, dict) and f not in error.instance
        ]
        if missing:
            field_name = ".".join(filter(None, [field_name, missing[0]]))
            message = "is required"
        else:
            message = error.message
    elif error.validator == "additionalProperties":
        message = error.message
    elif error.validator == "oneOf" and field_name.endswith("parent"):
        message = "give either 'entity' and 'source' (a known parent) or 'state' (none or unknown)"
    else:
        message = error.message
    place = ", ".join(filter(None, [entry, f"field '{field_name}'" if field_name else ""]))
    return f"{filename}: {place or 'top level'}: {message}."


def _validate(filename: str, definition: str, data: Any, errors: list[str]) -> bool:
    found = sorted(_validator(definition).iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    errors.extend(_schema_message(filename, data, e) for e in found)
    return not found


def read_bundle(path: Path | None = None) -> ParsedBundle:
    """Read and validate a bundle (a directory with bundle.yaml, or the bundle.yaml itself)."""
    root = Path(path) if path is not None else DEFAULT_BUNDLE
    manifest_path = root if root.is_file() else root / MANIFEST
    root = manifest_path.parent
    errors: list[str] = []
    manifest = _read(manifest_path, errors)
    if errors or not _validate(manifest_path.name, "manifest", manifest, errors):
        raise BundleError(errors)
    files: dict[str, str] = dict(manifest["files"])
    raw: dict[str, Any] = {}
    for key in FILE_KEYS:
        data = _read(root / files[key], errors)
        if data is not None and _validate(files[key], key, data, errors):
            raw[key] = data
    if errors:
        raise BundleError(errors)
    bundle = check_bundle(root, manifest, files, raw, errors)
    if errors:
        raise BundleError(errors)
    return bundle
