"""Reads about the facts themselves: which are stale, which unverified, and what applies locally.

Catalogue facts are visible to every signed-in user, so the fact lists need no user; an
organisation's own overrides are read through :func:`overrides_of`, scoped to the caller.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from regie.register.models import (
    Alternative,
    Country,
    Law,
    LegalEntity,
    Organisation,
    Product,
    Provenance,
    Service,
    ServiceDependency,
    ServiceLocation,
)
from regie.register.selectors import of_organisation

from .models import FactOverride, OverridableField

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User


@dataclass(frozen=True)
class FactRef:
    """One fact with its provenance, for the pages that list stale and unverified facts.

    ``subject_kind`` is entity, service, product, country, law or alternative (the record to
    link to); ``field`` names the fact; ``value`` is its display value.
    """

    subject_kind: str
    subject_id: int | str
    subject_name: str
    field: str
    value: str
    provenance: Provenance
    label: str = ""  # the fact's name in the active language (``field`` is its code)

    @property
    def source(self) -> str:
        return self.provenance.source

    @property
    def checked_on(self) -> datetime.date | None:
        return self.provenance.checked_on

    @property
    def verified(self) -> bool:
        return self.provenance.verified


def _yes(value: bool | None) -> str:
    return "?" if value is None else (gettext("yes") if value else gettext("no"))


def _parent(e: LegalEntity) -> str:
    return e.parent.name if e.parent is not None else e.get_parent_state_display()


def _country(e: Country) -> str:
    return gettext("EU %(eu)s, EEA %(eea)s, adequacy %(adequacy)s") % {
        "eu": _yes(e.eu_member),
        "eea": _yes(e.eea_member),
        "adequacy": _yes(e.gdpr_adequacy),
    }


def _licence(p: Product) -> str:
    text = gettext("open source: %(answer)s") % {"answer": p.get_open_source_display()}
    return f"{text}, {p.licence}" if p.licence else text


@dataclass(frozen=True)
class _FactSpec:
    model: type[models.Model]
    provenance: str
    subject_kind: str
    field: str
    value: Callable[[Any], str]
    subject: Callable[[Any], models.Model] = lambda obj: obj
    related: tuple[str, ...] = ()
    label: Any = None  # the fact's name on the pages (lazy); None: the model field's verbose name

    def name(self) -> str:
        """The fact's name in the active language."""
        return str(self.label or self.model._meta.get_field(self.field).verbose_name)  # type: ignore[union-attr]


FACTS: tuple[_FactSpec, ...] = (
    _FactSpec(LegalEntity, "hq_country_provenance", "entity", "hq_country", lambda e: e.hq_country_id or "?"),
    _FactSpec(
        LegalEntity,
        "registration_country_provenance",
        "entity",
        "registration_country",
        lambda e: e.registration_country_id or "?",
    ),
    _FactSpec(LegalEntity, "parent_provenance", "entity", "parent", _parent, related=("parent",)),
    _FactSpec(
        Country,
        "provenance",
        "country",
        "membership_and_adequacy",
        _country,
        label=_("EU/EEA membership and adequacy"),
    ),
    _FactSpec(
        Law,
        "provenance",
        "law",
        "triggers",
        lambda law: ", ".join(sorted(law.triggers)) or "-",
        label=_("what triggers the law"),
    ),
    _FactSpec(Product, "provenance", "product", "licence", _licence, label=_("open source and licence")),
    _FactSpec(Service, "recovery_provenance", "service", "recovery_hours", lambda s: str(s.recovery_hours)),
    _FactSpec(
        ServiceLocation,
        "provenance",
        "service",
        "location",
        lambda loc: f"{loc.get_role_display()}: {loc.country_id or '?'}",
        subject=lambda loc: loc.service,
        related=("service",),
        label=_("location of the service"),
    ),
    _FactSpec(
        ServiceDependency,
        "provenance",
        "service",
        "runs_on",
        lambda dep: str(dep.depends_on),
        subject=lambda dep: dep.service,
        related=("service", "depends_on"),
        label=_("runs on / uses"),
    ),
    _FactSpec(
        Alternative,
        "provenance",
        "alternative",
        "eu_based_open_source",
        lambda a: a.get_eu_based_display(),
        label=Alternative._meta.get_field("eu_based").verbose_name,
    ),
)


def _facts(condition: Callable[[str], Q], kinds: Iterable[str] | None) -> list[FactRef]:
    wanted = set(kinds) if kinds is not None else None
    refs: list[FactRef] = []
    for spec in FACTS:
        if wanted is not None and spec.subject_kind not in wanted:
            continue
        rows: QuerySet[Any] = (
            spec.model._default_manager.filter(condition(spec.provenance))
            .select_related(spec.provenance, *spec.related)
            .order_by("pk")
        )
        name = spec.name()
        for obj in rows:
            subject = spec.subject(obj)
            refs.append(
                FactRef(
                    subject_kind=spec.subject_kind,
                    subject_id=subject.pk,
                    subject_name=str(subject),
                    field=spec.field,
                    value=spec.value(obj),
                    provenance=getattr(obj, spec.provenance),
                    label=name,
                )
            )
    refs.sort(key=lambda r: (r.checked_on or datetime.date.min, r.subject_kind, r.subject_name, r.field))
    return refs


