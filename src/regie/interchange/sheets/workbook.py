"""Writing the spreadsheet layout: the empty template and the export of an organisation."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import translation
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from regie.register.models import (
    Contract,
    ContractClause,
    DataSet,
    Dependency,
    ExitPlan,
    ExitPlanStep,
    Organisation,
    Process,
    RedundancyGroup,
    Usage,
)

from ..values import neutralise
from .layout import EXPORT_KEYWORD, INSTRUCTIONS_TITLE, LISTS_TITLE, SHEETS, TEMPLATE_KEYWORD, Column, Sheet

MAX_ROW = 1_048_576
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
REQUIRED_FILL = PatternFill("solid", fgColor="F9E2AF")
GREY = Font(italic=True, color="666666")

INSTRUCTIONS_NL = (
    "Regie - invulsjabloon voor het afhankelijkhedenregister",
    "",
    "Elk tabblad is één soort gegeven. Rij 1 bevat de Nederlandse kolomnamen, rij 2 de Engelse;",
    "rij 3 is een voorbeeld: overschrijf of verwijder die. Kolommen met een * zijn verplicht.",
    "Verwijzingen gaan op naam: een applicatie noemt haar product, een afhankelijkheid noemt",
    "het proces of de applicatie waar zij van uitgaat en de applicatie of dienst waar zij naartoe gaat.",
    "Producten, diensten en leveranciers komen uit de gedeelde catalogus; een onbekende naam wordt",
    "gemeld met suggesties. Een wederpartij mag ook met haar LEI worden genoemd.",
    "Keuzelijsten staan op het tabblad 'Keuzelijsten'. Ja/nee-velden: ja of nee.",
    "Datums als 2025-12-31. Meerdere applicaties of diensten scheidt u met een puntkomma (;).",
    "Importeer eerst met 'proefimport': alle problemen worden gemeld (tabblad, rij, kolom) en er",
    "wordt niets opgeslagen. Een import slaagt helemaal of niet. Opnieuw importeren werkt bij.",
    "",
    "Regie - template for the dependency register (English)",
    "",
    "Each sheet holds one kind of record. Row 1 has the Dutch column names, row 2 the English;",
    "row 3 is an example: overwrite or delete it. Columns marked * are required. References are",
    "by name (a counterparty also by LEI). Try a dry run first: every problem is listed with its",
    "sheet, row and column, and nothing is saved. An import succeeds as a whole or not at all;",
    "importing the same file again updates records and never duplicates them.",
)


def template_bytes() -> bytes:
    """The empty template with one example row per sheet."""
    workbook = _workbook(TEMPLATE_KEYWORD)
    for sheet in SHEETS:
        worksheet = workbook[sheet.nl]
        for index, column in enumerate(sheet.columns, start=1):
            cell = worksheet.cell(
                row=3, column=index, value=neutralise(column.example) if column.example != "" else None
            )
            cell.font = GREY
    return _save(workbook)


def export_bytes(organisation: Organisation) -> bytes:
    """An organisation's register in the template layout; it imports back unchanged."""
    workbook = _workbook(EXPORT_KEYWORD)
    for sheet in SHEETS:
        worksheet = workbook[sheet.nl]
        for offset, record in enumerate(_records(sheet, organisation)):
            values = _row_values(sheet, record)
            for index, column in enumerate(sheet.columns, start=1):
                value = values.get(column.key)
                worksheet.cell(row=3 + offset, column=index, value=neutralise(value))
    return _save(workbook)


def _workbook(keyword: str) -> Workbook:
    workbook = Workbook()
    workbook.properties.keywords = keyword
    workbook.properties.title = "Regie"
    instructions = workbook.active
    assert instructions is not None
    instructions.title = INSTRUCTIONS_TITLE
    for row, line in enumerate(INSTRUCTIONS_NL, start=1):
        instructions.cell(row=row, column=1, value=line)
    instructions["A1"].font = Font(bold=True, size=14)
    start = len(INSTRUCTIONS_NL) + 2
    instructions.cell(row=start, column=1, value="Tabblad / Sheet").font = Font(bold=True)
    instructions.cell(row=start, column=2, value="Inhoud").font = Font(bold=True)
    for offset, sheet in enumerate(SHEETS, start=1):
        instructions.cell(row=start + offset, column=1, value=f"{sheet.nl} / {sheet.en}")
        instructions.cell(row=start + offset, column=2, value=sheet.help)
    instructions.column_dimensions["A"].width = 40
    instructions.column_dimensions["B"].width = 90
    lists = _lists_sheet(workbook)
    for sheet in SHEETS:
        _data_sheet(workbook.create_sheet(sheet.nl), sheet, lists)
    workbook.move_sheet(LISTS_TITLE, offset=len(SHEETS))
    return workbook


