"""The shared records of the JSON documents: every one, read once for the export of every
organisation, or only those one organisation's document brings along (ADR 0137).

Catalogue records (countries, GEMMA elements, legal entities, products, services with their
locations and supply chain, alternatives) and provenance belong to no organisation; a document
carries those its register refers to, transitively (ADR 0069). The export of every organisation
(``bulkexport``, ADR 0128) reads each of these tables once, numbers every record in the order
the document sorts it, and keeps for each record:

- what it brings into a document (the records it refers to, transitively), and
- its text in the document as a template: everything but its own document id and the ids of
  the records it refers to, which differ between documents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, cast

import orjson
from django.db import models

from regie.register.models import (
    ContractClause,
    Country,
    ExitPlanStep,
    LegalEntity,
    Service,
    ServiceDependency,
    ServiceLocation,
)

from .encoding import value_of
from .sections import SECTIONS, Section

# Sections whose records belong to one organisation through another record.
OWNER_THROUGH: dict[type[models.Model], str] = {
    ContractClause: "contract__organisation",
    ExitPlanStep: "plan__organisation",
}
# A service brings its locations and its supply chain along (as the per-organisation collector).
FOLLOWERS: dict[type[models.Model], tuple[type[models.Model], ...]] = {
    Service: (ServiceLocation, ServiceDependency)
}
SLOT = "\ue000"  # a private-use character: where a template takes a document id
CHUNK = 10_000


def owner_path(model: type[models.Model]) -> str | None:
    """The path from a record to its organisation; None for shared records."""
    if any(f.name == "organisation" for f in model._meta.concrete_fields):
        return "organisation"
    return OWNER_THROUGH.get(model)


@dataclass(frozen=True)
class Plan:
    """How a section's rows are read: its fields' columns, and which refer to which model."""

    section: Section
    names: tuple[str, ...]  # document keys: "id", the concrete fields, then the many-to-many ones
    columns: tuple[str, ...]  # the concrete fields' columns (attnames)
    targets: tuple[type[models.Model] | None, ...]  # per concrete field: the model it refers to
    converted: tuple[int, ...]  # positions (in columns) of decimals and dates
    many: tuple[Any, ...]  # the many-to-many fields

    @classmethod
    def of(cls, section: Section) -> Plan:
        concrete = [f for f in section.fields() if not f.many_to_many]
        many = tuple(f for f in section.fields() if f.many_to_many)
        return cls(
            section=section,
            names=("id", *(f.name for f in concrete), *(f.name for f in many)),
            columns=tuple(f.attname for f in concrete),
            targets=tuple(f.related_model if f.many_to_one else None for f in concrete),
            converted=tuple(
                i for i, f in enumerate(concrete) if isinstance(f, (models.DecimalField, models.DateField))
            ),
            many=many,
        )

    def through_columns(self, many: Any) -> tuple[str, str]:
        return f"{many.m2m_field_name()}_id", f"{many.m2m_reverse_field_name()}_id"


PLANS: tuple[Plan, ...] = tuple(Plan.of(s) for s in SECTIONS)
SHARED_PLANS = tuple(p for p in PLANS if owner_path(p.section.model) is None)
OWNED_PLANS = tuple(p for p in PLANS if owner_path(p.section.model) is not None)


def _check_sections() -> None:
    for plan in SHARED_PLANS:
        model = plan.section.model
        if not plan.section.catalogue and model.__name__ != "Provenance":
            raise LookupError(
                f"{model.__name__}: neither shared nor owned by an organisation (OWNER_THROUGH)"
            )


_check_sections()


@dataclass
class Shared:
    """Every shared record, numbered in document order: by section, then as the section sorts."""

    index: dict[type[models.Model], dict[Any, int]] = field(default_factory=dict)  # pk → number
    pks: list[Any] = field(default_factory=list)  # number → primary key
    section_of: list[int] = field(default_factory=list)  # number → position in SECTIONS
    refers: list[tuple[int, ...]] = field(default_factory=list)  # number → numbers it refers to
    templates: list[str | None] = field(default_factory=list)  # None: the record needs the slow path
    slots: list[tuple[int | tuple[int, ...], ...]] = field(default_factory=list)
    mixed: set[int] = field(default_factory=set)  # sections with a record of ``lists``
    lists: set[int] = field(default_factory=set)  # records with a list of ids to sort, or no template
    bounds: dict[int, tuple[int, int]] = field(default_factory=dict)  # section position → numbers
    records: list[dict[str, Any]] = field(default_factory=list)  # with SLOT in place of ids
    slot_fields: list[tuple[str, ...]] = field(default_factory=list)  # the fields holding ids
    service_providers: dict[Any, Any] = field(default_factory=dict)  # service → legal entity
    _closure: dict[int, frozenset[int]] = field(default_factory=dict)
    _names: dict[type[models.Model], dict[Any, str]] = field(default_factory=dict)
    _providers: dict[Any, str] = field(default_factory=dict)

    def number(self, model: type[models.Model], pk: Any) -> int:
        return self.index[model][pk]

    def names(self, model: type[models.Model]) -> dict[Any, str]:
        """The names of a shared model's records by primary key (made once)."""
        if model not in self._names:
            self._names[model] = {pk: self.name(number) for pk, number in self.index[model].items()}
        return self._names[model]

    def provider_names(self) -> dict[Any, str]:
        """The name of each service's provider, by the service's primary key (made once)."""
        if not self._providers:
            entities = self.names(LegalEntity)
            for pk, provider in self.service_providers.items():
                self._providers[pk] = "" if provider is None else entities[provider]
        return self._providers

    def name(self, number: int) -> str:
        """The name of a shared record, as the sort keys read it (``_name`` of ``sections``)."""
        return str(self.records[number].get("name") or "")  # a name is never an id (a slot)

    def closure(self, roots: Iterable[int]) -> list[int]:
        """Every record the roots bring into a document, in document order."""
        found: set[int] = set()
        cache = self._closure
        for root in roots:
            reach = cache.get(root)
            if reach is None:
                reach = cache[root] = self._reach(root)
            found |= reach
        return sorted(found)

    def _reach(self, root: int) -> frozenset[int]:
        seen = {root}
        todo = [root]
        refers = self.refers
        while todo:
            for target in refers[todo.pop()]:
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return frozenset(seen)