def stale_facts(*, older_than_days: int | None = None, kinds: Iterable[str] | None = None) -> list[FactRef]:
    """Catalogue facts whose source was checked more than ``older_than_days`` ago, or never.

    The default is ``settings.REGIE_STALE_AFTER_DAYS``. Oldest first. ``kinds`` limits the
    subjects (e.g. ``{"entity", "service"}``).
    """
    days = settings.REGIE_STALE_AFTER_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.localdate() - datetime.timedelta(days=days)

    def condition(prov: str) -> Q:
        return Q(**{f"{prov}__checked_on__lt": cutoff}) | Q(
            **{f"{prov}__isnull": False, f"{prov}__checked_on__isnull": True}
        )

    return _facts(condition, kinds)


def unverified_facts(*, kinds: Iterable[str] | None = None) -> list[FactRef]:
    """Catalogue facts believed true but not read in a source (provenance not verified)."""
    return _facts(lambda prov: Q(**{f"{prov}__verified": False}), kinds)


# --- local overrides -------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectiveFact:
    """The value of a fact for one organisation: its own override if it has one, else the catalogue's.

    ``value`` has the shape described in :class:`regie.reference.models.OverridableField`.
    """

    value: Any
    overridden: bool
    provenance: Provenance | None
    justification: str = ""
    override: FactOverride | None = None


def catalogue_fact(
    *, field: str, entity: LegalEntity | None = None, service: Service | None = None
) -> EffectiveFact:
    """The catalogue's own value of a fact, in the override value shape."""
    if entity is not None:
        if field == OverridableField.PARENT:
            value: Any = {"state": entity.parent_state}
            if entity.parent_id is not None:
                value["entity"] = entity.parent_id
            return EffectiveFact(value, False, entity.parent_provenance)
        code = getattr(entity, f"{field}_id")
        return EffectiveFact(code, False, getattr(entity, f"{field}_provenance"))
    if service is None:
        raise ValueError("Name a legal entity or a service.")
    if field.startswith("locations."):
        rows = list(
            ServiceLocation.objects.filter(service=service, role=field.split(".", 1)[1]).order_by("pk")
        )
        codes = sorted({r.country_id for r in rows if r.country_id})
        prov = rows[0].provenance if rows else None
        return EffectiveFact(codes or None, False, prov)
    if field == OverridableField.RECOVERY_HOURS:
        hours = float(service.recovery_hours) if service.recovery_hours is not None else None
        return EffectiveFact(hours, False, service.recovery_provenance)
    if field == OverridableField.CUSTOMER_HELD_KEYS:
        return EffectiveFact(service.customer_held_keys, False, None)
    raise ValueError(f"Unknown fact {field!r}.")


def effective_fact(
    *,
    organisation: Organisation | int,
    field: str,
    entity: LegalEntity | None = None,
    service: Service | None = None,
) -> EffectiveFact:
    """What applies for this organisation: its override of the fact, else the catalogue value."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    target = {"entity": entity} if entity is not None else {"service": service}
    override = (
        FactOverride.objects.filter(organisation_id=org_id, field=field, **target)
        .select_related("provenance")
        .first()
    )
    if override is not None:
        return EffectiveFact(override.value, True, override.provenance, override.justification, override)
    return catalogue_fact(field=field, entity=entity, service=service)


def overrides_of(*, user: User | AnonymousUser, organisation: Organisation | int) -> QuerySet[FactOverride]:
    """An organisation's overrides, if the user may see that organisation."""
    return of_organisation(user=user, model=FactOverride, organisation=organisation).select_related(
        "entity", "service", "provenance"
    )


def overrides_for_snapshot(organisation_id: int) -> dict[tuple[str, int, str], Any]:
    """For the engine adapter: (``"entity"``|``"service"``, id, field) -> the organisation's value."""
    result: dict[tuple[str, int, str], Any] = {}
    for o in FactOverride.objects.filter(organisation_id=organisation_id).order_by("pk"):
        kind, target_id = ("entity", o.entity_id) if o.entity_id is not None else ("service", o.service_id)
        if target_id is not None:
            result[(kind, target_id, o.field)] = o.value
    return result


def iter_fact_kinds() -> Iterator[str]:
    """The subject kinds that :func:`stale_facts` and :func:`unverified_facts` can return."""
    seen: set[str] = set()
    for spec in FACTS:
        if spec.subject_kind not in seen:
            seen.add(spec.subject_kind)
            yield spec.subject_kind
