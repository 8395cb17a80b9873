"""Exporting one organisation as a lossless JSON document."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

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


class Collector:
    """Gathers the organisation's records and every catalogue record they refer to."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
        self.objects: dict[type[models.Model], dict[Any, models.Model]] = defaultdict(dict)

    def add(self, obj: models.Model | None) -> None:
        if obj is None or obj.pk in self.objects[type(obj)]:
            return
        self.objects[type(obj)][obj.pk] = obj
        section = SECTION_OF_MODEL.get(type(obj))
        if section is None:
            return
        for field in section.fields():
            if field.many_to_many:
                for related in getattr(obj, field.name).all():
                    self.add(related)
            elif field.many_to_one:
                self.add(getattr(obj, field.name))
        if isinstance(obj, Service):
            for location in obj.locations.all():
                self.add(location)
            for link in obj.dependencies.all():
                self.add(link)

    def collect(self) -> None:
        org = self.organisation
        for model in (Process, Usage, RedundancyGroup, Dependency, DataSet, Contract, ExitPlan):
            for obj in model._default_manager.filter(organisation=org):
                self.add(obj)
        for clause in ContractClause.objects.filter(contract__organisation=org):
            self.add(clause)
        for step in ExitPlanStep.objects.filter(plan__organisation=org):
            self.add(step)
        for country in org.trusted_countries.all():
            self.add(country)
        for record in catalogue_records(org):
            self.add(record)


def build_document(organisation: Organisation) -> dict[str, Any]:
    collector = Collector(organisation)
    collector.collect()
    ids: dict[tuple[type[models.Model], Any], str] = {}
    ordered: dict[str, list[models.Model]] = {}
    for section in SECTIONS:
        objs = sorted(collector.objects[section.model].values(), key=_sorter(section))
        ordered[section.key] = objs
        for index, obj in enumerate(objs, start=1):
            ids[(section.model, obj.pk)] = _doc_id(section, obj, index)

    def ref(obj: models.Model | None) -> str | None:
        return None if obj is None else ids[(type(obj), obj.pk)]

    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "organisation": {
            **{f: value_of(getattr(organisation, f)) for f in ORGANISATION_FIELDS},
            "joint_arrangements": sorted(o.code for o in organisation.joint_arrangements.all()),
            "trusted_countries": sorted(c.code for c in organisation.trusted_countries.all()),
        },
    }
    for section in SECTIONS:
        document[section.key] = [
            _record(section, obj, ids[(section.model, obj.pk)], ref) for obj in ordered[section.key]
        ]
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


def _record(section: Section, obj: models.Model, doc_id: str, ref: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"id": doc_id}
    for field in section.fields():
        if field.many_to_many:
            record[field.name] = sorted(ref(o) for o in getattr(obj, field.name).all())
        elif field.many_to_one:
            record[field.name] = ref(getattr(obj, field.name))
        else:
            record[field.name] = value_of(getattr(obj, field.attname))
    if isinstance(obj, Country):
        record.pop("code", None)
    return record


def export_json(organisation: Organisation) -> bytes:
    return json.dumps(build_document(organisation), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def canonical(document: dict[str, Any]) -> dict[str, Any]:
    """The document without what differs between two faithful copies: the export time and
    the audit entries that an import itself wrote."""
    result = dict(document)
    result.pop("exported_at", None)
    result["audit"] = [
        e for e in document.get("audit", []) if not str(e.get("request_id", "")).startswith("import-")
    ]
    return result
