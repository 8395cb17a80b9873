"""Every page of every register type, through the one generic set of views."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models
from django.test import Client

from regie.audit.models import AuditEntry
from regie.register.models import Provenance
from regie.web.registry import RegisterType
from tests.web.conftest import World, login
from tests.web.helpers import all_types, form_data, url

TYPES = all_types()
IDS = [f"{t.scope}:{t.slug}" for t in TYPES]

EDIT_CHANGES: dict[str, dict[str, str]] = {
    "processes": {"owner": "Team Burgerzaken"},
    "usages": {"owner": "Applicatiebeheer"},
    "dependencies": {"standard": "StUF-ZKN"},
    "redundancy-groups": {"description": "Twee datacentra"},
    "datasets": {"export_formats": "CSV, ODS"},
    "contracts": {"title": "Zaaksysteem SaaS verlengd"},
    "contract-clauses": {"detail": "artikel 7", "provenance__source": "Contract, artikel 7"},
    "exit-plans": {"owner": "CIO-office"},
    "exit-plan-steps": {"owner": "Archivaris"},
    "legal-entities": {"website": "https://example.org/"},
    "products": {"description": "Zaakgericht werken"},
    "services": {"certifications": "ISO 27001"},
    "service-locations": {"role": "access"},
    "supply-chain": {"provenance__source": "Sub-processor list, 2025"},
    "alternatives": {"migration_notes": "Import via CMIS"},
    "countries": {"name_en": "The Netherlands"},
    "laws": {"citation": "18 U.S.C. § 2713"},
    "gemma": {"status": "actief"},
}


def writer(world: World, rtype: RegisterType) -> Any:
    return world.landscape.a.editor if rtype.is_org else world.landscape.maintainer


def test_every_register_type_has_test_data(world: World) -> None:
    declared = {t.slug for t in TYPES}
    assert declared == set(world.objects) == set(world.create_data) == set(EDIT_CHANGES)


def _value_matches(obj: Any, name: str, value: str) -> bool:
    field = obj._meta.get_field(name)
    current = getattr(obj, field.attname)
    if isinstance(current, bool) or current is None:
        return {"1": True, "0": False, "null": None}[value] == current
    return str(current) == value


def check_list(client: Client, rtype: RegisterType, obj: Any) -> None:
    response = client.get(url(rtype, "list"))
    assert response.status_code == 200
    assert str(obj) in response.content.decode()
    assert b"<html" in response.content


def check_htmx_fragment(client: Client, rtype: RegisterType, obj: Any) -> None:
    response = client.get(url(rtype, "list"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert '<table class="table">' in body
    assert str(obj) in body


def check_search(client: Client, rtype: RegisterType, obj: Any) -> None:
    response = client.get(url(rtype, "list"), {"q": "zzz-nothing-matches-this"})
    assert response.context["page"].paginator.count == 0
    target: Any = obj
    *path, attr = rtype.search[0].split("__")
    for step in path:
        target = getattr(target, step)
    term = str(getattr(target, attr))
    response = client.get(url(rtype, "list"), {"q": term[:6]})
    found = list(response.context["page"].object_list)
    assert obj in found
    assert response.context["page"].paginator.count <= rtype.model._default_manager.count()


def check_filters(client: Client, rtype: RegisterType) -> None:
    response = client.get(url(rtype, "list"))
    for control in response.context["state"].filters:
        for value, _label in control.options[:3]:
            filtered = client.get(url(rtype, "list"), {control.name: value})
            assert filtered.status_code == 200
            assert not filtered.context["state"].notices, (control.name, value)
            rows = list(filtered.context["page"].object_list)
            field = rtype.model._meta.get_field(control.name)
            if not field.choices and not isinstance(field, models.BooleanField):
                # Options read from the data (related records, free values) always match something.
                assert rows, f"the option {value} of {control.name} was offered but matches nothing"
            assert all(_value_matches(row, control.name, value) for row in rows), (control.name, value)


def check_detail(client: Client, rtype: RegisterType, obj: Any) -> None:
    response = client.get(url(rtype, "detail", obj.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert str(obj) in body
    assert 'id="h-history"' in body
    if rtype.slug != "countries":  # the factories create countries directly, without history
        assert len(response.context["history"]) >= 1


@pytest.mark.parametrize("rtype", TYPES, ids=IDS)
def test_viewer_reads_the_list_its_htmx_fragment_search_filters_and_detail(
    client: Client, world: World, rtype: RegisterType
) -> None:
    login(client, world.landscape.a.viewer)
    obj = world.objects[rtype.slug]
    check_list(client, rtype, obj)
    check_htmx_fragment(client, rtype, obj)
    check_search(client, rtype, obj)
    check_filters(client, rtype)
    check_detail(client, rtype, obj)


@pytest.mark.parametrize("rtype", TYPES, ids=IDS)
def test_writer_adds_an_object_and_it_is_audited(client: Client, world: World, rtype: RegisterType) -> None:
    login(client, writer(world, rtype))
    page = client.get(url(rtype, "add"))
    assert page.status_code == 200
    before = rtype.model._default_manager.count()
    response = client.post(url(rtype, "add"), world.create_data[rtype.slug])
    if response.status_code != 302:
        pytest.fail(f"form errors: {response.context['form'].errors.as_data()}")
    assert rtype.model._default_manager.count() == before + 1
    created = rtype.model._default_manager.order_by("-pk").first()
    if rtype.slug == "countries":
        created = rtype.model._default_manager.get(pk="DE")
    assert response["Location"] == url(rtype, "detail", created.pk)
    assert AuditEntry.objects.filter(
        object_type=rtype.model._meta.label_lower, object_id=str(created.pk), action="create"
    ).exists()


@pytest.mark.parametrize("rtype", TYPES, ids=IDS)
def test_empty_form_shows_errors_linked_to_their_fields(
    client: Client, world: World, rtype: RegisterType
) -> None:
    login(client, writer(world, rtype))
    before = rtype.model._default_manager.count()
    response = client.post(url(rtype, "add"), {})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    body = response.content.decode()
    assert 'class="error-summary"' in body
    for name in form.errors:
        if name != "__all__":
            assert f'id="id_{name}_error"' in body
            assert f"id_{name}_error" in str(form[name])
            assert 'aria-invalid="true"' in str(form[name])
    assert rtype.model._default_manager.count() == before


@pytest.mark.parametrize("rtype", TYPES, ids=IDS)
def test_writer_edits_an_object_and_the_change_shows_in_its_history(
    client: Client, world: World, rtype: RegisterType
) -> None:
    login(client, writer(world, rtype))
    obj = world.objects[rtype.slug]
    page = client.get(url(rtype, "edit", obj.pk))
    assert page.status_code == 200
    data = {**form_data(page.context["form"]), **EDIT_CHANGES[rtype.slug]}
    response = client.post(url(rtype, "edit", obj.pk), data)
    if response.status_code != 302:
        pytest.fail(f"form errors: {response.context['form'].errors.as_data()}")
    entry = AuditEntry.objects.filter(
        object_type=rtype.model._meta.label_lower, object_id=str(obj.pk), action="update"
    ).first()
    assert entry is not None
    detail = client.get(url(rtype, "detail", obj.pk))
    changed = [c for item in detail.context["history"] for c in item.changes]
    assert changed


@pytest.mark.parametrize("rtype", TYPES, ids=IDS)
def test_writer_deletes_an_object_after_confirmation(
    client: Client, world: World, rtype: RegisterType
) -> None:
    login(client, writer(world, rtype))
    response = client.post(url(rtype, "add"), world.create_data[rtype.slug])
    assert response.status_code == 302
    created = rtype.model._default_manager.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    confirm = client.get(url(rtype, "delete", created.pk))
    assert confirm.status_code == 200
    assert "button--danger" in confirm.content.decode()
    deleted = client.post(url(rtype, "delete", created.pk))
    assert deleted.status_code == 302
    assert deleted["Location"] == url(rtype, "list")
    assert not rtype.model._default_manager.filter(pk=created.pk).exists()
    assert AuditEntry.objects.filter(
        object_type=rtype.model._meta.label_lower, object_id=str(created.pk), action="delete"
    ).exists()


@pytest.mark.parametrize("rtype", TYPES, ids=IDS)
def test_viewer_sees_no_edit_buttons_and_gets_403_when_posting(
    client: Client, world: World, rtype: RegisterType
) -> None:
    user = world.landscape.a.viewer if rtype.is_org else world.landscape.a.editor
    login(client, user)
    obj = world.objects[rtype.slug]
    detail = client.get(url(rtype, "detail", obj.pk))
    assert url(rtype, "edit", obj.pk) not in detail.content.decode()
    assert url(rtype, "add") not in client.get(url(rtype, "list")).content.decode()
    assert client.get(url(rtype, "add")).status_code == 403
    assert client.get(url(rtype, "edit", obj.pk)).status_code == 403
    data = {**world.create_data[rtype.slug]}
    before = Provenance.objects.count()
    response = client.post(url(rtype, "edit", obj.pk), data)
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode() or "Niet toegestaan" in response.content.decode()
    assert client.post(url(rtype, "delete", obj.pk)).status_code == 403
    assert rtype.model._default_manager.filter(pk=obj.pk).exists()
    assert Provenance.objects.count() == before


@pytest.mark.parametrize("rtype", [t for t in TYPES if t.is_org], ids=[t.slug for t in TYPES if t.is_org])
def test_another_organisations_object_is_not_found(client: Client, world: World, rtype: RegisterType) -> None:
    login(client, world.landscape.a.editor)
    theirs = world.landscape.b.objects()[
        {
            "processes": "process",
            "usages": "usage",
            "dependencies": "dependency",
            "redundancy-groups": "group",
            "datasets": "dataset",
            "contracts": "contract",
            "contract-clauses": "clause",
            "exit-plans": "exit_plan",
            "exit-plan-steps": "step",
        }[rtype.slug]
    ]
    for action in ("detail", "edit", "delete"):
        assert client.get(url(rtype, action, theirs.pk)).status_code == 404
        assert client.get(url(rtype, action, theirs.pk, org="b")).status_code == 404
    assert client.post(url(rtype, "edit", theirs.pk), world.create_data[rtype.slug]).status_code == 404
    assert client.get(url(rtype, "list", org="b")).status_code == 404
    assert rtype.model._default_manager.filter(pk=theirs.pk).exists()
