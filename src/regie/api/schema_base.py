"""Base classes for API schemas: lowerCamelCase on the wire, snake_case in Python."""

from __future__ import annotations

from typing import Any

from ninja import FilterSchema, Schema
from ninja.filter_schema import FilterConfigDict
from pydantic import ConfigDict, field_validator
from pydantic.alias_generators import to_camel

CAMEL = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class CamelSchema(Schema):
    """Every API schema derives from this: properties are lowerCamelCase (NL API Design Rules)."""

    model_config = CAMEL


def storable_text(value: Any) -> Any:
    """Refuse text a database cannot store: NUL characters and lone UTF-16 surrogates."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str):
            if "\x00" in item:
                raise ValueError("Text may not contain NUL characters.")
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ValueError("Text must be valid Unicode (no lone surrogates).") from exc
    return value


class CamelInput(CamelSchema):
    """Request bodies: unknown properties are refused, so a misspelt field is not silently lost."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    _storable = field_validator("*", mode="after")(storable_text)


class CamelFilter(FilterSchema):
    """Query filters: the query keys are lowerCamelCase too."""

    model_config = FilterConfigDict(alias_generator=to_camel, populate_by_name=True)

    _storable = field_validator("*", mode="after")(storable_text)


class NoFilter(CamelFilter):
    """A resource without filters of its own."""
