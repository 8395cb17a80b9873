"""The framework's records in the JSON document: findings, acceptances, their history,
rule-set adoptions, scorecards and the daily figures (ADR 0065); and, with the same code, the
tenders, bids and decisions of procurement (ADR 0066, module ``procurement``).

These are organisation records of the policy app, not of the register, so they have their own
sections here: exported with the document ids of the register records they are about, and
restored as they were (timestamps, statuses, approvers) by the system or an administrator of
Regie. People are named by their user name; an approver who has no account in the receiving
instance gets one without a password (it cannot sign in) so the acceptance keeps its approver.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models

from regie.accounts.models import User
from regie.audit.models import AuditAction
from regie.audit.services import audit_record
from regie.policy.models import (
    Acceptance,
    FigureSnapshot,
    Finding,
    FindingEvent,
    PolicyAdoption,
    Scorecard,
    ScorecardAnswer,
)
from regie.procurement.models import Bid
from regie.register.models import Contract, Organisation, Process, Usage

from ..problems import N_, Message
from . import procurement
from .parts import Part

if TYPE_CHECKING:
    from .importer import DocumentImport

# Finding subjects that are register records: their key is a database id, which the document
# replaces by the record's document id (and the import by the new record's id).
SUBJECT_MODELS: dict[str, type[models.Model]] = {"process": Process, "usage": Usage, "contract": Contract}
ORGANISATION_SUBJECT = "organisation"  # a finding about the organisation itself (its key is its id)


FINDING_FIELDS = (
    *("rule", "ruleset_version", "severity", "subject_kind", "subject", "subject_key", "status"),
    *("fingerprint", "evidence", "message_nl", "message_en", "first_seen", "changed_at", "resolved_at"),
)
ACCEPTANCE_FIELDS = (
    *("finding", "justification", "owner", "approver", "expires_on", "fingerprint", "created_by"),
    *("created_at", "ended_at", "end_reason"),
)
PARTS: tuple[Part, ...] = (
    Part("policy_adoptions", PolicyAdoption, "adoption", ("ruleset", "active", "parameters", "note")),
    Part(
        "findings",
        Finding,
        "finding",
        FINDING_FIELDS,
        stamps=("first_seen", "changed_at"),
    ),
    Part(
        "acceptances",
        Acceptance,
        "acceptance",
        ACCEPTANCE_FIELDS,
        refs={"finding": "findings"},
        users=("approver", "created_by"),
        stamps=("created_at",),
    ),
    Part(
        "finding_events",
        FindingEvent,
        "event",
        ("finding", "kind", "at", "actor", "fingerprint", "note"),
        refs={"finding": "findings"},
        users=("actor",),
        stamps=("at",),
    ),
    Part(
        "scorecards",
        Scorecard,
        "scorecard",
        ("service", "product", "weights"),
        refs={"service": "services", "product": "products"},
    ),
    Part(
        "scorecard_answers",
        ScorecardAnswer,
        "answer",
        ("scorecard", "question", "option", "evidence", "provenance", "answered_at"),
        refs={"scorecard": "scorecards", "provenance": "provenance"},
        stamps=("answered_at",),
    ),
    Part("figure_snapshots", FigureSnapshot, "snapshot", ("day", "figures", "findings")),
    *procurement.PROCUREMENT_PARTS,  # tenders, bids and decisions (ADR 0066)
)
PART_BY_KEY = {p.key: p for p in PARTS}


#: The path from a section's records to their organisation.
ORGANISATION_PATH: dict[str, str] = {
    "policy_adoptions": "organisation",
    "findings": "organisation",
    "acceptances": "finding__organisation",
    "finding_events": "finding__organisation",
    "scorecards": "organisation",
    "scorecard_answers": "scorecard__organisation",
    "figure_snapshots": "organisation",
    **procurement.ORGANISATION_PATH,
}


def base_querysets() -> dict[str, models.QuerySet[Any]]:
    """Every section's records with the people they name, of every organisation."""
    return {
        "policy_adoptions": PolicyAdoption.objects.all(),
        "findings": Finding.objects.all(),
        "acceptances": Acceptance.objects.select_related("approver", "created_by"),
        "finding_events": FindingEvent.objects.select_related("actor"),
        "scorecards": Scorecard.objects.all(),
        "scorecard_answers": ScorecardAnswer.objects.all(),
        "figure_snapshots": FigureSnapshot.objects.all(),
        **procurement.base_querysets(),
    }


def querysets(org: Organisation) -> dict[str, models.QuerySet[Any]]:
    return {key: qs.filter(**{ORGANISATION_PATH[key]: org}) for key, qs in base_querysets().items()}


