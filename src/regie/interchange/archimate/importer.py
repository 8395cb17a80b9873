"""Importing an ArchiMate model into an organisation's register.

The model is turned into the rows of the spreadsheet layout (processes, applications,
dependencies, data sets) and imported through the same checks and services, so problems,
idempotency and the all-or-nothing rule are those of the spreadsheet import. Problems name
the element by its type and the line of the XML file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from regie.accounts.permissions import can_edit_catalogue
from regie.register import services
from regie.register.models import Product

from ..context import ImportContext, count_key
from ..problems import N_, Message
from ..resolve import Resolver
from ..sheets import importer as sheet_importer
from ..sheets.layout import SHEET_BY_KEY
from ..sheets.reader import Table
from . import mapping
from .model import ArchiMateModel, Element, read_model

LABELS = ("element", "line")
# The columns an ArchiMate model fills; the register's other fields are left as they are.
COLUMNS = {
    "processes": ("name", "description", "availability", "integrity", "confidentiality"),
    "usages": ("name", "product", "supplier", "notes"),
    "dependencies": ("kind", "source", "target", "target_provider"),
    "data_sets": ("name", "usage", "description"),
}


def _property(element: Element, names: tuple[str, ...]) -> str:
    lowered = {k.casefold(): v for k, v in element.properties.items()}
    for name in names:
        if name.casefold() in lowered:
            return lowered[name.casefold()]
    return ""


def _biv(element: Element, key: str) -> tuple[object, bool]:
    raw = _property(element, mapping.BIV_PROPERTIES[key]).strip()
    if raw == "":
        return 3, False
    return mapping.BIV_WORDS.get(raw.casefold(), raw), True


class ModelToTables:
    def __init__(self, model: ArchiMateModel, ctx: ImportContext) -> None:
        self.model = model
        self.ctx = ctx
        self.tables = {key: self._table(key) for key in ("processes", "usages", "dependencies", "data_sets")}
        self.kind_of: dict[str, str] = {}
        self.skipped: Counter[str] = Counter()
        self.held: set[str] = set()
        self.catalogue = Resolver(ctx.organisation)

    def _table(self, key: str) -> Table:
        sheet = SHEET_BY_KEY[key]
        table = Table(sheet=sheet, title=key, labels=LABELS)
        table.headers = {k: k for k in COLUMNS[key]}
        return table

    def convert(self) -> list[Table]:
        for element in self.model.elements.values():
            kind = mapping.ELEMENT_IMPORT.get(element.type)
            if kind is None:
                self.skipped[element.type or "(no type)"] += 1
                continue
            self.kind_of[element.identifier] = kind
            if kind == "process":
                self._process(element)
            elif kind == "usage":
                self._usage(element)
        for relationship in self.model.relationships:
            self._relationship(relationship)
        if self.skipped:
            summary = ", ".join(f"{n} {t}" for t, n in sorted(self.skipped.items()))
            self.ctx.report.notice(
                Message(N_("Not imported (no counterpart in the register): %(summary)s."), summary=summary)
            )
        return [t for t in self.tables.values() if t.rows]

    def _row(self, key: str, line: int, values: Mapping[str, object]) -> None:
        table = self.tables[key]
        present = {k: values.get(k) for k in table.headers}
        table.rows.append((line, present))

    def _process(self, element: Element) -> None:
        values: dict[str, object] = {"name": element.name, "description": element.documentation}
        missing = []
        for key in ("availability", "integrity", "confidentiality"):
            values[key], given = _biv(element, key)
            if not given:
                missing.append(mapping.BIV_PROPERTIES[key][0])
        if missing:
            self.ctx.report.notice(
                Message(
                    N_("'%(name)s' has no %(missing)s; taken as 3 (the cautious value)."),
                    name=element.name,
                    missing=", ".join(missing),
                ),
                sheet=element.type,
                row=element.line,
                labels=LABELS,
            )
        self._row("processes", element.line, values)

    def _usage(self, element: Element) -> None:
        product = _property(element, mapping.PRODUCT_PROPERTIES) or element.name
        values: dict[str, object] = {
            "name": element.name,
            "product": product,
            "supplier": _property(element, mapping.SUPPLIER_PROPERTIES),
            "notes": element.documentation,
        }
        status = _property(element, mapping.STATUS_PROPERTIES)
        if status:
            values["status"] = status
            self.tables["usages"].headers["status"] = "status"
        self._row("usages", element.line, values)

    def _relationship(self, rel: Any) -> None:
        source = self.model.elements.get(rel.source)
        target = self.model.elements.get(rel.target)
        if source is None or target is None:
            missing = rel.source if source is None else rel.target
            self.ctx.report.add(
                Message(
                    N_(
                        "Relationship %(relationship)s refers to '%(missing)s', which is not an element "
                        "of the model."
                    ),
                    relationship=rel.identifier,
                    missing=missing,
                ),
                sheet=rel.type or "relationship",
                row=rel.line,
                labels=LABELS,
            )
            return
        kinds = (self.kind_of.get(source.identifier), self.kind_of.get(target.identifier))
        if rel.type in mapping.SERVING:
            self._serving(rel, source, target, kinds)
        elif rel.type in mapping.FLOW and kinds == ("usage", "usage"):
            self._dependency(rel, "integration", source, target)
        elif rel.type in mapping.ACCESS and kinds == ("usage", "data_set"):
            if target.identifier not in self.held:  # the first application that accesses it holds it
                self.held.add(target.identifier)
                values = {"name": target.name, "usage": source.name, "description": target.documentation}
                self._row("data_sets", target.line, values)
        else:
            self.skipped[f"{rel.type} relationships"] += 1

    def _serving(
        self, rel: Any, source: Element, target: Element, kinds: tuple[str | None, str | None]
    ) -> None:
        if kinds == ("usage", "process"):
            self._dependency(rel, "requires", target, source)
        elif kinds == ("service", "usage"):
            provider = _property(source, mapping.SUPPLIER_PROPERTIES)
            if self.catalogue.known("service", source.name):
                self._dependency(rel, "runs_on", target, source, provider=provider)
            else:
                self.ctx.report.notice(
                    Message(
                        N_(
                            "The service '%(service)s' is not in the catalogue; '%(usage)s' runs on it, "
                            "but that dependency was not imported. Add the service to the catalogue first."
                        ),
                        service=source.name,
                        usage=target.name,
                    ),
                    sheet=source.type,
                    row=source.line,
                    labels=LABELS,
                )
        elif kinds == ("usage", "usage"):
            self._dependency(rel, "integration", target, source)
        else:
            self.skipped[f"{rel.type} relationships"] += 1

    def _dependency(
        self,
        rel: Any,
        kind: str,
        dependant: Element,
        dependee: Element,
        *,
        provider: str = "",
    ) -> None:
        values: dict[str, object] = {"kind": kind, "source": dependant.name, "target": dependee.name}
        if provider:
            values["target_provider"] = provider
        self._row("dependencies", rel.line, values)


def create_missing_products(ctx: ImportContext, tables: list[Table]) -> None:
    """Products named by applications but absent from the catalogue are added, when the actor
    may change the catalogue (the command line, a catalogue maintainer); otherwise the
    import reports them as unknown references with suggestions."""
    if ctx.actor is not None and not can_edit_catalogue(ctx.actor):
        return
    resolver = Resolver(ctx.organisation)
    for table in tables:
        if table.sheet.key != "usages":
            continue
        for _line, values in table.rows:
            name = str(values.get("product") or "")
            if name and not resolver.known("product", name):
                product = services.register_create(actor=ctx.actor, model=Product, data={"name": name})
                resolver.remember("product", name, product)
                ctx.report.created[count_key(Product)] += 1


def run(data: bytes, ctx: ImportContext) -> None:
    model = read_model(data, name=ctx.report.file)
    tables = ModelToTables(model, ctx).convert()
    if ctx.report.problems:
        return
    create_missing_products(ctx, tables)
    sheet_importer.run(ctx, tables)
