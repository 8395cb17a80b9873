"""Importing the JSON document: into an empty instance it reproduces the organisation.

Records are matched by their natural keys, so importing the same document again changes
nothing. Shared catalogue records that already exist are used as they are (the catalogue is
curated, an organisation's export does not overwrite it); missing ones are created, which
needs a catalogue maintainer or the system itself (the command line).
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, models
from django.utils.dateparse import parse_datetime

from regie.audit.models import AuditEntry
from regie.register import services
from regie.register.models import (
    Country,
    LegalEntity,
    Organisation,
    Provenance,
)

from ..context import ImportContext, Where, count_key
from ..problems import N_, ImportRefused, Message, message_of
from .export import AUDIT_FIELDS, ORGANISATION_FIELDS
from .framework import FrameworkRestore, kinds_of
from .schema import validate_document
from .sections import FORMAT, SECTION_OF_MODEL, SECTIONS, Section


def read_document(data: bytes, *, name: str) -> dict[str, Any]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            Message(N_("The JSON is not UTF-8 (byte %(byte)s)."), byte=exc.start), file=name
        ) from exc
    except RecursionError as exc:
        raise ImportRefused(Message(N_("The JSON is nested too deeply.")), file=name) from exc
    except json.JSONDecodeError as exc:
        malformed = N_("The JSON is malformed at line %(line)s, column %(column)s: %(error)s.")
        raise ImportRefused(
            Message(malformed, line=exc.lineno, column=exc.colno, error=exc.msg), file=name
        ) from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        refused = N_("This is not a Regie organisation document (format '%(format)s').")
        raise ImportRefused(Message(refused, format=FORMAT), file=name)
    return document


class DocumentImport:
    def __init__(self, ctx: ImportContext, document: dict[str, Any]) -> None:
        self.ctx = ctx
        self.document = document
        self.objects: dict[str, models.Model] = {}  # document id → object
        self.created: set[str] = set()  # document ids of catalogue records this import created
        self.organisation: Organisation | None = ctx.organisation
        self.framework = FrameworkRestore(self)

    def where(self, section: str, index: int | None = None, record_id: str = "") -> Where:
        label = f"{section}[{index}]" if index is not None else section
        return Where(sheet=f"{label} ({record_id})" if record_id else label)

    # -- checks before writing ------------------------------------------------------------------
    def check(self) -> bool:  # noqa: PLR0912 - one pass per kind of check, in order
        for message, path in validate_document(self.document):
            self.ctx.report.add(message, sheet=path)
        if self.ctx.report.problems:
            return False
        seen: dict[str, str] = {}
        for section in SECTIONS:
            for index, record in enumerate(self.document.get(section.key, [])):
                if record["id"] in seen:
                    self.ctx.report.add(
                        Message(
                            N_("Duplicate id '%(id)s' (also in %(first)s)."),
                            id=record["id"],
                            first=seen[record["id"]],
                        ),
                        sheet=f"{section.key}[{index}]",
                    )
                seen[record["id"]] = f"{section.key}[{index}]"
        for section in SECTIONS:
            for index, record in enumerate(self.document.get(section.key, [])):
                for field in section.fields():
                    values = record.get(field.name)
                    refs = values if field.many_to_many else [values]
                    for ref in refs or []:
                        if not field.is_relation or ref is None:
                            continue
                        target = SECTION_OF_MODEL.get(field.related_model)
                        if ref not in seen:
                            message = Message(
                                N_("Refers to '%(ref)s', which is not in the document."), ref=ref
                            )
                        elif target is not None and not seen[ref].startswith(f"{target.key}["):
                            wrong = N_("Refers to '%(ref)s' (%(place)s), which is not of kind %(kind)s.")
                            message = Message(wrong, ref=ref, place=seen[ref], kind=target.key)
                        else:
                            continue
                        self.ctx.report.add(message, sheet=f"{section.key}[{index}]", column=field.name)
        self._check_parent_cycles()
        self.framework.check(kinds_of(self.document, tuple(s.key for s in SECTIONS)))
        return not self.ctx.report.problems

    def _check_parent_cycles(self) -> None:
        parents = {r["id"]: r.get("parent") for r in self.document.get("legal_entities", [])}
        reported: set[str] = set()
        for start in parents:
            path, node = [start], parents.get(start)
            while node is not None and node not in path:
                path.append(node)
                node = parents.get(node)
            if node is not None and node == start and not reported & set(path):
                reported.update(path)
                chain = " → ".join([*path, start])
                self.ctx.report.add(
                    Message(N_("The parents form a cycle: %(chain)s."), chain=chain),
                    sheet="legal_entities",
                    column="parent",
                )

    # -- writing --------------------------------------------------------------------------------
    def apply(self) -> None:
        self._organisation()
        if self.organisation is None:
            return
        for section in SECTIONS:
            records = self.document.get(section.key, [])
            if section.key == "legal_entities":
                records = _parents_first(records)
            for index, record in enumerate(records):
                self._record(section, index, record)
        self.framework.apply()
        self._restore_audit()

    def _organisation(self) -> None:
        data = self.document["organisation"]
        fields = {f: data.get(f) for f in ORGANISATION_FIELDS}
        fields = {
            k: ("" if v is None and k not in ("inhabitants", "staff") else v) for k, v in fields.items()
        }
        where = self.where("organisation")
        if self.organisation is None:
            existing = Organisation.objects.filter(code=fields["code"]).first()
            self.organisation = self.ctx.upsert(Organisation, existing=existing, data=fields, where=where)
            self.ctx.organisation = self.organisation
        else:
            fields.pop("code")
            fields.pop("name")
            self.ctx.upsert(Organisation, existing=self.organisation, data=fields, where=where)

    def _record(self, section: Section, index: int, record: dict[str, Any]) -> None:  # noqa: PLR0912
        where = self.where(section.key, index, record["id"])
        data: dict[str, Any] = {}
        m2m: dict[str, list[models.Model]] = {}
        for field in section.fields():
            if field.name not in record:
                continue
            value = record[field.name]
            if field.many_to_many:
                m2m[field.name] = [self.objects[r] for r in value if r in self.objects]
            elif field.many_to_one:
                if value is not None and value not in self.objects:
                    return  # its target could not be imported; reported there
                data[field.name] = self.objects.get(value) if value is not None else None
            else:
                try:
                    data[field.name] = _python(field, value)
                except ValueError as exc:
                    self.ctx.problem(where, message_of(exc), column=field.name)
                    return
        if section.model is Country:
            data["code"] = record["id"]
        if any(f.name == "organisation" for f in section.model._meta.fields):
            data["organisation"] = self.organisation
        if section.model is Provenance:
            self._provenance(record, data)
            return
        existing = self._existing(section, data)
        if existing is not None and section.catalogue:
            self.objects[record["id"]] = existing
            self.ctx.report.unchanged[count_key(section.model)] += 1
            return
        owner = record.get("service")
        if section.key in ("service_locations", "service_dependencies") and owner not in self.created:
            return  # facts of a catalogue service that existed already: the catalogue is curated
        obj = self.ctx.upsert(section.model, existing=existing, data=data, m2m=m2m, where=where)
        if obj is not None:
            self.objects[record["id"]] = obj
            if section.catalogue:
                self.created.add(record["id"])

    def _provenance(self, record: dict[str, Any], data: dict[str, Any]) -> None:
        same = {"source": data["source"], "checked_on": data.get("checked_on")}
        same.update(entered_at=data.get("entered_at"), entered_by_label=data.get("entered_by_label", ""))
        existing = Provenance.objects.filter(**same).first()
        if existing is None:
            existing = services.provenance_create(
                actor=self.ctx.actor,
                source=data["source"],
                checked_on=data.get("checked_on"),
                verified=data.get("verified", True),
                note=data.get("note", ""),
                entered_by_label=data.get("entered_by_label", "") or self.ctx.label,
            )
            if data.get("entered_at") is not None:
                Provenance.objects.filter(pk=existing.pk).update(entered_at=data["entered_at"])
                existing.entered_at = data["entered_at"]
            self.ctx.report.created["provenance records"] += 1
        else:
            self.ctx.report.unchanged["provenance records"] += 1
        self.objects[record["id"]] = existing

    def _existing(self, section: Section, data: dict[str, Any]) -> models.Model | None:
        model = section.model
        manager = model._default_manager
        lookups: dict[str, dict[str, Any]] = {
            "countries": {"code": data.get("code")},
            "gemma_elements": {"kind": data.get("kind"), "name": data.get("name")},
            "products": {"name": data.get("name"), "supplier": data.get("supplier")},
            "services": {"name": data.get("name"), "provider": data.get("provider")},
            "service_locations": {
                "service": data.get("service"),
                "role": data.get("role"),
                "country": data.get("country"),
            },
            "service_dependencies": {"service": data.get("service"), "depends_on": data.get("depends_on")},
            "alternatives": {"name": data.get("name")},
            "processes": {"organisation": self.organisation, "name": data.get("name")},
            "usages": {"organisation": self.organisation, "name": data.get("name")},
            "redundancy_groups": {"organisation": self.organisation, "name": data.get("name")},
            "data_sets": {"organisation": self.organisation, "name": data.get("name")},
            "contracts": {"organisation": self.organisation, "reference": data.get("reference")},
            "contract_clauses": {"contract": data.get("contract"), "kind": data.get("kind")},
            "exit_plans": {
                "organisation": self.organisation,
                "title": data.get("title"),
                "usage": data.get("usage"),
                "service": data.get("service"),
            },
            "exit_plan_steps": {"plan": data.get("plan"), "order": data.get("order")},
            "dependencies": {
                "organisation": self.organisation,
                "kind": data.get("kind"),
                "from_process": data.get("from_process"),
                "from_usage": data.get("from_usage"),
                "to_usage": data.get("to_usage"),
                "to_service": data.get("to_service"),
            },
        }
        if section.key == "legal_entities":
            if data.get("lei"):
                return LegalEntity.objects.filter(lei=data["lei"]).first()
            candidates = list(LegalEntity.objects.filter(name=data.get("name"), lei=""))
            return candidates[0] if len(candidates) == 1 else None
        lookup = lookups[section.key]
        if any(isinstance(v, models.Model) and v.pk is None for v in lookup.values()):
            return None
        found: list[models.Model] = list(manager.filter(**lookup)[:2])
        return found[0] if len(found) == 1 else None

    def _restore_audit(self) -> None:
        """Insert the exported history as it was (time, actor, values), once."""
        assert self.organisation is not None
        codes = self.document["organisation"].get("trusted_countries", [])
        self.ctx.upsert(
            Organisation,
            existing=self.organisation,
            data={},
            m2m={"trusted_countries": list(Country.objects.filter(code__in=codes))},
            where=self.where("organisation"),
        )
        entries = self.document.get("audit", [])
        actor = self.ctx.actor
        if entries and actor is not None and not actor.is_superuser:
            not_restored = N_(
                "The %(count)s audit entries of the document were not restored: only the system "
                "(the command line) or an administrator of Regie may add history."
            )
            self.ctx.report.notice(Message(not_restored, count=len(entries)))
            return
        existing = set(
            AuditEntry.objects.filter(organisation_id=self.organisation.pk).values_list(
                "at", "object_type", "object_id", "action"
            )
        )
        fields = ["at", "organisation_id", *AUDIT_FIELDS]
        model_fields = [_concrete(AuditEntry, f) for f in fields]
        table = connection.ops.quote_name(AuditEntry._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in model_fields)
        placeholders = ", ".join(["%s"] * len(fields))
        rows = []
        for entry in entries:
            at = parse_datetime(entry["at"])
            key = (at, entry["object_type"], entry["object_id"], entry["action"])
            if at is None or key in existing:
                continue
            values = {**entry, "at": at, "organisation_id": self.organisation.pk}
            rows.append([f.get_db_prep_save(values.get(f.name), connection) for f in model_fields])
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608 - names come from the model
            self.ctx.report.created["audit entries"] += len(rows)


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def _python(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValueError(Message(N_("'%(value)s' is not a date and time."), value=value))
        return parsed
    if isinstance(field, models.DateField):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(Message(N_("'%(value)s' is not a date (YYYY-MM-DD)."), value=value)) from exc
    if isinstance(field, models.DecimalField):
        try:
            return Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError(Message(N_("'%(value)s' is not a number."), value=value)) from exc
    return value


def _parents_first(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_id = {r["id"]: r for r in records}
    done: set[str] = set()
    ordered: list[dict[str, Any]] = []

    def visit(record_id: str, depth: int = 0) -> None:
        if record_id in done or record_id not in by_id or depth > len(by_id):
            return
        parent = by_id[record_id].get("parent")
        if parent is not None:
            visit(parent, depth + 1)
        done.add(record_id)
        ordered.append(by_id[record_id])

    for record in records:
        visit(record["id"])
    return ordered


def run(data: bytes, ctx: ImportContext) -> None:
    job = DocumentImport(ctx, read_document(data, name=ctx.report.file))
    if job.check():
        job.apply()
