"""GEMMA Softwarecatalogus: the legacy CSV export and the JSON objects of the register.

The legacy CSV (``;``-separated, UTF-8 with BOM) lists suppliers and packages: it fills the
shared catalogue (legal entities and products). The JSON objects (module, organisatie,
gebruik, koppeling, contract) fill the catalogue and, for the organisation being imported
into (matched by CBS code or name as ``afnemer``), its applications, integrations and
contracts, through the spreadsheet importer's checks.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from regie.register.models import LegalEntity, Organisation, Product

from .context import ImportContext, Where
from .problems import N_, ImportRefused, Message, message_of
from .registry import Importer, register_importer
from .sheets import importer as sheet_importer
from .sheets.layout import SHEET_BY_KEY
from .sheets.reader import Table
from .textfiles import decode_text
from .values import InvalidValueError, decimal

CSV_COLUMNS = ("Leverancier Naam", "Pakket Naam")
SCHEMAS = ("module", "organisatie", "gebruik", "koppeling", "contract")
DIRECTIONS = {"uitgaand": "out", "inkomend": "in", "beide": "both", "tweezijdig": "both"}
PER_YEAR = {"maandelijks": 12, "jaarlijks": 1, "per jaar": 1, "per maand": 12}


def _catalogue_entity(
    ctx: ImportContext, name: str, where: Where, *, kvk: str = "", website: str = ""
) -> Any:
    found = list(LegalEntity.objects.filter(kvk=kvk)[:2]) if kvk else []
    if len(found) != 1:
        found = list(LegalEntity.objects.filter(name=name)[:2])
    if len(found) == 1:
        return found[0]
    data: dict[str, Any] = {"name": name}
    if kvk.isdigit() and len(kvk) == 8:
        data["kvk"] = kvk
    if website.startswith(("http://", "https://")):
        data["website"] = website
    return ctx.upsert(LegalEntity, existing=None, data=data, where=where)


def _catalogue_product(
    ctx: ImportContext, name: str, supplier: Any, data: dict[str, Any], where: Where
) -> Any:
    existing = Product.objects.filter(name=name, supplier=supplier).first()
    if existing is not None:
        return existing  # the catalogue is curated: an existing product is used as it is
    return ctx.upsert(Product, existing=None, data={"name": name, "supplier": supplier, **data}, where=where)


# -- legacy CSV ---------------------------------------------------------------------------------
def run_csv(data: bytes, ctx: ImportContext) -> None:
    text, _encoding = decode_text(data, name=ctx.report.file)
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    headers = set(reader.fieldnames or [])
    missing = [c for c in CSV_COLUMNS if c not in headers]
    if missing:
        raise ImportRefused(
            Message(
                N_("This is not a Softwarecatalogus CSV export: column(s) %(columns)s missing."),
                columns=", ".join(missing),
            ),
            file=ctx.report.file,
        )
    packages: dict[tuple[str, str], tuple[int, dict[str, str]]] = {}
    for number, row in enumerate(reader, start=2):
        supplier, package = (
            (row.get("Leverancier Naam") or "").strip(),
            (row.get("Pakket Naam") or "").strip(),
        )
        where = Where(sheet="CSV", row=number)
        if not supplier or not package:
            ctx.problem(where, Message(N_("Leverancier Naam and Pakket Naam are required.")))
            continue
        packages.setdefault((supplier, package), (number, row))  # one product per package, any version
    if ctx.report.problems:
        return
    for (supplier_name, package), (number, row) in packages.items():
        where = Where(sheet="CSV", row=number)
        supplier = _catalogue_entity(ctx, supplier_name, where)
        if supplier is None:
            continue
        extra = {"description": (row.get("Pakket Beschrijving") or "").strip()}
        url = (row.get("Pakket URL productpagina") or "").strip()
        if url.startswith(("http://", "https://")):
            extra["website"] = url
        _catalogue_product(ctx, package, supplier, extra, where)


# -- JSON objects -------------------------------------------------------------------------------
def _id(obj: dict[str, Any]) -> str:
    self_: dict[str, Any] = obj["@self"] if isinstance(obj.get("@self"), dict) else {}
    return str(obj.get("id") or obj.get("uuid") or self_.get("id") or "")


def _ref(value: Any) -> str:
    if isinstance(value, dict):
        return _id(value)
    return "" if value is None else str(value).rstrip("/").rsplit("/", 1)[-1]


def _objects(document: Any, name: str) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if isinstance(document, dict):
        for schema in SCHEMAS:
            items = document.get(schema) or document.get(f"{schema}s") or []
            grouped[schema].extend(i for i in items if isinstance(i, dict))
    elif isinstance(document, list):
        for item in document:
            if isinstance(item, dict):
                self_: dict[str, Any] = item["@self"] if isinstance(item.get("@self"), dict) else {}
                schema = str(self_.get("schema") or item.get("schema") or item.get("_schema") or "")
                grouped[schema.rsplit("/", 1)[-1].lower()].append(item)
    if not any(grouped.get(s) for s in SCHEMAS):
        raise ImportRefused(
            Message(
                N_("No Softwarecatalogus objects (module, organisatie, gebruik, koppeling, contract) found.")
            ),
            file=name,
        )
    return grouped


class CatalogueJson:
    def __init__(self, ctx: ImportContext, objects: dict[str, list[dict[str, Any]]]) -> None:
        self.ctx = ctx
        self.objects = objects
        self.organisaties = {_id(o): o for o in objects["organisatie"]}
        self.modules = {_id(m): m for m in objects["module"]}
        self.entities: dict[str, Any] = {}
        self.products: dict[str, Any] = {}

    def catalogue(self) -> None:
        for index, module in enumerate(self.objects["module"], start=1):
            where = Where(sheet="module", row=index, labels=("object", "number"))
            name = str(module.get("naam") or "").strip()
            if not name:
                self.ctx.problem(where, Message(N_("A module has no naam.")), column="naam")
                continue
            supplier = self._entity(_ref(module.get("aanbieder")), where)
            licence_type = str(module.get("licentietype") or "").lower()
            data = {
                "description": str(module.get("beschrijvingKort") or ""),
                "kind": "system_software"
                if str(module.get("type") or "").lower() == "systeemsoftware"
                else "application",
                "open_source": "yes"
                if "open" in licence_type
                else ("no" if "closed" in licence_type else "unknown"),
                "licence": str(module.get("licentie") or "")[:80],
            }
            product = _catalogue_product(self.ctx, name, supplier, data, where)
            if product is not None:
                self.products[_id(module)] = product

    def _entity(self, ref: str, where: Where) -> Any:
        if not ref:
            return None
        if ref not in self.entities:
            org = self.organisaties.get(ref)
            if org is None:
                self.ctx.problem(
                    where,
                    Message(N_("The aanbieder '%(ref)s' is not among the organisatie objects."), ref=ref),
                    column="aanbieder",
                )
                return None
            self.entities[ref] = _catalogue_entity(
                self.ctx, str(org.get("naam") or ref), where, kvk=str(org.get("kvkNummer") or ""),
                website=str(org.get("website") or ""),
            )  # fmt: skip
        return self.entities[ref]

    def _is_us(self, ref: str) -> bool:
        org = self.organisaties.get(ref, {})
        us: Organisation | None = self.ctx.organisation
        if us is None:
            return False
        cbs = str(org.get("cbsCode") or "")
        return bool((us.cbs_code and cbs == us.cbs_code) or str(org.get("naam") or "") == us.name)

    def tables(self) -> list[Table]:
        usages, deps, contracts = (self._table(k) for k in ("usages", "dependencies", "contracts"))
        usage_of_gebruik: dict[str, str] = {}
        for index, gebruik in enumerate(self.objects["gebruik"], start=1):
            if not self._is_us(_ref(gebruik.get("afnemer"))):
                continue
            module = self.modules.get(_ref(gebruik.get("module")))
            product = self.products.get(_ref(gebruik.get("module")))
            if module is None or product is None:
                self.ctx.report.add(
                    Message(N_("The module of this gebruik is unknown.")),
                    sheet="gebruik",
                    row=index,
                    labels=("object", "number"),
                )
                continue
            name = str(module.get("naam"))
            usage_of_gebruik[_id(gebruik)] = name
            supplier = product.supplier.name if product.supplier else ""
            row: dict[str, object] = {"name": name, "product": product.name, "supplier": supplier}
            if gebruik.get("status"):
                row["status"] = gebruik["status"]
            if name not in {r[1]["name"] for r in usages.rows}:
                usages.rows.append((index, row))
        names_by_module = {
            _ref(g.get("module")): usage_of_gebruik[_id(g)]
            for g in self.objects["gebruik"]
            if _id(g) in usage_of_gebruik
        }
        for index, koppeling in enumerate(self.objects["koppeling"], start=1):
            a = names_by_module.get(_ref(koppeling.get("moduleA") or koppeling.get("van")))
            b = names_by_module.get(_ref(koppeling.get("moduleB") or koppeling.get("naar")))
            if a and b:
                direction = DIRECTIONS.get(
                    str(koppeling.get("gegevensuitwisselingRichting") or "").lower(), ""
                )
                standard = koppeling.get("type") or koppeling.get("standaard") or ""
                row = {"kind": "integration", "source": a, "target": b, "standard": str(standard)[:120]}
                deps.rows.append((index, {**row, "direction": direction}))
        for index, contract in enumerate(self.objects["contract"], start=1):
            gebruik_ref = _ref(contract.get("gebruik") or contract.get("voorzieningGebruik"))
            usage = usage_of_gebruik.get(gebruik_ref)
            if usage is None:
                continue
            gebruik = next(g for g in self.objects["gebruik"] if _id(g) == gebruik_ref)
            product = self.products[_ref(gebruik.get("module"))]
            if product.supplier is None:
                continue
            contracts.rows.append((index, {
                "reference": str(contract.get("contractNummer") or _id(contract) or f"SWC-{index}")[:80],
                "title": f"{contract.get('contractType') or 'Contract'} {usage}"[:200],
                "counterparty": product.supplier.lei or product.supplier.name,
                "usages": usage,
                "start_date": contract.get("startDatum"),
                "end_date": contract.get("eindDatum"),
                "annual_value": _annual(contract, self.ctx, index),
            }))  # fmt: skip
        return [t for t in (usages, deps, contracts) if t.rows]

    def _table(self, key: str) -> Table:
        columns = {
            "usages": ("name", "product", "supplier", "status"),
            "dependencies": ("kind", "source", "target", "standard", "direction"),
            "contracts": (
                "reference",
                "title",
                "counterparty",
                "usages",
                "start_date",
                "end_date",
                "annual_value",
            ),
        }[key]
        table = Table(sheet=SHEET_BY_KEY[key], title=key, labels=("object", "number"))
        table.headers = {c: c for c in columns}
        return table


def _annual(contract: dict[str, Any], ctx: ImportContext, index: int) -> Decimal | None:
    try:
        cost = decimal(contract.get("kosten"))
    except InvalidValueError as exc:
        ctx.report.add(
            message_of(exc), sheet="contract", row=index, column="kosten", labels=("object", "number")
        )
        return None
    factor = PER_YEAR.get(str(contract.get("kostenPeriode") or "").lower())
    return cost * factor if cost is not None and factor else None


def run_json(data: bytes, ctx: ImportContext) -> None:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportRefused(
            Message(N_("The JSON cannot be read: %(error)s."), error=exc), file=ctx.report.file
        ) from exc
    job = CatalogueJson(ctx, _objects(document, ctx.report.file))
    job.catalogue()
    if ctx.report.problems or ctx.organisation is None:
        return
    tables = job.tables()
    if not ctx.report.problems:
        sheet_importer.run(ctx, tables)


register_importer(
    Importer(
        "swc-csv", _("GEMMA Softwarecatalogus, legacy CSV export"), (), run_csv, needs_organisation=False
    )
)
register_importer(
    Importer("swc-json", _("GEMMA Softwarecatalogus, JSON objects"), (), run_json, needs_organisation=False)
)
