"""The generic part of applying a bundle: provenance records, upserts and the change report.

Each record is found by its natural key before it gets here. Only what differs is written, so
a second load of the same bundle writes nothing. A fact whose value and source are unchanged
keeps its provenance record; otherwise the fact gets this bundle's provenance record.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from regie.register.models import (
    Country,
    GemmaElement,
    LegalEntity,
    Product,
    Provenance,
    Service,
)
from regie.register.services import provenance_create, register_create, register_update

from .report import BundleReport, FactChange
from .specs import BundleError, ParsedBundle, SourceSpec

if TYPE_CHECKING:
    from regie.register.services import Actor

M = TypeVar("M", bound=models.Model)
LABEL_PREFIX = "Regie reference bundle"

# Which provenance field backs which value fields, per model.
PROVENANCE_OF: dict[type[models.Model], dict[str, tuple[str, ...]]] = {
    LegalEntity: {
        "hq_country_provenance": ("hq_country",),
        "registration_country_provenance": ("registration_country",),
        "parent_provenance": ("parent_state", "parent", "parent_basis", "parent_share"),
    },
    Product: {
        "provenance": ("open_source", "licence", "export_formats", "export_open_standard", "export_bulk_api")
    },
    Service: {"recovery_provenance": ("recovery_hours",)},
}


@dataclass(frozen=True)
class Place:
    """Where in the bundle a record comes from, for messages."""

    file: str
    entry: str


def _display(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, Country):
        return value.code
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(sorted(str(v) for v in value)) or None
    return str(value)


def _same(current: Any, wanted: Any) -> bool:
    if isinstance(current, models.Model) or isinstance(wanted, models.Model):
        return getattr(current, "pk", None) == getattr(wanted, "pk", None)
    if isinstance(current, decimal.Decimal) or isinstance(wanted, decimal.Decimal):
        if current is None or wanted is None:
            return current is wanted
        return decimal.Decimal(str(current)) == decimal.Decimal(str(wanted))
    return bool(current == wanted)


def _prov_matches(current: Provenance | None, spec: SourceSpec | None) -> bool:
    if current is None or spec is None:
        return current is None and spec is None
    return (current.source, current.checked_on, current.verified, current.note) == (
        spec.source,
        spec.checked_on,
        spec.verified,
        spec.note,
    )


class Writer:
    """Applies one parsed bundle inside the caller's transaction and fills the report."""

    def __init__(self, bundle: ParsedBundle, *, actor: Actor, report: BundleReport) -> None:
        self.bundle = bundle
        self.actor = actor
        self.report = report
        self._provenance: dict[SourceSpec, Provenance] = {}
        self.countries: dict[str, Country] = {}
        self.entities: dict[str, LegalEntity] = {}
        self.products: dict[str, Product] = {}
        self.services: dict[tuple[str, str], Service] = {}
        self.gemma: dict[tuple[str, str], GemmaElement] = {}

    # --- helpers ---------------------------------------------------------------------------

    def provenance(self, spec: SourceSpec | None, current: object) -> Provenance | None:
        """The provenance record for a fact: the current one if it says the same, else this bundle's."""
        if spec is None:
            return None
        if isinstance(current, Provenance) and _prov_matches(current, spec):
            return current
        if spec not in self._provenance:
            existing = (
                Provenance.objects.filter(
                    source=spec.source,
                    checked_on=spec.checked_on,
                    verified=spec.verified,
                    note=spec.note,
                    entered_by_label__startswith=LABEL_PREFIX,
                )
                .order_by("id")
                .first()
            )
            self._provenance[spec] = existing or provenance_create(
                actor=self.actor,
                source=spec.source,
                checked_on=spec.checked_on,
                verified=spec.verified,
                note=spec.note,
                entered_by_label=self.bundle.label,
            )
        return self._provenance[spec]

    def source(self, key: str | None) -> SourceSpec | None:
        return self.bundle.sources[key] if key else None

    def upsert(
        self,
        *,
        kind: str,
        key: str,
        place: Place,
        model: type[M],
        instance: M | None,
        values: dict[str, Any],
        m2m: dict[str, list[models.Model]] | None = None,
    ) -> M:
        """Create the record or change the fields that differ; report each fact that changed."""
        m2m = m2m or {}
        try:
            if instance is None:
                created = register_create(actor=self.actor, model=model, data=values, m2m=m2m)
                self.report.created[kind] += 1
                self.report.changes.append(
                    FactChange(kind=kind, key=key, object_id=created.pk, field="", old=None, new="created")
                )
                self._note_changed(kind, created)
                return created
            changed = {f: v for f, v in values.items() if not _same(getattr(instance, f), v)}
            changed_m2m = {
                name: objs
                for name, objs in m2m.items()
                if {o.pk for o in getattr(instance, name).all()} != {o.pk for o in objs}
            }
            if not changed and not changed_m2m:
                self.report.unchanged[kind] += 1
                return instance
            self._report_changes(
                kind=kind, key=key, model=model, instance=instance, changed=changed, changed_m2m=changed_m2m
            )
            register_update(actor=self.actor, instance=instance, data=changed, m2m=changed_m2m)
        except ValidationError as exc:
            raise BundleError(
                [f"{place.file}: {place.entry}: refused by the register: {messages(exc)}"]
            ) from exc
        self.report.updated[kind] += 1
        self._note_changed(kind, instance)
        return instance

    def _note_changed(self, kind: str, instance: models.Model) -> None:
        if kind == "entity":
            self.report.changed_entity_ids.add(instance.pk)
        elif kind == "service":
            self.report.changed_service_ids.add(instance.pk)

    def _report_changes(
        self,
        *,
        kind: str,
        key: str,
        model: type[models.Model],
        instance: models.Model,
        changed: dict[str, Any],
        changed_m2m: dict[str, list[models.Model]],
    ) -> None:
        prov_of_value: dict[str, str] = {}
        for prov_field, value_fields in PROVENANCE_OF.get(model, {"provenance": ()}).items():
            for f in value_fields:
                prov_of_value[f] = prov_field
        default_prov = (
            "provenance" if model not in PROVENANCE_OF and hasattr(instance, "provenance") else None
        )

        def sources(field_name: str) -> tuple[str | None, str | None]:
            prov_field = prov_of_value.get(field_name, default_prov)
            if prov_field is None:
                return None, None
            old = getattr(instance, prov_field)
            new = changed.get(prov_field, old)
            return (str(old) if old else None), (str(new) if new else None)

        reported_prov: set[str] = set()
        for f, new in changed.items():
            if f.endswith("provenance"):
                continue
            old_source, new_source = sources(f)
            reported_prov.add(prov_of_value.get(f, default_prov or ""))
            self.report.changes.append(
                FactChange(
                    kind,
                    key,
                    instance.pk,
                    f,
                    _display(getattr(instance, f)),
                    _display(new),
                    old_source,
                    new_source,
                )
            )
        for f, objs in changed_m2m.items():
            old_names = [str(o) for o in getattr(instance, f).all()]
            self.report.changes.append(
                FactChange(kind, key, instance.pk, f, _display(old_names), _display([str(o) for o in objs]))
            )
        for prov_field in [f for f in changed if f.endswith("provenance") and f not in reported_prov]:
            value_fields = PROVENANCE_OF.get(model, {}).get(prov_field) or ("(all facts)",)
            value = getattr(instance, value_fields[0], None)
            old = getattr(instance, prov_field)
            new = changed[prov_field]
            self.report.changes.append(
                FactChange(
                    kind,
                    key,
                    instance.pk,
                    value_fields[0],
                    _display(value),
                    _display(value),
                    str(old) if old else None,
                    str(new) if new else None,
                )
            )

    # --- per kind --------------------------------------------------------------------------


def messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{f}: {' '.join(str(m) for m in msgs)}" for f, msgs in exc.message_dict.items())
    return " ".join(exc.messages)
