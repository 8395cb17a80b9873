"""What every importer writes through: the register services, with problems put in place."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import translation

from regie.register import services
from regie.register.models import Organisation

from .problems import ImportReport
from .progress import Progress

if TYPE_CHECKING:
    from regie.register.services import Actor

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Where:
    """The place of a record in the input, for problems about it."""

    sheet: str = ""
    row: int | None = None
    columns: Mapping[str, str] = field(default_factory=dict)  # model field → column header
    letters: Mapping[str, str] = field(default_factory=dict)  # column header → column letter
    labels: tuple[str, str] = ("sheet", "row")  # what a sheet and a row are called in this format

    def column_of(self, field_name: str) -> str:
        if field_name in ("__all__", ""):
            return ""
        return self.columns.get(field_name, field_name)


@dataclass
class ImportContext:
    actor: Actor
    organisation: Organisation | None
    report: ImportReport
    progress: Progress = field(default_factory=Progress)
    sheet: str = ""  # the register a CSV holds, when named (see sheets.reader.csv_sheet)

    @property
    def label(self) -> str:
        return f"import: {self.report.file or self.report.format}"

    def problem(self, where: Where, message: str, *, column: str = "") -> None:
        letter = where.letters.get(column, "")
        self.report.add(
            message, sheet=where.sheet, row=where.row, column=column, letter=letter, labels=where.labels
        )

    def upsert(
        self,
        model: type[M],
        *,
        existing: M | None,
        data: Mapping[str, Any],
        m2m: Mapping[str, Iterable[models.Model]] | None = None,
        where: Where,
    ) -> M | None:
        """Create the record, or update it when a field differs; None after a problem."""
        name = count_key(model)
        try:
            if existing is None:
                result = services.register_create(actor=self.actor, model=model, data=data, m2m=m2m)
                self.report.created[name] += 1
            elif _differs(existing, data, m2m):
                result = services.register_update(actor=self.actor, instance=existing, data=data, m2m=m2m)
                self.report.updated[name] += 1
            else:
                result = existing
                self.report.unchanged[name] += 1
        except ValidationError as exc:
            self.validation_problems(where, exc)
            return None
        except PermissionDenied as exc:
            self.problem(where, str(exc))
            return None
        return result

    def validation_problems(self, where: Where, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field_name, errors in exc.message_dict.items():
                for message in errors:
                    self.problem(where, message, column=where.column_of(field_name))
        else:
            for message in exc.messages:
                self.problem(where, message)


def count_key(model: type[models.Model]) -> str:
    """The name a report counts records of this model under: English, whatever the language."""
    with translation.override("en"):
        return str(model._meta.verbose_name_plural)


def _differs(
    instance: models.Model,
    data: Mapping[str, Any],
    m2m: Mapping[str, Iterable[models.Model]] | None,
) -> bool:
    opts = instance._meta
    for key, value in data.items():
        model_field = opts.get_field(key)
        if model_field.many_to_one:
            if getattr(instance, model_field.attname) != getattr(value, "pk", value):  # type: ignore[union-attr]
                return True
        elif getattr(instance, key) != value:
            return True
    for key, values in (m2m or {}).items():
        if {v.pk for v in values} != set(getattr(instance, key).values_list("pk", flat=True)):
            return True
    return False
