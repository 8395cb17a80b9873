"""The generic resource declaration: one :class:`Resource` per register model.

A declaration names the model, its schemas (out, create, optional update and detail), its
filters and sortable fields, and where it hangs in the URL tree (its parent). :mod:`.crud`
turns every declaration into the list, read, create, update and delete operations, all scoped
to the caller through the register's selectors and written through its services.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from pydantic import create_model
from pydantic.alias_generators import to_camel

from regie.register.models import Organisation
from regie.register.selectors import NotVisibleError, visible
from regie.register.tenancy import organisation_lookup

from .problems import ApiError, FieldError
from .schema_base import CamelFilter, CamelInput, CamelSchema, NoFilter

if TYPE_CHECKING:
    from regie.accounts.models import User

ALL_OPERATIONS = frozenset({"list", "read", "create", "update", "delete"})
READ_ONLY = frozenset({"list", "read"})

Creator = Callable[["User", Mapping[str, Any], Mapping[str, list[Any]]], models.Model]


@dataclass(frozen=True, eq=False)
class Resource:
    """How one register model appears in the API."""

    path: str  # plural, kebab-case: "redundancy-groups"
    name: str  # singular, PascalCase, for operation ids: "RedundancyGroup"
    plural: str  # "RedundancyGroups"
    model: type[models.Model]
    out: type[CamelSchema]
    create: type[CamelInput] | None = None
    update: type[CamelInput] | None = None  # default: every create field optional, minus `immutable`
    detail: type[CamelSchema] | None = None  # default: `out`
    filters: type[CamelFilter] = NoFilter
    sort: tuple[str, ...] = ("id",)  # snake_case model fields a client may sort on
    param: str = "id"  # name of the path parameter of one item
    lookup: str = "pk"
    lookup_type: type = int
    parent: Resource | None = None
    parent_field: str = ""  # the model's foreign key to the parent's object
    tag: str = ""
    operations: frozenset[str] = ALL_OPERATIONS
    immutable: tuple[str, ...] = ()
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    creator: Creator | None = None  # a service to call instead of register_create
    description: str = ""
    _update: list[type[CamelInput]] = field(default_factory=list, repr=False)

    # URL tree ---------------------------------------------------------------------------
    @property
    def collection_path(self) -> str:
        base = self.parent.item_path if self.parent is not None else ""
        return f"{base}/{self.path}"

    @property
    def item_path(self) -> str:
        converter = "int:" if self.lookup_type is int else ""
        return f"{self.collection_path}/{{{converter}{self.param}}}"

    def chain(self) -> list[Resource]:
        """This resource's ancestors, outermost first, and itself last."""
        return [*(self.parent.chain() if self.parent is not None else []), self]

    def path_params(self, *, item: bool) -> list[tuple[str, type]]:
        chain = self.chain() if item else self.chain()[:-1]
        return [(r.param, r.lookup_type) for r in chain]

    # Schemas ------------------------------------------------------------------------------
    @property
    def update_schema(self) -> type[CamelInput] | None:
        if self.update is not None:
            return self.update
        if self.create is None:
            return None
        if not self._update:
            fields: dict[str, Any] = {
                name: (info.annotation | None, None)  # type: ignore[operator]
                for name, info in self.create.model_fields.items()
                if name not in self.immutable
            }
            self._update.append(create_model(f"{self.name}Update", __base__=CamelInput, **fields))
        return self._update[0]

    @property
    def detail_schema(self) -> type[CamelSchema]:
        return self.detail or self.out

    # Queries -----------------------------------------------------------------------------
    def queryset(self, user: User, parents: list[models.Model]) -> models.QuerySet[Any]:
        """Every object of this resource the user may see, below the given parent objects."""
        qs = visible(user=user, model=self.model)
        if self.parent is not None:
            qs = qs.filter(**{self.parent_field: parents[-1]})
        return qs

    def get(
        self,
        user: User,
        parents: list[models.Model],
        key: Any,
        *,
        for_update: bool = False,
        plain: bool = False,
    ) -> Any:
        """One visible object; ``plain`` skips the related objects only its representation needs."""
        qs = self.queryset(user, parents)
        if for_update:
            qs = qs.select_for_update(of=("self",))
        elif not plain:
            qs = qs.select_related(*self.select_related).prefetch_related(*self.prefetch_related)
        try:
            return qs.get(**{self.lookup: key})
        except (self.model.DoesNotExist, ValueError, TypeError, OverflowError) as exc:  # type: ignore[attr-defined]
            raise NotVisibleError(f"No {self.model._meta.verbose_name} with {self.param} {key}.") from exc

    def parents(self, user: User, kwargs: Mapping[str, Any]) -> list[models.Model]:
        """Resolve the parent objects named in the path; NotVisibleError if one is not visible."""
        found: list[models.Model] = []
        for ancestor in self.chain()[:-1]:
            found.append(ancestor.get(user, found, kwargs[ancestor.param], plain=True))
        return found


