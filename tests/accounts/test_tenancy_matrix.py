"""Tenancy: one organisation never sees or changes another's register.

The matrix is discovered, not listed: every model for which
``regie.register.tenancy.organisation_lookup`` names an organisation is a tenant model and is
tried with every role and every operation. A new model is covered as soon as it exists; a model
that is neither a tenant model nor classified in ``regie.register.tenancy`` fails the first test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from regie.accounts.models import Membership, Role, User
from regie.audit.models import AuditEntry
from regie.register import selectors, services, tenancy
from regie.register.models import (
    Alternative,
    DataSet,
    Dependency,
    ExitPlan,
    GemmaElement,
    Law,
    LegalEntityAncestor,
    Organisation,
    Provenance,
    Service,
    ServiceDependency,
)
from tests.factories import Landscape, make_user

pytestmark = pytest.mark.django_db

A_ROLES = ("viewer", "editor", "admin")
OUTSIDE_ROLES = ("outsider", "maintainer", "anonymous")
ALL_ROLES = A_ROLES + OUTSIDE_ROLES

# Rows for tenant models that tests/factories.py does not (yet) create in both organisations.
EXTRA_ROWS: dict[str, Callable[[Landscape, Organisation], None]] = {
    "reference.factoverride": lambda ls, org: apps.get_model("reference", "FactOverride").objects.create(
        organisation=org, entity=ls.provider, field="hq_country", value="US", justification="Local check."
    ),
}

# A harmless change per model, where the first blank text field will not do.
CHANGES: dict[str, dict[str, Any]] = {
    "register.organisation": {"inhabitants": 54321},
    "accounts.membership": {"role": Role.EDITOR.value},  # the first member of A is a viewer
    "register.country": {"name_nl": "Ierland (gewijzigd)"},
    "reference.factoverride": {"justification": "Checked again with the supplier."},
}


def _regie_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("regie.")]


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _tenant_models() -> list[type[models.Model]]:
    found = [m for m in _regie_models() if tenancy.organisation_lookup(m) is not None]
    if Organisation not in found:
        found.append(Organisation)
    return sorted(found, key=_label)


TENANT_MODELS = _tenant_models()
# Organisation records of other apps with their own services, selectors and scoping tests; the
# register services and selectors treat them as internal (superusers only).
_APP_OWNED: frozenset[str] = getattr(tenancy, "APP_OWNED_MODELS", frozenset())
CATALOGUE_MODELS = sorted((m for m in _regie_models() if _label(m) in tenancy.CATALOGUE_MODELS), key=_label)


def _lookup(model: type[models.Model]) -> str:
    lookup = tenancy.organisation_lookup(model)
    assert lookup is not None
    return lookup


def _owner_field(model: type[models.Model]) -> str:
    """The field through which a record belongs to its organisation: organisation, contract, …"""
    return _lookup(model).split("__")[0].removesuffix("_id")


def _row(model: type[models.Model], org: Organisation, **filters: Any) -> Any:
    row = model._default_manager.filter(**{_lookup(model): org.pk}, **filters).order_by("pk").first()
    assert row is not None, f"no {_label(model)} in {org.code}; add one to tests/factories.py"
    return row


def _stored(obj: models.Model) -> list[dict[str, Any]]:
    return list(type(obj)._default_manager.filter(pk=obj.pk).values())


def _actor(ls: Landscape, role: str) -> User | AnonymousUser:
    if role == "anonymous":
        return AnonymousUser()
    if role in ("outsider", "maintainer"):
        user: User = getattr(ls, role)
        return user
    member: User = getattr(ls.a, role)
    return member


def _change(obj: models.Model) -> dict[str, Any]:
    """Field values that differ from the stored ones and break no rule."""
    label = _label(type(obj))
    if label in CHANGES:
        return CHANGES[label]
    constrained = {n for c in obj._meta.constraints for n in getattr(c, "fields", ())}
    constrained |= {
        f.name
        for c in obj._meta.constraints
        for f in obj._meta.concrete_fields
        if f.name in str(getattr(c, "condition", ""))
    }
    text_fields = sorted(
        (
            f
            for f in obj._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and f.editable
            and not f.choices
            and not f.unique
            and f.name not in constrained
        ),
        key=lambda f: (not isinstance(f, models.TextField), not f.blank),
    )
    for f in text_fields:
        return {f.name: f"{getattr(obj, f.name)} (changed in a test)"[: f.max_length or 1000]}
    pytest.fail(f"no harmless change known for {label}; add one to CHANGES")


def _create_data(obj: models.Model) -> dict[str, Any]:
    """Field values for a new record like ``obj``."""
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.editable and not f.primary_key
    }


@pytest.fixture
def ls(landscape: Landscape) -> Landscape:
    """The landscape, with a row of every tenant model in both organisations."""
    for model in TENANT_MODELS:
        extra = EXTRA_ROWS.get(_label(model))
        for org in (landscape.a.org, landscape.b.org):
            if extra and not model._default_manager.filter(**{_lookup(model): org.pk}).exists():
                extra(landscape, org)
    return landscape


@pytest.fixture
def admin_of_both(ls: Landscape) -> User:
    """Administers A and B, so that a refusal below is not a permission refusal."""
    user = make_user("admin-of-both")
    for org in (ls.a.org, ls.b.org):
        Membership.objects.create(user=user, organisation=org, role=Role.ADMIN)
    return user


def _refused_without_trace(write: Callable[[], object], obj: models.Model) -> None:
    stored, rows, entries = _stored(obj), type(obj)._default_manager.count(), AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        write()
    assert _stored(obj) == stored
    assert type(obj)._default_manager.count() == rows
    assert AuditEntry.objects.count() == entries


# --- classification -------------------------------------------------------------------------------


def test_every_model_is_a_tenant_model_or_classified_as_shared_or_internal() -> None:
    unclassified = [
        _label(m)
        for m in _regie_models()
        if tenancy.organisation_lookup(m) is None
        and _label(m) not in tenancy.CATALOGUE_MODELS | tenancy.INTERNAL_MODELS | _APP_OWNED
    ]
    assert unclassified == [], "classify these in regie.register.tenancy"


def test_no_model_is_both_tenant_and_shared() -> None:
    tenant = {_label(m) for m in TENANT_MODELS}
    assert tenant & (tenancy.CATALOGUE_MODELS | tenancy.INTERNAL_MODELS | _APP_OWNED) == set()
    assert not tenancy.CATALOGUE_MODELS & tenancy.INTERNAL_MODELS
    assert not (tenancy.CATALOGUE_MODELS | tenancy.INTERNAL_MODELS) & _APP_OWNED


def test_discovery_finds_the_known_tenant_models() -> None:
    labels = {_label(m) for m in TENANT_MODELS}
    assert {
        "register.organisation",
        "register.process",
        "register.usage",
        "register.dependency",
        "register.contractclause",
        "register.exitplanstep",
        "accounts.membership",
    } <= labels


@pytest.mark.parametrize("model", TENANT_MODELS, ids=_label)
def test_the_fixture_has_a_row_of_every_tenant_model_in_both_organisations(
    ls: Landscape, model: type[models.Model]
) -> None:
    assert _row(model, ls.a.org).pk != _row(model, ls.b.org).pk


# --- selectors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("model", TENANT_MODELS, ids=_label)
def test_visible_never_returns_another_organisations_rows(
    ls: Landscape, model: type[models.Model], role: str
) -> None:
    rows = selectors.visible(user=_actor(ls, role), model=model)
    owners = set(rows.values_list(_lookup(model), flat=True))
    assert owners == ({ls.a.org.pk} if role in A_ROLES else set())


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("model", TENANT_MODELS, ids=_label)
def test_of_organisation_is_empty_for_an_organisation_the_user_is_not_in(
    ls: Landscape, model: type[models.Model], role: str
) -> None:
    user = _actor(ls, role)
    assert not selectors.of_organisation(user=user, model=model, organisation=ls.b.org).exists()
    own = selectors.of_organisation(user=user, model=model, organisation=ls.a.org.pk)
    assert own.exists() == (role in A_ROLES)
    assert set(own.values_list(_lookup(model), flat=True)) <= {ls.a.org.pk}


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("model", TENANT_MODELS, ids=_label)
def test_get_visible_reports_another_organisations_row_as_not_found(
    ls: Landscape, model: type[models.Model], role: str
) -> None:
    user = _actor(ls, role)
    with pytest.raises(selectors.NotVisibleError):
        selectors.get_visible(user=user, model=model, pk=_row(model, ls.b.org).pk)
    own = _row(model, ls.a.org)
    if role in A_ROLES:
        assert selectors.get_visible(user=user, model=model, pk=own.pk) == own
    else:
        with pytest.raises(selectors.NotVisibleError):
            selectors.get_visible(user=user, model=model, pk=own.pk)


def test_a_superuser_sees_both_organisations(ls: Landscape, superuser: User) -> None:
    for model in TENANT_MODELS:
        owners = set(selectors.visible(user=superuser, model=model).values_list(_lookup(model), flat=True))
        assert {ls.a.org.pk, ls.b.org.pk} <= owners, _label(model)


# --- services on another organisation's rows ------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("model", TENANT_MODELS, ids=_label)
def test_writes_to_another_organisations_rows_are_refused_and_leave_no_trace(
    ls: Landscape, model: type[models.Model], role: str
) -> None:
    user = _actor(ls, role)
    theirs = _row(model, ls.b.org)
    _refused_without_trace(
        lambda: services.register_update(actor=user, instance=theirs, data=_change(theirs)), theirs
    )
    theirs = type(theirs)._default_manager.get(pk=theirs.pk)
    _refused_without_trace(lambda: services.register_delete(actor=user, instance=theirs), theirs)
    _refused_without_trace(
        lambda: services.register_create(actor=user, model=model, data=_create_data(theirs)), theirs
    )


@pytest.mark.parametrize("model", TENANT_MODELS, ids=_label)
def test_viewers_cannot_write_in_their_own_organisation(ls: Landscape, model: type[models.Model]) -> None:
    ours = _row(model, ls.a.org)
    viewer = ls.a.viewer
    _refused_without_trace(
        lambda: services.register_update(actor=viewer, instance=ours, data=_change(ours)), ours
    )
    _refused_without_trace(lambda: services.register_delete(actor=viewer, instance=ours), ours)
    _refused_without_trace(
        lambda: services.register_create(actor=viewer, model=model, data=_create_data(ours)), ours
    )


@pytest.mark.parametrize("role", ["editor", "admin"])
@pytest.mark.parametrize("model", TENANT_MODELS, ids=_label)
def test_editors_write_in_their_organisation_and_only_administrators_administer_it(
    ls: Landscape, model: type[models.Model], role: str
) -> None:
    user = _actor(ls, role)
    ours = _row(model, ls.a.org)
    if _label(model) in tenancy.ADMIN_MODELS and role == "editor":
        _refused_without_trace(
            lambda: services.register_update(actor=user, instance=ours, data=_change(ours)), ours
        )
        _refused_without_trace(lambda: services.register_delete(actor=user, instance=ours), ours)
        return
    change = _change(ours)
    services.register_update(actor=user, instance=ours, data=change)
    stored = type(ours)._default_manager.filter(pk=ours.pk).values(*change).get()
    assert stored == change
    entry = AuditEntry.objects.filter(object_type=_label(model), object_id=str(ours.pk)).first()
    assert entry is not None
    assert (entry.actor, entry.action) == (user, "update")


def test_only_a_superuser_adds_an_organisation(ls: Landscape, superuser: User) -> None:
    data = {"name": "Gemeente C", "code": "c", "kind": "municipality"}
    for role in ALL_ROLES:
        with pytest.raises(PermissionDenied):
            services.register_create(actor=_actor(ls, role), model=Organisation, data=data)
    assert services.register_create(actor=superuser, model=Organisation, data=data).code == "c"


# --- moving and cross-organisation references -----------------------------------------------------


@pytest.mark.parametrize("model", [m for m in TENANT_MODELS if m is not Organisation], ids=_label)
def test_a_record_cannot_move_to_another_organisation(
    ls: Landscape, admin_of_both: User, model: type[models.Model]
) -> None:
    ours = _row(model, ls.a.org)
    owner = _owner_field(model)
    target = ls.b.org if owner == "organisation" else getattr(_row(model, ls.b.org), owner)
    stored = _stored(ours)
    with pytest.raises(ValidationError):
        services.register_update(actor=admin_of_both, instance=ours, data={owner: target})
    assert _stored(ours) == stored


def _cross_references() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    """Every foreign key or many-to-many field from a tenant model to another tenant model."""
    found = []
    for model in TENANT_MODELS:
        if model is Organisation:
            continue
        for f in model._meta.get_fields():
            if not (f.concrete and (f.many_to_one or f.many_to_many)) or f.name == _owner_field(model):
                continue
            related = f.related_model
            if related is Organisation or tenancy.organisation_lookup(related) is None:  # type: ignore[arg-type]
                continue
            found.append((model, f))
    return found


CROSS_REFERENCES = _cross_references()


def test_the_known_cross_references_are_discovered() -> None:
    names = {f"{_label(m)}.{f.name}" for m, f in CROSS_REFERENCES}
    assert {
        "register.dependency.from_process",
        "register.dependency.from_usage",
        "register.dependency.to_usage",
        "register.dependency.group",
        "register.dataset.usage",
        "register.exitplan.usage",
        "register.contract.usages",
    } <= names


@pytest.mark.parametrize(
    ("model", "field"), CROSS_REFERENCES, ids=[f"{_label(m)}.{f.name}" for m, f in CROSS_REFERENCES]
)
def test_a_reference_to_another_organisations_record_is_refused(
    ls: Landscape, admin_of_both: User, model: type[models.Model], field: models.Field[Any, Any]
) -> None:
    theirs = _row(field.related_model, ls.b.org)  # type: ignore[arg-type]
    if field.many_to_many:
        ours = _row(model, ls.a.org)
        before = sorted(getattr(ours, field.name).values_list("pk", flat=True))
        with pytest.raises(ValidationError) as refused:
            services.register_update(actor=admin_of_both, instance=ours, data={}, m2m={field.name: [theirs]})
        assert sorted(getattr(ours, field.name).values_list("pk", flat=True)) == before
    else:
        ours = _row(model, ls.a.org, **{f"{field.name}__isnull": False})
        stored = _stored(ours)
        with pytest.raises(ValidationError) as refused:
            services.register_update(actor=admin_of_both, instance=ours, data={field.name: theirs})
        assert _stored(ours) == stored
    assert field.name in refused.value.message_dict, refused.value.message_dict


def _count_created(model: type[models.Model], data: dict[str, Any], user: User | None) -> int:
    before = model._default_manager.count()
    with pytest.raises(ValidationError):
        services.register_create(actor=user, model=model, data=data)
    return model._default_manager.count() - before


@pytest.mark.parametrize("as_system", [False, True], ids=["admin-of-both", "system"])
def test_records_of_a_cannot_be_built_on_records_of_b(
    ls: Landscape, admin_of_both: User, as_system: bool
) -> None:
    user = None if as_system else admin_of_both
    a, b = ls.a, ls.b
    cases: list[tuple[type[models.Model], dict[str, Any]]] = [
        (
            Dependency,
            {"organisation": a.org, "kind": "requires", "from_process": a.process, "to_usage": b.usage},
        ),
        (
            Dependency,
            {"organisation": a.org, "kind": "requires", "from_process": b.process, "to_usage": a.usage},
        ),
        (
            Dependency,
            {"organisation": a.org, "kind": "integration", "from_usage": a.usage, "to_usage": b.usage},
        ),
        (
            Dependency,
            {
                "organisation": a.org,
                "kind": "runs_on",
                "from_usage": a.other_usage,
                "to_service": ls.service,
                "group": b.group,
            },
        ),
        (DataSet, {"organisation": a.org, "name": "Elders", "usage": b.usage}),
        (ExitPlan, {"organisation": a.org, "title": "Exit van B", "usage": b.usage}),
    ]
    for model, data in cases:
        assert _count_created(model, data, user) == 0, data


def test_a_contract_cannot_cover_another_organisations_usage(ls: Landscape, admin_of_both: User) -> None:
    data = {
        "organisation": ls.a.org,
        "reference": "a-2025-02",
        "title": "Dekt ook B",
        "counterparty": ls.provider,
        "start_date": ls.a.contract.start_date,
    }
    before = ls.a.contract.__class__.objects.count()
    with pytest.raises(ValidationError):
        services.register_create(
            actor=admin_of_both, model=type(ls.a.contract), data=data, m2m={"usages": [ls.b.usage]}
        )
    assert type(ls.a.contract).objects.count() == before


# --- the shared catalogue -------------------------------------------------------------------------


@pytest.fixture
def catalogue(ls: Landscape) -> dict[str, models.Model]:
    """A row of every catalogue model."""
    iaas = Service.objects.create(name="Compute (fictitious)", provider=ls.parent, kind="iaas")
    rows: dict[str, models.Model] = {
        "register.country": ls.provider.hq_country,  # type: ignore[dict-item]
        "register.law": Law.objects.create(code="cloud-act", name="CLOUD Act", country_id="US"),
        "register.gemmaelement": GemmaElement.objects.create(kind="referentiecomponent", name="Zaaksysteem"),
        "register.legalentity": ls.provider,
        "register.product": ls.product,
        "register.service": ls.service,
        "register.servicelocation": ls.service.locations.get(),
        "register.servicedependency": ServiceDependency.objects.create(service=ls.service, depends_on=iaas),
        "register.alternative": Alternative.objects.create(name="Open Zaak", category="zaaksysteem"),
        "register.provenance": Provenance.objects.create(source="https://example.org/register"),
    }
    missing = tenancy.CATALOGUE_MODELS - set(rows)
    assert not missing, f"add a row of {sorted(missing)} to this fixture"
    return rows


@pytest.mark.parametrize("role", [*ALL_ROLES, "superuser"])
@pytest.mark.parametrize("model", CATALOGUE_MODELS, ids=_label)
def test_only_catalogue_maintainers_and_superusers_change_the_catalogue(
    ls: Landscape, catalogue: dict[str, models.Model], superuser: User, model: type[models.Model], role: str
) -> None:
    user = superuser if role == "superuser" else _actor(ls, role)
    row = type(catalogue[_label(model)])._default_manager.get(pk=catalogue[_label(model)].pk)
    change = CHANGES.get(_label(model)) or _catalogue_change(row)
    if role in ("maintainer", "superuser"):
        services.register_update(actor=user, instance=row, data=change)
        assert AuditEntry.objects.filter(object_type=_label(model), object_id=str(row.pk)).exists()
        return
    _refused_without_trace(lambda: services.register_update(actor=user, instance=row, data=change), row)
    _refused_without_trace(lambda: services.register_delete(actor=user, instance=row), row)


def _catalogue_change(row: models.Model) -> dict[str, Any]:
    if _label(type(row)) in ("register.servicelocation", "register.servicedependency"):
        return {"provenance": Provenance.objects.create(source="https://example.org/catalogue")}
    return _change(row)


@pytest.mark.parametrize("role", [*ALL_ROLES, "superuser"])
def test_catalogue_records_are_visible_to_every_signed_in_user(
    ls: Landscape, catalogue: dict[str, models.Model], superuser: User, role: str
) -> None:
    user = superuser if role == "superuser" else _actor(ls, role)
    for label, row in catalogue.items():
        model = type(row)
        assert selectors.visible(user=user, model=model).filter(pk=row.pk).exists() == (
            role != "anonymous"
        ), label


# --- records no service writes, and accounts ------------------------------------------------------


@pytest.mark.parametrize("role", [*ALL_ROLES, "superuser", "system"])
def test_nobody_writes_the_control_chain_closure_or_the_audit_trail_through_services(
    ls: Landscape, superuser: User, role: str
) -> None:
    user = _actor(ls, role) if role in ALL_ROLES else (superuser if role == "superuser" else None)
    link = LegalEntityAncestor.objects.get(descendant=ls.provider)
    with pytest.raises(PermissionDenied):
        services.register_create(
            actor=user,
            model=LegalEntityAncestor,
            data={"descendant": ls.parent, "ancestor": ls.provider, "depth": 1},
        )
    with pytest.raises(PermissionDenied):
        services.register_delete(actor=user, instance=link)
    entry = AuditEntry.objects.first()
    assert entry is not None
    with pytest.raises(PermissionDenied):
        services.register_update(actor=user, instance=entry, data={"message": "rewritten"})
    assert LegalEntityAncestor.objects.filter(pk=link.pk).exists()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_a_superuser_creates_user_accounts_through_services(ls: Landscape, role: str) -> None:
    before = User.objects.count()
    with pytest.raises(PermissionDenied):
        services.register_create(
            actor=_actor(ls, role), model=User, data={"username": "mallory", "is_superuser": True}
        )
    assert User.objects.count() == before
    assert not User.objects.filter(username="mallory").exists()


def test_a_catalogue_maintainer_cannot_grant_themselves_a_role(ls: Landscape) -> None:
    with pytest.raises(PermissionDenied):
        services.register_create(
            actor=ls.maintainer,
            model=Membership,
            data={"user": ls.maintainer, "organisation": ls.b.org, "role": Role.ADMIN},
        )
    assert not Membership.objects.filter(user=ls.maintainer).exists()


def test_user_accounts_are_not_listed_to_ordinary_users(ls: Landscape, superuser: User) -> None:
    for role in ALL_ROLES:
        assert not selectors.visible(user=_actor(ls, role), model=User).exists(), role
    assert selectors.visible(user=superuser, model=User).count() == User.objects.count()


def test_the_audit_trail_is_not_readable_through_the_register_selectors(ls: Landscape) -> None:
    for role in ALL_ROLES:
        assert not selectors.visible(user=_actor(ls, role), model=AuditEntry).exists(), role