Rows = dict[type[models.Model], dict[Any, tuple[Any, ...]]]  # model → pk → the plan's columns
Links = dict[tuple[type[models.Model], str], dict[Any, list[Any]]]  # (model, many-to-many) → owner → ids


def load_shared(roots: Iterable[tuple[type[models.Model], Any]] | None = None) -> Shared:
    """Read the shared records and number them (model instances only for the sort keys: the
    sections' own sort functions decide the order, applied to light stand-ins).

    Without ``roots``: every shared record, each table read once (the export of every
    organisation). With ``roots`` (model, primary key): only the records they bring into a
    document, transitively (one organisation's export, ADR 0137). The numbers differ between
    the two, but not the order of any two records, so a document's ids and text do not.
    """
    rows, links = _read_every() if roots is None else _read_reachable(roots)
    return _numbered(rows, links)


def _read_every() -> tuple[Rows, Links]:
    rows: Rows = {}
    links: Links = {}
    for plan in SHARED_PLANS:
        model = plan.section.model
        query = model._default_manager.values_list("pk", *plan.columns)
        rows[model] = {r[0]: r[1:] for r in query.iterator(CHUNK)}
        for many in plan.many:
            source, target = plan.through_columns(many)
            grouped: dict[Any, list[Any]] = defaultdict(list)
            through = many.remote_field.through._default_manager
            for owner, related in through.values_list(source, target).iterator(CHUNK):
                grouped[owner].append(related)
            links[(model, many.name)] = grouped
    return rows, links


