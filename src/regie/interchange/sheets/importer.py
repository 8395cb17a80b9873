"""Importing the spreadsheet layout: check every row, then write through the services.

Phase one reads every cell, checks required values, duplicate keys and references (to
records that exist or are defined in the same file), and lists every problem. Phase two
writes row by row through the register services; the caller runs it inside one
transaction and rolls back when any problem was found or when it is a dry run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

from regie.register import services
from regie.register.models import ContractClause, Dependency, ExitPlanStep, Organisation

from ..bulk import bulk_create_audited, validate_new
from ..context import ImportContext, Where, count_key
from ..problems import N_, Message, message_of
from ..resolve import TENANT_KINDS, Resolver, fold
from ..values import FollowsFromError, InvalidValueError, boolean, choice, date, decimal, integer, text
from .layout import SHEETS, Column, Sheet
from .reader import Table

# Dependency kind → (kind of the source, kind of the target).
ENDPOINTS = {
    "requires": ("process", "usage"),
    "runs_on": ("usage", "service"),
    "integration": ("usage", "usage"),
}
ENDPOINT_FIELDS = {
    "requires": ("from_process", "to_usage"),
    "runs_on": ("from_usage", "to_service"),
    "integration": ("from_usage", "to_usage"),
}
# The reference kind a sheet defines, by the column that names it.
DEFINES = {
    "processes": ("process", "name"),
    "usages": ("usage", "name"),
    "redundancy_groups": ("group", "name"),
    "contracts": ("contract", "reference"),
    "exit_plans": ("exit_plan", "title"),
    "data_sets": ("data_set", "name"),
}


@dataclass
class Row:
    table: Table
    number: int
    values: dict[str, Any]
    ok: bool = True

    @property
    def sheet(self) -> Sheet:
        return self.table.sheet

    def where(self) -> Where:
        columns = {c.key: self.table.header(c.key) for c in self.sheet.columns}
        columns.update(
            from_process=columns.get("source", ""),
            from_usage=columns.get("source", ""),
            to_usage=columns.get("target", ""),
            to_service=columns.get("target", ""),
            provenance=columns.get("source", ""),
        )
        return Where(
            sheet=self.table.title,
            row=self.number,
            columns=columns,
            letters=self.table.letters,
            labels=self.table.labels,
        )

    def has(self, key: str) -> bool:
        return key in self.table.headers


class SpreadsheetImport:
    def __init__(self, ctx: ImportContext, tables: list[Table]) -> None:
        if ctx.organisation is None:
            raise ValueError("A spreadsheet is imported into an organisation.")
        self.ctx = ctx
        self.organisation: Organisation = ctx.organisation
        self.tables = tables
        self.resolver = Resolver(ctx.organisation)
        self.rows: dict[str, list[Row]] = {s.key: [] for s in SHEETS}
        self._pending: list[tuple[Row, models.Model]] = []

    # -- phase one ---------------------------------------------------------------------------
    def check(self) -> None:
        progress = self.ctx.progress
        progress.start("validating", total=sum(len(table.rows) for table in self.tables))
        for table in self.tables:
            for number, raw in table.rows:
                self.rows[table.sheet.key].append(self._parse(table, number, raw))
                progress.validated_row()
        for key, (kind, attr) in DEFINES.items():
            for row in self.rows[key]:
                if row.values.get(attr):
                    self.resolver.pending[kind].add(fold(row.values[attr]))
        for sheet in SHEETS:
            self._duplicates(self.rows[sheet.key])
            for row in self.rows[sheet.key]:
                self._references(row)

    def _problem(self, row: Row, message: str, column: str = "") -> None:
        row.ok = False
        self.ctx.problem(row.where(), message, column=row.table.header(column) if column else "")

    def _parse(self, table: Table, number: int, raw: dict[str, object]) -> Row:
        row = Row(table, number, {})
        for column in table.sheet.columns:
            if column.key not in raw:
                continue
            try:
                value = _cell(column, raw[column.key])
            except InvalidValueError as exc:
                self._problem(row, message_of(exc), column.key)
                continue
            if column.required and value in (None, "", []):
                self._problem(row, Message(N_("A value is required.")), column.key)
            row.values[column.key] = value
        return row

    def _duplicates(self, rows: list[Row]) -> None:
        seen: dict[tuple[str, ...], int] = {}
        for row in rows:
            key = tuple(fold(str(row.values.get(k) or "")) for k in row.sheet.natural_key)
            if not all(key):
                continue
            if key in seen:
                names = " + ".join(row.table.header(k) for k in row.sheet.natural_key)
                self._problem(
                    row,
                    Message(
                        N_("Duplicate key (%(names)s): the same as row %(row)s."), names=names, row=seen[key]
                    ),
                )
            else:
                seen[key] = row.number

    def _references(self, row: Row) -> None:
        values = row.values
        for column in row.sheet.columns:
            if column.kind not in ("ref", "refs") or not values.get(column.key):
                continue
            names = values[column.key] if column.kind == "refs" else [values[column.key]]
            qualifier = values.get("service_provider", "") if column.key == "service" else ""
            if column.key == "product":
                qualifier = values.get("supplier", "")
            for name in names:
                try:
                    self.resolver.check(column.ref, name, qualifier=qualifier)
                except InvalidValueError as exc:
                    self._problem(row, message_of(exc), column.key)
        kind = values.get("kind") if row.sheet.key == "dependencies" else None
        if kind in ENDPOINTS:
            for key, ref in zip(("source", "target"), ENDPOINTS[kind], strict=True):
                if values.get(key):
                    qualifier = values.get("target_provider", "") if ref == "service" else ""
                    try:
                        self.resolver.check(ref, values[key], qualifier=qualifier)
                    except InvalidValueError as exc:
                        self._problem(row, message_of(exc), key)
        if row.sheet.key == "exit_plans" and bool(values.get("usage")) == bool(values.get("service")):
            self._problem(
                row, Message(N_("Give either an application or a service (one of the two).")), "usage"
            )

    # -- phase two ---------------------------------------------------------------------------
    def apply(self) -> None:
        progress = self.ctx.progress
        progress.start("writing")
        for sheet in SHEETS:
            handler = getattr(self, f"_apply_{sheet.key}", self._apply_named)
            for row in self.rows[sheet.key]:
                progress.written_row()
                if row.ok:
                    handler(row)
                elif sheet.key in DEFINES:
                    kind, attr = DEFINES[sheet.key]
                    self.resolver.failed[kind].add(fold(str(row.values.get(attr) or "")))
            self._flush(sheet)

    def _flush(self, sheet: Sheet) -> None:
        """Create the sheet's new records in bulk; row by row when the database refuses."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        kind, attr = DEFINES[sheet.key]
        try:
            with transaction.atomic():
                created = bulk_create_audited(
                    actor=self.ctx.actor, model=sheet.model, instances=[obj for _row, obj in pending]
                )
        except (IntegrityError, PermissionDenied):
            for row, obj in pending:
                data = {f.name: getattr(obj, f.name) for f in obj._meta.concrete_fields if f.name != "id"}
                data = {k: v for k, v in data.items() if k not in ("created_at", "updated_at")}
                made = self.ctx.upsert(sheet.model, existing=None, data=data, where=row.where())
                self._remember(row, kind, attr, made)
            return
        self.ctx.report.created[count_key(sheet.model)] += len(created)
        for (row, _obj), made in zip(pending, created, strict=True):
            self._remember(row, kind, attr, made)

    def _remember(self, row: Row, kind: str, attr: str, obj: Any) -> None:
        name = row.values[attr]
        if obj is None:
            row.ok = False
            self.resolver.failed[kind].add(fold(name))
        else:
            self.resolver.remember(kind, name, obj)

    def _data(self, row: Row, skip: tuple[str, ...] = ()) -> dict[str, Any] | None:
        """Model field values of the columns present; None after a reference problem."""
        model = row.sheet.model
        data: dict[str, Any] = {}
        if any(f.name == "organisation" for f in model._meta.fields):
            data["organisation"] = self.organisation
        for column in row.sheet.columns:
            if column.key in skip or not row.has(column.key) or column.kind == "refs":
                continue
            try:
                field = model._meta.get_field(column.key)
            except FieldDoesNotExist:  # a helper column such as the supplier of a product
                continue
            value = row.values.get(column.key)
            if column.kind == "ref" and value:
                qualifier = row.values.get("supplier", "") if column.key == "product" else ""
                if column.key == "service":
                    qualifier = row.values.get("service_provider", "")
                found = self._find(row, column.ref, value, column.key, qualifier)
                if found is None:
                    return None
                value = found
            data[column.key] = _empty(field) if value in (None, "") else value
        return data

    def _find(self, row: Row, kind: str, name: str, column: str, qualifier: str = "") -> Any:
        try:
            return self.resolver.find(kind, name, qualifier=qualifier)
        except FollowsFromError:
            row.ok = False
            return None
        except InvalidValueError as exc:
            self._problem(row, message_of(exc), column)
            return None

    def _existing(self, kind: str, name: str) -> Any:
        found = self.resolver.index(kind).get(fold(name), [])
        return found[0] if found else None

    def _apply_named(self, row: Row) -> None:
        kind, attr = DEFINES[row.sheet.key]
        name = row.values[attr]
        data = self._data(row)
        obj = None
        existing = self._existing(kind, name)
        if data is not None and existing is None and not any(c.kind == "refs" for c in row.sheet.columns):
            instance = row.sheet.model(**data)
            try:
                validate_new(instance)
            except ValidationError as exc:
                self.ctx.validation_problems(row.where(), exc)
                self._remember(row, kind, attr, None)
                return
            self._pending.append((row, instance))
            return
        if data is not None:
            m2m = self._m2m(row)
            if m2m is not None:
                obj = self.ctx.upsert(
                    row.sheet.model,
                    existing=existing,
                    data=data,
                    m2m=m2m,
                    where=row.where(),
                )
        if obj is None:
            row.ok = False
            self.resolver.failed[kind].add(fold(name))
        else:
            self.resolver.remember(kind, name, obj)

    def _m2m(self, row: Row) -> dict[str, list[models.Model]] | None:
        m2m: dict[str, list[models.Model]] = {}
        for column in row.sheet.columns:
            if column.kind != "refs" or not row.has(column.key):
                continue
            found = [
                self._find(row, column.ref, name, column.key) for name in row.values.get(column.key) or []
            ]
            if any(f is None for f in found):
                return None
            m2m[column.key] = found
        return m2m

    def _apply_dependencies(self, row: Row) -> None:
        values = row.values
        kind = values["kind"]
        data = self._data(row, skip=("source", "target"))
        if data is None:
            return
        source_kind, target_kind = ENDPOINTS[kind]
        source = self._find(row, source_kind, values["source"], "source")
        target = self._find(row, target_kind, values["target"], "target", values.get("target_provider", ""))
        if source is None or target is None:
            return
        from_field, to_field = ENDPOINT_FIELDS[kind]
        data.update({from_field: source, to_field: target})
        existing = self._dependency_index().get((kind, source.pk, target.pk))
        obj = self.ctx.upsert(Dependency, existing=existing, data=data, where=row.where())
        if obj is not None:
            self._dependency_index()[(kind, source.pk, target.pk)] = obj

    def _dependency_index(self) -> dict[tuple[str, int, int], Dependency]:
        if not hasattr(self, "_deps"):
            self._deps: dict[tuple[str, int, int], Dependency] = {}
            for dep in Dependency.objects.filter(organisation=self.organisation):
                from_id = dep.from_process_id or dep.from_usage_id
                to_id = dep.to_usage_id or dep.to_service_id
                if from_id is not None and to_id is not None:
                    self._deps[(dep.kind, from_id, to_id)] = dep
        return self._deps

    def _apply_clauses(self, row: Row) -> None:
        data = self._data(row, skip=("source", "checked_on"))
        if data is None:
            return
        contract = data["contract"]
        existing = ContractClause.objects.filter(contract=contract, kind=data["kind"]).first()
        if row.has("source"):
            source = row.values.get("source") or ""
            checked_on = row.values.get("checked_on")
            current = existing.provenance if existing is not None else None
            if not source:
                data["provenance"] = None
            elif current is not None and current.source == source and current.checked_on == checked_on:
                data["provenance"] = current
            else:
                data["provenance"] = services.provenance_create(
                    actor=self.ctx.actor,
                    source=source,
                    checked_on=checked_on,
                    entered_by_label=self.ctx.label,
                )
        self.ctx.upsert(ContractClause, existing=existing, data=data, where=row.where())

    def _apply_exit_plan_steps(self, row: Row) -> None:
        data = self._data(row)
        if data is None:
            return
        existing = ExitPlanStep.objects.filter(plan=data["plan"], order=data["order"]).first()
        self.ctx.upsert(ExitPlanStep, existing=existing, data=data, where=row.where())


def _cell(column: Column, raw: object) -> Any:  # noqa: PLR0911 - one return per kind of column
    if column.kind == "int":
        return integer(raw, minimum=column.minimum, maximum=column.maximum)
    if column.kind == "decimal":
        return decimal(raw)
    if column.kind == "bool":
        return boolean(raw)
    if column.kind == "date":
        return date(raw)
    if column.kind == "choice":
        assert column.choices is not None
        return choice(raw, column.choices)
    if column.kind == "refs":
        return [part.strip() for part in text(raw).replace("\n", ";").split(";") if part.strip()]
    return text(raw)


def _empty(field: Any) -> Any:
    if field.has_default():
        return field.get_default()
    if getattr(field, "null", False):
        return None
    return ""


def run(ctx: ImportContext, tables: list[Table]) -> None:
    job = SpreadsheetImport(ctx, tables)
    job.check()
    job.apply()


__all__ = ["TENANT_KINDS", "SpreadsheetImport", "run"]