REGISTRY: list[Resource] = []


def register(resource: Resource) -> Resource:
    """Declare a resource; :func:`regie.api.main.build_api` mounts every declared resource."""
    if any(r.collection_path == resource.collection_path for r in REGISTRY):
        raise ValueError(f"Resource {resource.collection_path} is declared twice.")
    REGISTRY.append(resource)
    return resource


# Input ------------------------------------------------------------------------------------


def alias_of(schema: type[CamelSchema] | None, name: str) -> str:
    if schema is not None:
        for candidate in (name, f"{name}_id"):
            info = schema.model_fields.get(candidate)
            if info is not None:
                return info.alias or candidate
    return to_camel(name)


def organisation_in(parents: Iterable[models.Model]) -> Organisation | None:
    for obj in parents:
        if isinstance(obj, Organisation):
            return obj
    return None


def _referenced(
    user: User, model: type[models.Model], keys: list[Any], organisation: Organisation | None
) -> dict[Any, models.Model]:
    qs = visible(user=user, model=model)
    lookup = organisation_lookup(model)
    if organisation is not None and lookup is not None and model is not Organisation:
        qs = qs.filter(**{lookup: organisation.pk})
    return dict(qs.in_bulk([k for k in keys if k is not None]))


def to_model_data(
    resource: Resource,
    schema: type[CamelSchema],
    user: User,
    values: Mapping[str, Any],
    organisation: Organisation | None,
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Turn validated input into model field values, resolving references in the caller's scope.

    ``product_id: 7`` becomes ``product=<Product 7>`` when the caller may see it; a list under
    the name of a many-to-many field becomes the objects. A reference the caller may not see
    is reported as not found, under the field's own name.
    """
    opts = resource.model._meta
    data: dict[str, Any] = {}
    m2m: dict[str, list[Any]] = {}
    errors: list[FieldError] = []
    for name, value in values.items():
        try:
            model_field = opts.get_field(name[:-3] if name.endswith("_id") else name)
        except FieldDoesNotExist:
            data[name] = value
            continue
        target = model_field.related_model
        if model_field.many_to_many and isinstance(target, type):
            keys = list(dict.fromkeys(value or []))
            found = _referenced(user, target, keys, organisation)
            missing = [k for k in keys if k not in found]
            if missing:
                errors.append(
                    FieldError(alias_of(schema, name), f"Not found: {', '.join(map(str, missing))}.")
                )
            m2m[name] = [found[k] for k in keys if k in found]
        elif model_field.is_relation and name.endswith("_id") and isinstance(target, type):
            if value is None:
                data[model_field.name] = None
                continue
            found = _referenced(user, target, [value], organisation)
            if value not in found:
                errors.append(
                    FieldError(alias_of(schema, name), f"No {target._meta.verbose_name} with id {value}.")
                )
            else:
                data[model_field.name] = found[value]
        elif (
            value is None
            and not model_field.null
            and isinstance(model_field, models.CharField | models.TextField)
        ):
            data[name] = ""  # the API says null for "not set"; the model stores an empty string
        else:
            data[name] = value
    if errors:
        raise ApiError(400, "Some references were not found; see invalidParams.", errors=errors)
    return data, m2m


def field_errors(
    exc: DjangoValidationError, schema: type[CamelSchema] | None
) -> tuple[str, list[FieldError]]:
    """Translate a model validation error into a detail and per-field errors under API names."""
    if not hasattr(exc, "error_dict"):
        return "; ".join(exc.messages), []
    general: list[str] = []
    errors: list[FieldError] = []
    for key, messages in exc.message_dict.items():
        if key == NON_FIELD_ERRORS:
            general.extend(messages)
        else:
            errors.extend(FieldError(alias_of(schema, key), message) for message in messages)
    detail = "; ".join(general) or "The request is not valid; see invalidParams."
    return detail, errors