# -- export ----------------------------------------------------------------------------------


def export_parts(
    org: Organisation,
    ref: Callable[[type[models.Model], Any], str],
    value_of: Callable[[Any], Any],
    *,
    rows: Mapping[str, Iterable[models.Model]] | None = None,
    subjects: dict[str, dict[str, str | None]] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """The framework sections of the document, each sorted by content and given ids.

    ``ref(model, pk)`` is the document id of a register record. The export of every
    organisation hands over each section's records (``rows``) and the document ids of the
    organisation's processes, usages and contracts by database id (``subjects``); without
    them they are read here.
    """
    if subjects is None:
        subjects = {
            kind: {
                str(pk): ref(model, pk)
                for pk in model._default_manager.filter(organisation=org).values_list("pk", flat=True)
            }
            for kind, model in SUBJECT_MODELS.items()
        }
    subjects = {**subjects, ORGANISATION_SUBJECT: {str(org.pk): ORGANISATION_SUBJECT}}
    qs = querysets(org) if rows is None else rows
    out: dict[str, list[dict[str, Any]]] = {}
    ids: dict[tuple[str, int], str] = {}

    def target_id(key: str, model: type[models.Model], pk: Any) -> str | None:
        return ids[(key, pk)] if key in PART_BY_KEY else ref(model, pk)

    def plain(part: Part, obj: models.Model) -> dict[str, Any]:
        record: dict[str, Any] = {}
        for name in part.fields:
            if name == "subject":
                assert isinstance(obj, Finding)
                doc_id = subjects.get(obj.subject_kind, {}).get(obj.subject_key)
                record["subject"] = doc_id
                continue
            if name == "subject_key":
                record[name] = None if record.get("subject") else obj.subject_key  # type: ignore[attr-defined]
            elif name in part.users:
                user = getattr(obj, name)
                record[name] = None if user is None else user.get_username()
            elif part.refs.get(name) == part.key:
                record[name] = getattr(obj, f"{name}_id")  # the same section: its id comes after sorting
            elif name in part.refs:
                pk = getattr(obj, f"{name}_id")  # the id only: the record itself is not needed
                model = part.model._meta.get_field(name).related_model
                record[name] = None if pk is None else target_id(part.refs[name], model, pk)  # type: ignore[arg-type]
            elif name in part.many:
                targets = (target_id(part.many[name], type(t), t.pk) for t in getattr(obj, name).all())
                record[name] = sorted(targets, key=_sortable)
            elif name in part.bid_keyed:
                bids = {str(pk): bid_id for (key, pk), bid_id in ids.items() if key == "bids"}
                record[name] = {bids.get(k, k): v for k, v in getattr(obj, name).items()}
            else:
                record[name] = value_of(getattr(obj, name))
        return record

    for part in PARTS:
        built = [(plain(part, obj), obj.pk) for obj in qs[part.key]]
        own = [name for name, key in part.refs.items() if key == part.key]
        built.sort(key=lambda row: (_sort_text(row[0], skip=own), row[1]))
        out[part.key] = []
        for index, (_record, pk) in enumerate(built, start=1):
            ids[(part.key, pk)] = f"{part.prefix}-{index}"
        for record, pk in built:
            for name in own:  # a reference within the section, now that every record has its id
                record[name] = None if record[name] is None else ids[(part.key, record[name])]
            out[part.key].append({"id": ids[(part.key, pk)], **record})
    return out


def _sort_text(record: dict[str, Any], skip: list[str] | None = None) -> tuple[str, ...]:
    return tuple(_sortable(v) for k, v in record.items() if k not in (skip or ()))


def _sortable(value: Any) -> str:
    if isinstance(value, str):
        # document ids sort by number: finding-2 before finding-10
        head, _, tail = value.rpartition("-")
        return f"{head}-{int(tail):09d}" if head and tail.isdigit() else value
    return repr(value)


# -- import ----------------------------------------------------------------------------------


class FrameworkRestore:
    """Restores the framework sections of a document into the organisation of an import."""

    def __init__(self, job: DocumentImport) -> None:
        self.job = job
        self.ctx = job.ctx
        self.document = job.document
        self.objects: dict[str, models.Model] = {}
        self.users: dict[str, User] = {}
        self.created_users: list[str] = []

    def check(self, kinds: Mapping[str, str]) -> None:
        """References between records, to records of the right kind. ``kinds``: doc id → section."""
        for part in PARTS:
            for index, record in enumerate(self.document.get(part.key, [])):
                pairs = [(name, record.get(name), target) for name, target in part.refs.items()]
                for name, target in part.many.items():
                    pairs.extend((name, value, target) for value in record.get(name) or [])
                for name, value, target in pairs:
                    if value is None:
                        continue
                    if kinds.get(value) != target:
                        wrong = N_(
                            "Refers to '%(ref)s', which is not a record of kind %(kind)s in the document."
                        )
                        self.ctx.report.add(
                            Message(wrong, ref=value, kind=target), sheet=f"{part.key}[{index}]", column=name
                        )
                if part.key == "findings":
                    self._check_subject(record, index, kinds)
                one = (record.get("service") is None) != (record.get("product") is None)
                if part.key == "scorecards" and not one:
                    self.ctx.report.add(
                        Message(N_("A scorecard is for exactly one service or one product.")),
                        sheet=f"scorecards[{index}]",
                    )

    def _check_subject(self, record: dict[str, Any], index: int, kinds: Mapping[str, str]) -> None:
        subject, key = record.get("subject"), record.get("subject_key")
        where = f"findings[{index}]"
        if subject is None and not key:
            self.ctx.report.add(Message(N_("A finding needs its subject or its subject key.")), sheet=where)
        elif subject is not None:
            wanted = {"process": "processes", "usage": "usages", "contract": "contracts"}
            section = wanted.get(record.get("subject_kind", ""))
            if subject == ORGANISATION_SUBJECT:
                right = record.get("subject_kind") == "organisation"
            else:
                right = section is not None and kinds.get(subject) == section
            if not right:
                self.ctx.report.add(
                    Message(
                        N_("The subject '%(subject)s' is not a %(kind)s of the document."),
                        subject=subject,
                        kind=record.get("subject_kind"),
                    ),
                    sheet=where,
                    column="subject",
                )

    def allowed(self) -> bool:
        actor = self.ctx.actor
        count = sum(len(self.document.get(p.key, [])) for p in PARTS)
        if count and actor is not None and not actor.is_superuser:
            not_restored = N_(
                "The %(count)s framework records and procurement records of the document (findings, "
                "acceptances and their history, scorecards, figures, tenders, bids and decisions) were not "
                "restored: only the system (the command line) or an administrator of Regie may "
                "restore history."
            )
            self.ctx.report.notice(Message(not_restored, count=count))
            return False
        return True

    def apply(self) -> None:
        org = self.job.organisation
        if org is None or not self.allowed():
            return
        for part in PARTS:
            for index, record in enumerate(self.document.get(part.key, [])):
                try:
                    self._restore(part, org, record)
                except ValidationError as exc:
                    where = self.job.where(part.key, index, record["id"])
                    self.ctx.validation_problems(where, exc)
        if self.created_users:
            names = ", ".join(sorted(self.created_users))
            added = N_(
                "Accounts without a password (they cannot sign in) were added for the people named in "
                "acceptances and their history: %(names)s."
            )
            self.ctx.report.notice(Message(added, names=names))

    def _values(  # noqa: PLR0912 - one branch per kind of field
        self, part: Part, org: Organisation, record: dict[str, Any]
    ) -> dict[str, Any] | None:
        from .importer import _python

        data: dict[str, Any] = {}
        for name in part.fields:
            value = record.get(name)
            if name == "subject":
                continue
            if name == "subject_key":
                subject = record.get("subject")
                if subject == ORGANISATION_SUBJECT:
                    value = str(org.pk)
                elif subject is not None:
                    target = self.job.objects.get(subject)
                    if target is None:
                        return None  # the subject could not be imported; reported there
                    value = str(target.pk)
                data[name] = value
            elif name in part.users:
                data[name] = None if value is None else self._user(value)
            elif name in part.refs:
                source = self.objects if part.refs[name] in PART_BY_KEY else self.job.objects
                if value is not None and value not in source:
                    return None
                data[name] = None if value is None else source[value]
            elif name in part.many:
                source = self.objects if part.many[name] in PART_BY_KEY else self.job.objects
                if any(v not in source for v in value or []):
                    return None  # a record it refers to could not be imported; reported there
                data[name] = [source[v] for v in value or []]
            elif name in part.bid_keyed:
                bids = {k: str(v.pk) for k, v in self.objects.items() if isinstance(v, Bid)}
                data[name] = (
                    {bids.get(k, k): v for k, v in value.items()} if isinstance(value, dict) else value
                )
            else:
                data[name] = _python(part.model._meta.get_field(name), value)  # type: ignore[arg-type]
        if any(f.name == "organisation" for f in part.model._meta.fields):
            data["organisation"] = org
        return data

    def _restore(self, part: Part, org: Organisation, record: dict[str, Any]) -> None:
        data = self._values(part, org, record)
        if data is None:
            return
        many = {k: data.pop(k) for k in part.many if k in data}
        existing = self._existing(part, data)
        stamps = {k: data.pop(k) for k in part.stamps if k in data}
        name = part.key.replace("_", " ")
        if existing is None:
            obj = part.model(**data)
            obj.full_clean(exclude=_unset_people(part, data))
            obj.save()
            for key, values in many.items():
                getattr(obj, key).set(values)
            if stamps:
                part.model._base_manager.filter(pk=obj.pk).update(**stamps)
                for key, value in stamps.items():
                    setattr(obj, key, value)
            audit_record(
                actor=self.ctx.actor,
                action=AuditAction.CREATE,
                instance=obj,
                organisation_id=org.pk,
                after={"restored": record["id"]},
                message="restored from an organisation document",
            )
            self.ctx.report.created[name] += 1
        elif part.model in (FindingEvent, FigureSnapshot, *procurement.IMMUTABLE) or not _differs(
            existing, {**data, **stamps}, many
        ):
            obj = existing  # history is never rewritten; an equal record is left alone
            self.ctx.report.unchanged[name] += 1
        else:
            for key, value in data.items():
                setattr(existing, key, value)
            existing.full_clean(exclude=_unset_people(part, data))
            existing.save()
            for key, values in many.items():
                getattr(existing, key).set(values)
            part.model._base_manager.filter(pk=existing.pk).update(**stamps)
            obj = existing
            audit_record(
                actor=self.ctx.actor,
                action=AuditAction.UPDATE,
                instance=obj,
                organisation_id=org.pk,
                after={"restored": record["id"]},
                message="restored from an organisation document",
            )
            self.ctx.report.updated[name] += 1
        self.objects[record["id"]] = obj

    def _existing(self, part: Part, data: dict[str, Any]) -> models.Model | None:
        keys: dict[str, tuple[str, ...]] = {
            "policy_adoptions": ("organisation", "ruleset"),
            "findings": ("organisation", "rule", "subject_kind", "subject_key"),
            "acceptances": ("finding", "created_at"),
            "finding_events": ("finding", "at", "kind"),
            "scorecards": ("organisation", "service", "product"),
            "scorecard_answers": ("scorecard", "question"),
            "figure_snapshots": ("organisation", "day"),
            "tenders": ("organisation", "reference"),
            "bids": ("tender", "created_at"),
            "decisions": ("tender", "created_at"),
        }
        lookup = {k: data.get(k) for k in keys[part.key]}
        if any(isinstance(v, models.Model) and v.pk is None for v in lookup.values()):
            return None
        # a record of the document is matched once: two equal records stay two
        taken = [o.pk for o in self.objects.values() if isinstance(o, part.model)]
        return part.model._base_manager.filter(**lookup).exclude(pk__in=taken).first()

    def _user(self, username: str) -> User:
        if username not in self.users:
            user = User.objects.filter(username=username).first()
            if user is None:
                from regie.accounts.services import user_create

                user = user_create(actor=self.ctx.actor, username=username, password=None)
                self.created_users.append(username)
            self.users[username] = user
        return self.users[username]


def _unset_people(part: Part, data: Mapping[str, Any]) -> list[str]:
    """Nobody (the system) acted: a null the model allows, though a form would not."""
    return [name for name in part.users if data.get(name) is None]


def _differs(
    instance: models.Model, data: Mapping[str, Any], many: Mapping[str, list[models.Model]] | None = None
) -> bool:
    for key, values in (many or {}).items():
        if {v.pk for v in values} != set(getattr(instance, key).values_list("pk", flat=True)):
            return True
    for key, value in data.items():
        current = getattr(instance, key)
        if isinstance(value, models.Model) or isinstance(current, models.Model):
            if getattr(current, "pk", current) != getattr(value, "pk", value):
                return True
        elif current != value:
            return True
    return False


def kinds_of(document: Mapping[str, Any], section_keys: tuple[str, ...]) -> dict[str, str]:
    """Document id → the section it is in, for every section."""
    kinds: dict[str, str] = {}
    for key in (*section_keys, *PART_BY_KEY):
        for record in document.get(key, []) or []:
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                kinds[record["id"]] = key
    return kinds


__all__ = ["PARTS", "FrameworkRestore", "export_parts", "kinds_of"]
