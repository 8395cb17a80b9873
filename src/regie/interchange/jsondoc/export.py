"""Exporting one organisation as a lossless JSON document."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

import orjson
from django.db import models
from django.utils import timezone

from regie.audit.models import AuditEntry
from regie.register.models import (
    Contract,
    ContractClause,
    Country,
    DataSet,
    Dependency,
    ExitPlan,
    ExitPlanStep,
    Organisation,
    Process,
    RedundancyGroup,
    Service,
    ServiceDependency,
    ServiceLocation,
    Usage,
)

from .framework import catalogue_records, export_parts
from .sections import FORMAT, SECTION_OF_MODEL, SECTIONS, VERSION, Section

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


CHUNK = 5_000  # ids per "IN (…)" query


class Collector:
    """Gathers the organisation's records and every catalogue record they refer to.

    Breadth first and in batches: one query per model and round (not one per reference), and
    every loaded reference is put into the referring object's cache, so reading ``obj.supplier``
    afterwards asks the database nothing (ADR 0069).
    """

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
        self.objects: dict[type[models.Model], dict[Any, models.Model]] = defaultdict(dict)
        self.m2m: dict[tuple[type[models.Model], str], dict[Any, list[Any]]] = {}
        self._pending: dict[type[models.Model], set[Any]] = defaultdict(set)

    def collect(self) -> None:
        org = self.organisation
        roots: list[models.Model] = []
        owned: tuple[type[models.Model], ...] = (
            Process, Usage, RedundancyGroup, Dependency, DataSet, Contract, ExitPlan
        )  # fmt: skip
        for owned_model in owned:
            roots.extend(owned_model._default_manager.filter(organisation=org))
        roots.extend(ContractClause.objects.filter(contract__organisation=org))
        roots.extend(ExitPlanStep.objects.filter(plan__organisation=org))
        roots.extend(org.trusted_countries.all())
        roots.extend(catalogue_records(org))
        self._take(roots)
        while any(self._pending.values()):
            pending, self._pending = self._pending, defaultdict(set)
            for model, ids in pending.items():
                missing = [pk for pk in ids if pk not in self.objects[model]]
                self._take(_in_chunks(model._default_manager.all(), "pk", missing))
        self._link()

    def _take(self, objs: list[models.Model]) -> None:
        by_model: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        for obj in objs:
            if obj.pk not in self.objects[type(obj)]:
                self.objects[type(obj)][obj.pk] = obj
                by_model[type(obj)].append(obj)
        for model, new in by_model.items():
            section = SECTION_OF_MODEL.get(model)
            if section is None:
                continue
            pks = [obj.pk for obj in new]
            for field in section.fields():
                if field.many_to_many:
                    self._many(model, field, pks)
                elif field.many_to_one:
                    target = field.related_model
                    for obj in new:
                        pk = getattr(obj, field.attname)
                        if pk is not None and pk not in self.objects[target]:
                            self._pending[target].add(pk)
            if model is Service:
                self._take(_in_chunks(ServiceLocation.objects.all(), "service_id", pks))
                self._take(_in_chunks(ServiceDependency.objects.all(), "service_id", pks))

    def _many(self, model: type[models.Model], field: Any, pks: list[Any]) -> None:
        through = field.remote_field.through
        source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        links = self.m2m.setdefault((model, field.name), defaultdict(list))
        for start in range(0, len(pks), CHUNK):
            rows = through._default_manager.filter(**{f"{source}__in": pks[start : start + CHUNK]})
            for owner, related in rows.values_list(source, target):
                links[owner].append(related)
                if related not in self.objects[field.related_model]:
                    self._pending[field.related_model].add(related)

    def _link(self) -> None:
        """Put every loaded reference into its referrer's cache."""
        for model, objs in list(self.objects.items()):
            section = SECTION_OF_MODEL.get(model)
            if section is None:
                continue
            for field in section.fields():
                if not field.many_to_one:
                    continue
                targets = self.objects[field.related_model]
                for obj in objs.values():
                    pk = getattr(obj, field.attname)
                    if pk is not None and pk in targets:
                        field.set_cached_value(obj, targets[pk])

    def related_ids(self, obj: models.Model, field: Any) -> list[Any]:
        return self.m2m.get((type(obj), field.name), {}).get(obj.pk, [])


