"""Base classes for API schemas: lowerCamelCase on the wire, snake_case in Python."""

from __future__ import annotations

from ninja import FilterSchema, Schema
from pydantic import ConfigDict
from pydantic.alias_generators import to_camel

CAMEL = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class CamelSchema(Schema):
    """Every API schema derives from this: properties are lowerCamelCase (NL API Design Rules)."""

    model_config = CAMEL


class CamelInput(CamelSchema):
    """Request bodies: unknown properties are refused, so a misspelt field is not silently lost."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class CamelFilter(FilterSchema):
    """Query filters: the query keys are lowerCamelCase too."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class NoFilter(CamelFilter):
    """A resource without filters of its own."""
