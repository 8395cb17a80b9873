"""Search, filters, sorting and pagination of a register list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from regie.register import selectors
from regie.register.models import Organisation
from regie.register.tenancy import organisation_lookup

from ..display import label_of
from ..registry import RegisterType

MAX_OPTIONS = 500


@dataclass(frozen=True)
class FilterControl:
    name: str
    label: str
    options: list[tuple[str, str]]
    value: str


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    sortable: bool
    sort_value: str
    direction: str  # "ascending", "descending" or ""


@dataclass
class ListState:
    queryset: QuerySet[Any]
    query: str
    filters: list[FilterControl]
    columns: list[Column]
    sort: str
    notices: list[str]

    @property
    def active(self) -> bool:
        return bool(self.query or any(f.value for f in self.filters))


def _filter_options(
    rtype: RegisterType, name: str, base: QuerySet[Any], user: Any, org: Organisation | None
) -> list[tuple[str, str]]:
    field = rtype.model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{name} is not a field of {rtype.model.__name__}"
    if isinstance(field, models.BooleanField):
        options = [("1", _("yes")), ("0", _("no"))]
        if field.null:
            options.append(("null", _("unknown")))
        return options
    if field.choices:
        return [(str(value), str(label)) for value, label in field.choices if value != ""]
    if isinstance(field, models.ForeignKey):
        target = field.related_model
        assert isinstance(target, type)
        queryset = selectors.visible(user=user, model=target)
        if organisation_lookup(target) is not None and org is not None:
            queryset = queryset.filter(**{organisation_lookup(target) or "pk": org.pk})
        used = base.exclude(**{f"{name}__isnull": True}).values_list(f"{name}_id", flat=True)
        queryset = queryset.filter(pk__in=used).complex_filter(field.get_limit_choices_to() or {})
        return [(str(obj.pk), str(obj)) for obj in queryset[:MAX_OPTIONS]]
    present = base.exclude(**{f"{name}__isnull": True})
    if isinstance(field, models.CharField | models.TextField):
        present = present.exclude(**{name: ""})
    values = present.order_by(name).values_list(name, flat=True).distinct()
    options = [(str(v), str(rtype.value_name(name, v))) for v in values[:MAX_OPTIONS]]
    return sorted(options, key=lambda option: option[1].casefold()) if name in rtype.value_names else options


def _apply_filter(queryset: QuerySet[Any], rtype: RegisterType, name: str, value: str) -> QuerySet[Any]:
    field = rtype.model._meta.get_field(name)
    if isinstance(field, models.BooleanField):
        if value == "null":
            return queryset.filter(**{f"{name}__isnull": True})
        return queryset.filter(**{name: value == "1"})
    return queryset.filter(**{name: value})


def _columns(rtype: RegisterType, sort: str) -> list[Column]:
    columns = []
    for name in rtype.cell_columns:
        field = rtype.model._meta.get_field(name)
        sortable = not field.many_to_many
        current = sort.lstrip("-") == name
        descending = sort.startswith("-")
        columns.append(
            Column(
                name=name,
                label=label_of(rtype.model, name),
                sortable=sortable,
                sort_value=(name if not current or descending else f"-{name}"),
                direction=("descending" if descending else "ascending") if current else "",
            )
        )
    return columns


def list_state(
    rtype: RegisterType, queryset: QuerySet[Any], params: QueryDict, user: Any, org: Organisation | None
) -> ListState:
    """Apply the search, filters and sort in the query string to the queryset."""
    notices: list[str] = []
    query = params.get("q", "").strip()[:200]
    if query and rtype.search:
        condition = Q()
        for name in rtype.search:
            condition |= Q(**{f"{name}__icontains": query})
        queryset = queryset.filter(condition)
    base = queryset
    controls = []
    for name in rtype.filters:
        options = _filter_options(rtype, name, base, user, org)
        value = params.get(name, "")
        if value and value not in {key for key, _label in options}:
            notices.append(
                _("The filter “%(filter)s” has no value “%(value)s”; it was ignored.")
                % {"filter": label_of(rtype.model, name), "value": value[:60]}
            )
            value = ""
        if value:
            queryset = _apply_filter(queryset, rtype, name, value)
        controls.append(
            FilterControl(name=name, label=label_of(rtype.model, name), options=options, value=value)
        )
    sort = params.get("sort", "")
    columns = _columns(rtype, sort)
    if sort and sort.lstrip("-") in {c.name for c in columns if c.sortable}:
        queryset = queryset.order_by(sort, "pk")
    else:
        if sort:
            notices.append(_("The list cannot be sorted by “%(sort)s”.") % {"sort": sort[:60]})
        sort = ""
        if not queryset.query.order_by and not rtype.model._meta.ordering:
            queryset = queryset.order_by("pk")
    return ListState(
        queryset=queryset,
        query=query,
        filters=controls,
        columns=_columns(rtype, sort),
        sort=sort,
        notices=notices,
    )
