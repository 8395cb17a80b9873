"""Base classes for API schemas: lowerCamelCase on the wire, snake_case in Python."""

from __future__ import annotations

from typing import Any

from ninja import FilterSchema, Schema
from ninja.filter_schema import FilterConfigDict
from ninja.schema import DjangoGetter
from pydantic import ConfigDict, ModelWrapValidatorHandler, ValidationInfo, field_validator, model_validator
from pydantic.alias_generators import to_camel

CAMEL = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class _CamelGetter(DjangoGetter):
    """django-ninja's attribute reader, minus its slow path for our generated aliases.

    Pydantic asks for a field by its alias first (``productId``), then by its name. A model
    instance has no attribute ``productId``, and ninja then tries a Django template lookup
    (``Variable.resolve``, which calls ``dir()`` on the object): about a fifth of a list
    request's processor time. For an alias we generated, the answer is "no such attribute" at
    once, and Pydantic reads the field by its name. Dicts, resolvers and every other key behave
    as in ninja.
    """

    __slots__ = ()

    def __getattr__(self, key: str) -> Any:
        obj = self._obj
        if (
            not isinstance(obj, dict)
            and key in _generated_aliases(self._schema_cls)
            and key not in self._schema_cls._ninja_resolvers
            and not hasattr(obj, key)
        ):
            raise AttributeError(key)
        return super().__getattr__(key)


_ALIASES: dict[type, frozenset[str]] = {}


def _generated_aliases(schema: type[Schema]) -> frozenset[str]:
    found = _ALIASES.get(schema)
    if found is None:
        found = frozenset(
            info.alias
            for name, info in schema.model_fields.items()
            if info.alias and info.alias != name and info.alias == to_camel(name)
        )
        _ALIASES[schema] = found
    return found


class CamelSchema(Schema):
    """Every API schema derives from this: properties are lowerCamelCase (NL API Design Rules)."""

    model_config = CAMEL

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        # as ninja's Schema._run_root_validator, with the faster attribute reader
        if cls.model_config.get("extra") == "forbid" or cls.model_config.get("validate_assignment", False):
            handler(values)
        return handler(_CamelGetter(values, cls, info.context))


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
