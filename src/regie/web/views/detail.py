"""What a detail page shows: fields, facts with their sources, related objects, history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from regie.audit.models import AuditEntry
from regie.audit.selectors import audit_history_for
from regie.register.models import ClauseKind, Contract, LegalEntity, Organisation, Provenance

from ..display import SourceInfo, label_of, render_value, source_info, unknown_badge
from ..registry import RegisterType, get_type
from .common import may_write, scoped, type_url

HISTORY_LIMIT = 50


@dataclass(frozen=True)
class FieldRow:
    label: str
    value: SafeString


@dataclass(frozen=True)
class FactRow:
    label: str
    value: SafeString
    source: SourceInfo


@dataclass(frozen=True)
class Row:
    obj: models.Model
    url: str
    cells: list[SafeString]
    source: SourceInfo | None


@dataclass(frozen=True)
class RelatedSection:
    label: str
    rtype: RegisterType
    headers: list[str]
    rows: list[Row]
    add_url: str | None
    has_sources: bool


@dataclass(frozen=True)
class Change:
    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class HistoryItem:
    entry: AuditEntry
    changes: list[Change]


def field_rows(rtype: RegisterType, obj: models.Model, org_code: str | None) -> list[FieldRow]:
    return [
        FieldRow(label=label_of(rtype.model, name), value=render_value(obj, name, org_code))
        for name in rtype.fields
        if rtype.fact_for(name) is None
    ]


def fact_rows(rtype: RegisterType, obj: models.Model, org_code: str | None) -> list[FactRow]:
    rows: list[FactRow] = []
    for fact in rtype.facts:
        info = source_info(getattr(obj, fact.provenance))
        rows.extend(
            FactRow(label=label_of(rtype.model, name), value=render_value(obj, name, org_code), source=info)
            for name in fact.fields
        )
    return rows


def make_rows(rtype: RegisterType, objects: list[models.Model], org: Organisation | None) -> list[Row]:
    code = org.code if org is not None else None
    facts = rtype.facts
    return [
        Row(
            obj=obj,
            url=type_url(rtype, "detail", org, obj.pk),
            cells=[render_value(obj, name, code) for name in rtype.cell_columns],
            source=source_info(getattr(obj, facts[0].provenance)) if facts else None,
        )
        for obj in objects
    ]


def related_sections(
    request: HttpRequest, rtype: RegisterType, obj: models.Model, org: Organisation | None
) -> list[RelatedSection]:
    sections = []
    for related in rtype.related:
        other = get_type(rtype.scope, related.slug)
        if other is None:
            continue
        objects = list(scoped(request, other, org).filter(**{related.lookup: obj.pk})[:200])
        add_url = None
        if related.can_add and may_write(request, other, org) and related.lookup in other.fields:
            add_url = f"{type_url(other, 'add', org)}?{related.lookup}={obj.pk}"
        sections.append(
            RelatedSection(
                label=str(related.label or other.verbose_name_plural),
                rtype=other,
                headers=[label_of(other.model, name) for name in other.cell_columns],
                rows=make_rows(other, objects, org),
                add_url=add_url,
                has_sources=bool(other.facts),
            )
        )
    return sections


def readable(model: type[models.Model], name: str, value: Any) -> Any:
    """An audit snapshot value as a person reads it: names for ids, labels for choices."""
    if value is None or value in ("", []):
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return value
    if isinstance(field, models.ForeignKey | models.ManyToManyField) and field.related_model is not None:
        target = field.related_model
        assert isinstance(target, type)
        ids = value if isinstance(value, list) else [value]
        found = target._default_manager.in_bulk(ids)
        return ", ".join(str(found[i]) if i in found else f"#{i}" for i in ids)
    choices = dict(getattr(field, "flatchoices", None) or [])
    if value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def history(request: HttpRequest, rtype: RegisterType, obj: models.Model) -> list[HistoryItem]:
    entries = audit_history_for(user=request.user, instance=obj)[:HISTORY_LIMIT]
    model = rtype.model
    return [
        HistoryItem(
            entry=entry,
            changes=[
                Change(
                    label=label_of(model, name),
                    before=readable(model, name, before),
                    after=readable(model, name, after),
                )
                for name, before, after in entry.changes()
                if name != "id"
            ],
        )
        for entry in entries
    ]


@dataclass(frozen=True)
class ChainLink:
    entity: LegalEntity
    url: str
    hq: SafeString
    registration: SafeString
    basis: str
    share: Any
    source: SourceInfo | None


def control_chain(entity: LegalEntity, rtype: RegisterType) -> list[ChainLink]:
    """The entity and its parents up to the ultimate parent, each with how it is controlled."""
    chain = entity.control_chain()
    provenances = Provenance.objects.in_bulk(
        [e.parent_provenance_id for e in chain if e.parent_provenance_id is not None]
    )
    return [
        ChainLink(
            entity=item,
            url=type_url(rtype, "detail", None, item.pk),
            hq=render_value(item, "hq_country"),
            registration=render_value(item, "registration_country"),
            basis=item.get_parent_basis_display() if item.parent_id else "",
            share=item.parent_share,
            source=source_info(provenances.get(item.parent_provenance_id or 0))
            if item.parent_state != "unknown" or item.parent_provenance_id
            else None,
        )
        for item in chain
    ]


@dataclass(frozen=True)
class ClauseRow:
    label: str
    value: SafeString
    detail: str
    source: SourceInfo | None
    url: str | None


def clause_matrix(contract: Contract, org: Organisation) -> list[ClauseRow]:
    """Every clause kind for a contract; a kind without a row is shown as unknown."""
    clause_type = get_type("org", "contract-clauses")
    assert clause_type is not None
    present = {c.kind: c for c in contract.clauses.select_related("provenance")}
    rows = []
    for kind in ClauseKind:
        clause = present.get(kind.value)
        if clause is None:
            rows.append(
                ClauseRow(label=str(kind.label), value=unknown_badge(), detail="", source=None, url=None)
            )
        else:
            rows.append(
                ClauseRow(
                    label=str(kind.label),
                    value=render_value(clause, "present", org.code),
                    detail=clause.detail,
                    source=source_info(clause.provenance),
                    url=type_url(clause_type, "detail", org, clause.pk),
                )
            )
    return rows