def _in_chunks(queryset: models.QuerySet[Any], lookup: str, ids: list[Any]) -> list[models.Model]:
    found: list[models.Model] = []
    for start in range(0, len(ids), CHUNK):
        found.extend(queryset.filter(**{f"{lookup}__in": ids[start : start + CHUNK]}))
    return found


def build_document(
    organisation: Organisation, *, exported_at: datetime.datetime | None = None
) -> dict[str, Any]:
    collector = Collector(organisation)
    collector.collect()
    ids: dict[tuple[type[models.Model], Any], str] = {}
    ordered: dict[str, list[models.Model]] = {}
    for section in SECTIONS:
        objs = sorted(collector.objects[section.model].values(), key=_sorter(section))
        ordered[section.key] = objs
        for index, obj in enumerate(objs, start=1):
            ids[(section.model, obj.pk)] = _doc_id(section, obj, index)

    def ref(model: type[models.Model], pk: Any) -> str:
        return ids[(model, pk)]

    def record(section: Section, obj: models.Model) -> dict[str, Any]:
        out: dict[str, Any] = {"id": ids[(section.model, obj.pk)]}
        for field in section.fields():
            if field.many_to_many:
                target = field.related_model
                out[field.name] = sorted(ids[(target, pk)] for pk in collector.related_ids(obj, field))
            elif field.many_to_one:
                pk = getattr(obj, field.attname)
                out[field.name] = None if pk is None else ids[(field.related_model, pk)]
            else:
                out[field.name] = value_of(getattr(obj, field.attname))
        if isinstance(obj, Country):
            out.pop("code", None)
        return out

    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": (exported_at or timezone.now()).isoformat(),
        "organisation": {
            **{f: value_of(getattr(organisation, f)) for f in ORGANISATION_FIELDS},
            "joint_arrangements": sorted(o.code for o in organisation.joint_arrangements.all()),
            "trusted_countries": sorted(c.code for c in organisation.trusted_countries.all()),
        },
    }
    for section in SECTIONS:
        document[section.key] = [record(section, obj) for obj in ordered[section.key]]
    document.update(export_parts(organisation, ref, value_of))
    document["audit"] = [
        {"at": entry.at.isoformat(), **{f: getattr(entry, f) for f in AUDIT_FIELDS}}
        for entry in AuditEntry.objects.filter(organisation_id=organisation.pk).order_by("at", "id")
    ]
    return document


def _sorter(section: Section) -> Any:
    def key(obj: models.Model) -> tuple[Any, ...]:
        return (*section.sort_key(obj), obj.pk)

    return key


def _doc_id(section: Section, obj: models.Model, index: int) -> str:
    if isinstance(obj, Country):
        return obj.code
    return f"{section.prefix}-{index}"


def export_json(organisation: Organisation, *, exported_at: datetime.datetime | None = None) -> bytes:
    return encode(build_document(organisation, exported_at=exported_at))


def encode(document: dict[str, Any]) -> bytes:
    """The document as UTF-8 JSON, indented by two spaces, with a final newline.

    orjson writes what ``json.dumps(document, ensure_ascii=False, indent=2)`` writes, but for the
    spelling of some floats (``0.00001`` for ``1e-05``: the same number); a value orjson refuses
    (an integer beyond 64 bits in a JSON field) leaves the whole document to the standard library.
    The export of every organisation (``bulkexport``) writes its documents through this as well.
    """
    try:
        return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"
    except orjson.JSONEncodeError:
        return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def canonical(document: dict[str, Any]) -> dict[str, Any]:
    """The document without what differs between two faithful copies: the export time and
    the audit entries that an import itself wrote."""
    result = dict(document)
    result.pop("exported_at", None)
    result["audit"] = [
        e for e in document.get("audit", []) if not str(e.get("request_id", "")).startswith("import-")
    ]
    return result