def _lists_sheet(workbook: Workbook) -> dict[str, str]:
    """A sheet with every choice list; returns choices name → range for data validation."""
    worksheet = workbook.create_sheet(LISTS_TITLE)
    ranges: dict[str, str] = {}
    choice_sets: dict[str, type[models.TextChoices]] = {}
    for sheet in SHEETS:
        for column in sheet.columns:
            if column.choices is not None:
                choice_sets[column.choices.__name__] = column.choices
    col = 1
    for name, choices in sorted(choice_sets.items()):
        worksheet.cell(row=1, column=col, value=name).font = Font(bold=True)
        worksheet.cell(row=1, column=col + 1, value="betekenis / meaning").font = Font(bold=True)
        members = [m for m in choices if m.value]
        for row, member in enumerate(members, start=2):
            worksheet.cell(row=row, column=col, value=str(member.value))
            with translation.override("nl"):
                nl = str(member.label)
            with translation.override("en"):
                en = str(member.label)
            worksheet.cell(row=row, column=col + 1, value=en if nl == en else f"{nl} / {en}")
        letter = get_column_letter(col)
        ranges[name] = f"{quote_sheetname(LISTS_TITLE)}!${letter}$2:${letter}${len(members) + 1}"
        worksheet.column_dimensions[letter].width = 24
        worksheet.column_dimensions[get_column_letter(col + 1)].width = 48
        col += 3
    return ranges


def _data_sheet(worksheet: Worksheet, sheet: Sheet, lists: dict[str, str]) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        dutch = worksheet.cell(row=1, column=index, value=column.nl + (" *" if column.required else ""))
        dutch.font = Font(bold=True)
        dutch.fill = REQUIRED_FILL if column.required else HEADER_FILL
        dutch.alignment = Alignment(wrap_text=True, vertical="top")
        if column.help:
            dutch.comment = Comment(column.help, "Regie")
        english = worksheet.cell(row=2, column=index, value=column.en)
        english.font = GREY
        worksheet.column_dimensions[letter].width = max(14, min(40, len(column.nl) + 4))
        validation = _validation(column, lists)
        if validation is not None:
            worksheet.add_data_validation(validation)
            validation.add(f"{letter}3:{letter}{MAX_ROW}")
    worksheet.freeze_panes = "B3"


def _validation(column: Column, lists: dict[str, str]) -> DataValidation | None:
    if column.kind == "choice" and column.choices is not None:
        formula = lists[column.choices.__name__]
    elif column.kind == "bool":
        formula = '"ja,nee"'
    else:
        return None
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.error = "Kies een waarde uit de lijst / choose a value from the list"
    validation.errorTitle = column.nl
    validation.showErrorMessage = True
    return validation


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- export ------------------------------------------------------------------------------------
def _records(sheet: Sheet, organisation: Organisation) -> Iterable[Any]:
    org = organisation
    querysets: dict[str, Any] = {
        "processes": Process.objects.filter(organisation=org).select_related(
            "gemma_function", "gemma_process"
        ),
        "usages": Usage.objects.filter(organisation=org).select_related(
            "product__supplier", "reference_component"
        ),
        "redundancy_groups": RedundancyGroup.objects.filter(organisation=org),
        "dependencies": Dependency.objects.filter(organisation=org)
        .select_related("from_process", "from_usage", "to_usage", "to_service__provider", "group")
        .order_by("kind", "id"),
        "data_sets": DataSet.objects.filter(organisation=org).select_related("usage"),
        "contracts": Contract.objects.filter(organisation=org)
        .select_related("counterparty")
        .prefetch_related("usages", "services")
        .order_by("reference"),
        "clauses": ContractClause.objects.filter(contract__organisation=org)
        .select_related("contract", "provenance")
        .order_by("contract__reference", "kind"),
        "exit_plans": ExitPlan.objects.filter(organisation=org).select_related(
            "usage", "service__provider", "alternative"
        ),
        "exit_plan_steps": ExitPlanStep.objects.filter(plan__organisation=org)
        .select_related("plan")
        .order_by("plan__title", "order"),
    }
    records: Iterable[Any] = querysets[sheet.key]
    return records


def _name(obj: Any) -> str:
    if obj is None:
        return ""
    for attr in ("reference", "title", "code"):
        if hasattr(obj, attr) and not hasattr(obj, "name"):
            return str(getattr(obj, attr))
    return str(obj.name)


def _row_values(sheet: Sheet, record: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in sheet.columns:
        if column.kind in ("refs",) or not hasattr(record, column.key):
            continue
        value = getattr(record, column.key)
        if column.kind == "ref":
            value = _name(value)
            if column.ref == "legal_entity" and record.counterparty.lei:
                value = record.counterparty.lei
            if column.ref == "country" and getattr(record, column.key) is not None:
                value = getattr(record, column.key).code
        elif column.kind == "bool":
            value = "ja" if value else "nee"
        values[column.key] = value
    if sheet.key == "usages":
        supplier = record.product.supplier
        values["supplier"] = supplier.name if supplier is not None else ""
    elif sheet.key == "dependencies":
        values["source"] = _name(record.source)
        values["target"] = _name(record.target)
        if record.to_service is not None:
            values["target_provider"] = record.to_service.provider.name
    elif sheet.key == "contracts":
        values["usages"] = "; ".join(sorted(u.name for u in record.usages.all()))
        values["services"] = "; ".join(sorted(s.name for s in record.services.all()))
    elif sheet.key == "clauses" and record.provenance is not None:
        values["source"] = record.provenance.source
        values["checked_on"] = record.provenance.checked_on
    elif sheet.key == "exit_plans" and record.service is not None:
        values["service_provider"] = record.service.provider.name
    return values
