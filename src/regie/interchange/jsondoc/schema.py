"""The JSON Schema of the organisation document, derived from the register models.

The shipped file ``organisation.schema.json`` is this schema written out; a test fails when
the two differ, so the published schema always describes what Regie exports.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.db import models
from django.utils import translation
from jsonschema import Draft202012Validator, ValidationError

from ..problems import N_, Message
from .export import AUDIT_FIELDS, ORGANISATION_FIELDS
from .framework import PARTS
from .parts import Part
from .sections import FORMAT, SECTIONS, VERSION

SCHEMA_PATH = Path(__file__).with_name("organisation.schema.json")
SCHEMA_ID = "https://regie.example/schema/regie-organisation-1.schema.json"
ID = {"type": "string", "minLength": 1, "maxLength": 100}


def _field_schema(field: Any) -> dict[str, Any]:  # noqa: PLR0912 - one branch per field type
    schema: dict[str, Any]
    if field.many_to_many:
        return {"type": "array", "items": ID}
    if field.many_to_one:
        schema = dict(ID)
    elif isinstance(field, models.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, (models.IntegerField,)):
        schema = {"type": "integer"}
        if isinstance(
            field,
            (models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField),
        ):
            schema["minimum"] = 0
    elif isinstance(field, models.FloatField):
        schema = {"type": "number"}
    elif isinstance(field, models.DecimalField):
        schema = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
    elif isinstance(field, models.DateTimeField):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(field, models.DateField):
        schema = {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    elif isinstance(field, models.JSONField):
        return {}
    else:
        schema = {"type": "string"}
        if field.max_length:
            schema["maxLength"] = field.max_length
        if field.choices:
            schema["enum"] = sorted({str(c[0]) for c in field.flatchoices} | ({""} if field.blank else set()))
    if field.null:
        schema = {"anyOf": [schema, {"type": "null"}]}
    if field.verbose_name:
        schema["description"] = str(field.verbose_name)
    return schema


def build_schema() -> dict[str, Any]:
    from regie.register.models import Organisation

    definitions: dict[str, Any] = {}
    properties: dict[str, Any] = {
        "format": {"const": FORMAT},
        "version": {"const": VERSION},
        "exported_at": {"type": "string", "format": "date-time"},
    }
    org_props = {f: _field_schema(Organisation._meta.get_field(f)) for f in ORGANISATION_FIELDS}
    org_props["joint_arrangements"] = {"type": "array", "items": {"type": "string"}}
    org_props["trusted_countries"] = {"type": "array", "items": {"type": "string"}}
    properties["organisation"] = {
        "type": "object",
        "required": ["name", "code", "kind"],
        "properties": org_props,
        "additionalProperties": False,
    }
    for section in SECTIONS:
        fields = section.fields()
        props = {"id": ID, **{f.name: _field_schema(f) for f in fields}}
        if section.key == "countries":
            props.pop("code", None)
        required = ["id"] + [
            f.name
            for f in fields
            if not f.many_to_many and not f.blank and not f.has_default() and not f.null and f.name != "code"
        ]
        definitions[section.key] = {
            "type": "object",
            "description": str(section.model._meta.verbose_name),
            "properties": props,
            "required": required,
            "additionalProperties": False,
        }
        properties[section.key] = {"type": "array", "items": {"$ref": f"#/$defs/{section.key}"}}
    for part in PARTS:
        definitions[part.key] = _part_schema(part)
        properties[part.key] = {"type": "array", "items": {"$ref": f"#/$defs/{part.key}"}}
    from regie.audit.models import AuditEntry

    audit_props = {"at": {"type": "string", "format": "date-time"}}
    audit_props.update({f: _field_schema(AuditEntry._meta.get_field(f)) for f in AUDIT_FIELDS})
    properties["audit"] = {
        "type": "array",
        "items": {
            "type": "object",
            "properties": audit_props,
            "required": ["at", "action", "object_type", "object_id"],
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Regie: the register of one organisation",
        "description": "A lossless export of one organisation's dependency register (Regie, EUPL-1.2).",
        "type": "object",
        "required": ["format", "version", "organisation"],
        "properties": properties,
        "additionalProperties": False,
        "$defs": definitions,
    }


def _part_schema(part: Part) -> dict[str, Any]:
    """A framework record: model fields, document ids for references, user names for people."""
    props: dict[str, Any] = {"id": ID}
    for name in part.fields:
        if name == "subject":
            props[name] = {
                "anyOf": [ID, {"type": "null"}],
                "description": "document id of the process, usage or contract the finding is about, "
                "or 'organisation' for the organisation itself",
            }
            continue
        model_field = part.model._meta.get_field(name)
        if name in part.users:
            schema: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 150}
            props[name] = {"anyOf": [schema, {"type": "null"}]} if model_field.null else schema
            props[name]["description"] = "user name"
        elif name in part.refs:
            props[name] = {"anyOf": [ID, {"type": "null"}]} if model_field.null else dict(ID)
        else:
            props[name] = _field_schema(model_field)
    if "subject_key" in props:
        props["subject_key"] = {
            "anyOf": [props["subject_key"], {"type": "null"}],
            "description": "the subject, when it is not a record of the document",
        }
    return {
        "type": "object",
        "description": str(part.model._meta.verbose_name),
        "properties": props,
        "required": ["id", *part.fields],
        "additionalProperties": False,
    }


def schema_text() -> str:
    with translation.override("en"):
        schema = build_schema()
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate_document(document: Any, *, limit: int = 200) -> list[tuple[Message, str]]:
    """Every schema violation as (message, JSON path), at most ``limit`` of them."""
    problems = []
    for error in _validator().iter_errors(document):
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
        problems.append((schema_message(error), path or "(document)"))
        if len(problems) >= limit:
            break
    return sorted(problems, key=lambda p: p[1])


# The schema's checks, each as a translatable message. The English is jsonschema's own wording
# (the text the import reported before it was translatable); values are shown as Python reprs,
# as jsonschema shows them. A check without a message here keeps jsonschema's English text.
SCHEMA_MESSAGES: dict[str, str] = {
    "type": N_("%(value)s is not of type %(expected)s"),
    "required": N_("%(expected)s is a required property"),
    "additionalProperties": N_("Additional properties are not allowed (%(value)s was unexpected)"),
    "additionalProperties+": N_("Additional properties are not allowed (%(value)s were unexpected)"),
    "enum": N_("%(value)s is not one of %(expected)s"),
    "const": N_("%(expected)s was expected"),
    "minLength": N_("%(value)s is too short"),
    "minLength=1": N_("%(value)s should be non-empty"),
    "maxLength": N_("%(value)s is too long"),
    "minimum": N_("%(value)s is less than the minimum of %(expected)s"),
    "pattern": N_("%(value)s does not match %(expected)s"),
    "format": N_("%(value)s is not a %(expected)s"),
    "anyOf": N_("%(value)s is not valid under any of the given schemas"),
}
SHOWN = 120  # characters of a value from the document shown in a message


def schema_message(error: ValidationError) -> Message:
    """The message of one schema violation: translatable, in jsonschema's English words."""
    keyword = str(error.validator)
    rule: Any = error.validator_value
    instance: Any = error.instance
    schema: Any = error.schema
    expected: Any = rule
    value: Any = instance
    key = keyword
    if keyword == "type":
        expected = ", ".join(repr(t) for t in ([rule] if isinstance(rule, str) else rule))
    elif keyword == "required":  # one error per missing property, named only in the message
        expected = error.message.removesuffix(" is a required property")
    elif keyword == "additionalProperties":
        extras = sorted(set(instance) - set(schema.get("properties", {})), key=str)
        value = ", ".join(repr(e) for e in extras)
        key = keyword if len(extras) == 1 else f"{keyword}+"
    elif keyword == "minLength" and rule == 1:
        key = "minLength=1"
    if key not in SCHEMA_MESSAGES:
        return Message.plain(error.message[:300])
    return Message(
        SCHEMA_MESSAGES[key],
        value=_shown(value) if key.startswith("additional") else _shown(repr(value)),
        expected=_shown(expected if keyword in ("type", "required") else repr(expected)),
    )


def _shown(text: str) -> str:
    return text if len(text) <= SHOWN else f"{text[: SHOWN - 1]}…"