def _read_reachable(roots: Iterable[tuple[type[models.Model], Any]]) -> tuple[Rows, Links]:
    """The shared records the roots bring along, breadth first: one query per model and round
    (``pk IN (…)``), with their many-to-many links and a service's followers."""
    plans = {p.section.model: p for p in SHARED_PLANS}
    rows: Rows = {model: {} for model in plans}
    links: Links = {(p.section.model, m.name): defaultdict(list) for p in SHARED_PLANS for m in p.many}
    pending: dict[type[models.Model], set[Any]] = defaultdict(set)

    def take(model: type[models.Model], found: Iterable[tuple[Any, ...]]) -> None:
        plan, loaded = plans[model], rows[model]
        new = []
        for pk, *values in found:
            if pk in loaded:
                continue
            loaded[pk] = tuple(values)
            new.append(pk)
            for value, target in zip(values, plan.targets, strict=True):
                if target is not None and value is not None and value not in rows[target]:
                    pending[target].add(value)
        for many in plan.many:
            source, target_column = plan.through_columns(many)
            through = many.remote_field.through._default_manager.values_list(source, target_column)
            grouped, related_rows = links[(model, many.name)], rows[many.related_model]
            for owner, related in _in(through, source, new):
                grouped[owner].append(related)
                if related not in related_rows:
                    pending[many.related_model].add(related)
        for follower in FOLLOWERS.get(model, ()):
            follows = plans[follower]
            column = follows.columns[follows.targets.index(model)]
            take(follower, _in(follower._default_manager.values_list("pk", *follows.columns), column, new))

    for model, pk in roots:
        pending[model].add(pk)
    while pending:
        todo, pending = pending, defaultdict(set)
        for model, pks in todo.items():
            missing = [pk for pk in pks if pk not in rows[model]]
            take(model, _in(model._default_manager.values_list("pk", *plans[model].columns), "pk", missing))
    return rows, links


IN_CHUNK = 5_000  # values per "IN (…)" (within SQLite's limit of variables)


def _in(query: models.QuerySet[Any], column: str, values: list[Any]) -> Iterator[tuple[Any, ...]]:
    for start in range(0, len(values), IN_CHUNK):
        yield from query.filter(**{f"{column}__in": values[start : start + IN_CHUNK]})


def _numbered(rows: Rows, links: Links) -> Shared:
    objects = _stand_ins(rows)
    shared = Shared()
    order: list[tuple[int, type[models.Model], Any]] = []
    for position, plan in enumerate(PLANS):
        if plan not in SHARED_PLANS:
            continue
        model = plan.section.model
        key = plan.section.sort_key
        pks = sorted(objects[model], key=lambda pk, m=model, k=key: (*k(objects[m][pk]), pk))  # type: ignore[misc]
        numbers = shared.index.setdefault(model, {})
        shared.bounds[position] = (len(order), len(order) + len(pks))
        for pk in pks:
            numbers[pk] = len(order)
            order.append((position, model, pk))
    followers = _followers(rows, shared)
    for position, model, pk in order:
        plan = PLANS[position]
        refs, record, slots, fields = _describe(plan, pk, rows[model][pk], links, shared.index)
        refs.extend(followers.get((model, pk), ()))
        shared.section_of.append(position)
        shared.pks.append(pk)
        shared.refers.append(tuple(refs))
        shared.records.append(record)
        shared.slot_fields.append(tuple(fields))
        template = _template(record, slots)
        shared.templates.append(template)
        shared.slots.append(tuple(slots))
        if template is None or not all(isinstance(slot, int) for slot in slots):
            shared.mixed.add(position)
            shared.lists.add(len(shared.pks) - 1)
    shared.service_providers = {
        pk: row[_plan(Service).columns.index("provider_id")] for pk, row in rows[Service].items()
    }
    return shared


