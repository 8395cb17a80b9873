"""The page of an organisation's local overrides: members read, editors set and remove; bad input
is a message naming the field, never a 500; every write is audited."""

from __future__ import annotations

import pytest
from django.test import Client

from regie.analysis.selectors import analyse_organisation
from regie.audit.models import AuditEntry
from regie.reference.models import FactOverride
from tests.factories import Landscape, make_landscape

pytestmark = pytest.mark.django_db


@pytest.fixture
def land() -> Landscape:
    return make_landscape()


def client_of(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def url(land: Landscape) -> str:
    return f"/o/{land.a.org.code}/overrides/"


def parent_form(land: Landscape, **changes: str) -> dict[str, str]:
    return {
        "field": "parent",
        "target": land.provider.name,
        "value": "none",
        "justification": "Management buy-out (fictitious).",
        "source": "Chamber of commerce extract (fictitious)",
        "checked_on": "2026-11-01",
        "verified": "on",
    } | changes


def test_an_editor_sets_an_override_that_changes_the_figures(land: Landscape) -> None:
    response = client_of(land.a.editor).post(url(land), parent_form(land))
    assert response.status_code == 302
    saved = FactOverride.objects.get(organisation=land.a.org)
    assert (saved.entity, saved.value) == (land.provider, {"state": "none"})
    assert AuditEntry.objects.filter(object_type="reference.factoverride").count() == 1
    assert analyse_organisation(land.a.org).figures()["exposure.control.exposed"] == 0
    page = client_of(land.a.viewer).get(url(land), headers={"accept-language": "nl"})
    assert "Management buy-out (fictitious)." in page.content.decode()
    assert "geen moederbedrijf" in page.content.decode()


def test_a_parent_named_by_name_and_locations_as_codes(land: Landscape) -> None:
    editor = client_of(land.a.editor)
    assert editor.post(url(land), parent_form(land, value=land.parent.name)).status_code == 302
    form = parent_form(land, field="locations.rest", target=land.service.name, value="ie, nl")
    assert editor.post(url(land), form).status_code == 302
    values = dict(FactOverride.objects.values_list("field", "value"))
    assert values == {"parent": {"state": "known", "entity": land.parent.pk}, "locations.rest": ["IE", "NL"]}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"target": "No such entity"}, "target"),
        ({"value": "Nobody Ltd"}, "value"),
        ({"field": "bogus"}, "field"),
        ({"checked_on": "yesterday"}, "checked_on"),
        ({"justification": "  "}, "justification"),
        ({"source": ""}, "source"),
        ({"field": "recovery_hours", "value": "-3"}, "value"),
    ],
)
def test_bad_input_names_the_field(land: Landscape, changes: dict[str, str], field: str) -> None:
    if changes.get("field") == "recovery_hours":
        changes = changes | {"target": land.service.name}
    response = client_of(land.a.editor).post(url(land), parent_form(land, **changes))
    assert response.status_code == 400
    assert f"<strong>{field}</strong>" in response.content.decode()
    assert not FactOverride.objects.exists()


def test_viewers_and_other_organisations_may_not_write(land: Landscape) -> None:
    assert client_of(land.a.viewer).post(url(land), parent_form(land)).status_code == 403
    assert client_of(land.b.editor).post(url(land), parent_form(land)).status_code == 404
    assert client_of(land.b.editor).get(url(land)).status_code == 404
    assert not FactOverride.objects.exists()


def test_an_editor_removes_an_override(land: Landscape) -> None:
    editor = client_of(land.a.editor)
    editor.post(url(land), parent_form(land))
    pk = FactOverride.objects.get().pk
    assert client_of(land.a.viewer).post(f"{url(land)}{pk}/remove/").status_code == 403
    assert client_of(land.b.admin).post(f"/o/{land.b.org.code}/overrides/{pk}/remove/").status_code == 404
    assert editor.post(f"{url(land)}{pk}/remove/").status_code == 302
    assert not FactOverride.objects.exists()