def _stand_ins(
    rows: dict[type[models.Model], dict[Any, tuple[Any, ...]]],
) -> dict[type[models.Model], dict[Any, Any]]:
    """For the sections' sort functions: an object per row with the model's attributes (field
    values, ``<fk>_id`` and the referenced record's stand-in), without model instances."""
    objects: dict[type[models.Model], dict[Any, Any]] = {}
    for plan in SHARED_PLANS:
        objects[plan.section.model] = {
            pk: SimpleNamespace(pk=pk, **dict(zip(plan.columns, row, strict=True)))
            for pk, row in rows[plan.section.model].items()
        }
    for plan in SHARED_PLANS:
        fks = [
            (f.name, f.attname, f.related_model)
            for f in plan.section.model._meta.concrete_fields
            if f.many_to_one
        ]
        for obj in objects[plan.section.model].values():
            for name, attname, target in fks:
                pk = getattr(obj, attname, None)
                setattr(
                    obj,
                    name,
                    None if pk is None else objects.get(cast("type[models.Model]", target), {}).get(pk),
                )
    return objects


def _followers(
    rows: dict[type[models.Model], dict[Any, tuple[Any, ...]]], shared: Shared
) -> dict[Any, list[int]]:
    """The records a record brings along although it does not refer to them: a service's
    locations and supply chain (rows whose first field, the service, is that record)."""
    found: dict[Any, list[int]] = defaultdict(list)
    for model, kinds in FOLLOWERS.items():
        for kind in kinds:
            column = next(i for i, p in enumerate(_plan(kind).targets) if p is model)
            for pk, row in rows[kind].items():
                found[(model, row[column])].append(shared.number(kind, pk))
    return found


def _plan(model: type[models.Model]) -> Plan:
    return next(p for p in PLANS if p.section.model is model)


def _describe(
    plan: Plan,
    pk: Any,
    row: tuple[Any, ...],
    links: dict[tuple[type[models.Model], str], dict[Any, list[Any]]],
    index: dict[type[models.Model], dict[Any, int]],
) -> tuple[list[int], dict[str, Any], list[int | tuple[int, ...]], list[str]]:
    """What a record refers to (numbers), its document record with SLOT where a document id
    goes, what fills each slot (a number, or the numbers of a list sorted by id in each
    document), and the fields that hold slots."""
    model = plan.section.model
    refs: list[int] = []
    record: dict[str, Any] = {"id": SLOT}
    slots: list[int | tuple[int, ...]] = [index[model][pk]]
    fields = ["id"]
    converted = plan.converted
    for i, (name, value, target) in enumerate(zip(plan.names[1:], row, plan.targets, strict=False)):
        if target is None:
            record[name] = value_of(value) if i in converted else value
        elif value is None:
            record[name] = None
        else:
            number = index[target][value]
            refs.append(number)
            if target is Country:
                record[name] = value  # a country's id is its code
            else:
                record[name] = SLOT
                slots.append(number)
                fields.append(name)
    for many in plan.many:
        related = [index[many.related_model][r] for r in links[(model, many.name)].get(pk, [])]
        refs.extend(related)
        record[many.name] = [SLOT] * len(related)
        if related:  # one id needs no sorting: it fills its slot like a single reference
            slots.append(related[0] if len(related) == 1 else tuple(related))
            fields.append(many.name)
    if model is Country:
        record.pop("code", None)
    return refs, record, slots, fields


def _template(record: dict[str, Any], slots: list[int | tuple[int, ...]]) -> str | None:
    """The record's text in a document (at the depth of a section's records), with ``%s`` for
    every document id; None when orjson refuses a value or the text holds the slot character."""
    count = sum(1 if isinstance(slot, int) else len(slot) for slot in slots)
    try:
        text = orjson.dumps(record, option=orjson.OPT_INDENT_2).decode()
    except orjson.JSONEncodeError:
        return None
    quoted = f'"{SLOT}"'
    if text.count(SLOT) != count or text.count(quoted) != count:
        return None
    return text.replace("%", "%%").replace(quoted, '"%s"').replace("\n", "\n    ")


__all__ = ["OWNED_PLANS", "PLANS", "SHARED_PLANS", "Plan", "Shared", "load_shared", "owner_path"]
