"""The pages around the registers: start, organisation home, switcher, settings, lists, errors."""

from __future__ import annotations

from django.test import Client

from regie.accounts.models import Membership, Role
from regie.audit.models import AuditEntry
from regie.register import services
from regie.register.models import Process
from tests.factories import make_user
from tests.web.conftest import World, login
from tests.web.helpers import rtype_of, url

PROCESSES = rtype_of("processes")


def test_anonymous_visitor_is_sent_to_the_login_page(client: Client, world: World) -> None:
    response = client.get("/o/a/processes/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login")
    login_page = client.get("/login")
    assert login_page.status_code == 200
    assert 'autocomplete="current-password"' in login_page.content.decode()


def test_login_with_a_wrong_password_shows_an_error(client: Client, world: World) -> None:
    response = client.post("/login", {"username": "a-editor", "password": "wrong"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_start_page_goes_to_the_users_organisation(client: Client, world: World) -> None:
    login(client, world.landscape.b.viewer)
    response = client.get("/")
    assert response["Location"] == "/o/b/"


def test_user_without_organisation_sees_the_catalogue_link(client: Client, world: World) -> None:
    login(client, world.landscape.outsider)
    response = client.get("/")
    assert response.status_code == 200
    assert "/catalogue/" in response.content.decode()


def test_organisation_home_counts_the_register(client: Client, world: World) -> None:
    login(client, world.landscape.a.viewer)
    response = client.get("/o/a/")
    summary = response.context["summary"]
    assert (summary.processes, summary.critical_processes, summary.usages) == (1, 1, 2)
    assert (summary.services, summary.suppliers, summary.contracts) == (1, 1, 1)
    assert "/o/a/processes/?critical=1" in response.content.decode()


def test_organisation_switcher_lists_only_own_organisations_and_keeps_the_section(
    client: Client, world: World
) -> None:
    superuser = make_user("root", superuser=True)
    login(client, superuser)
    page = client.get("/o/a/usages/")
    assert [o.code for o in page.context["nav_organisations"]] == ["a", "b"]
    response = client.get("/switch", {"org": "b", "section": "usages"})
    assert response["Location"] == "/o/b/usages/"
    client.logout()
    login(client, world.landscape.a.editor)
    assert [o.code for o in client.get("/o/a/").context["nav_organisations"]] == ["a"]
    assert client.get("/switch", {"org": "b"}).status_code == 404


def test_unknown_register_and_unknown_organisation_are_not_found(client: Client, world: World) -> None:
    login(client, world.landscape.a.viewer)
    assert client.get("/o/a/no-such-register/").status_code == 404
    assert client.get("/o/zz/processes/").status_code == 404
    assert client.get("/catalogue/no-such-register/").status_code == 404
    assert client.get(url(PROCESSES, "detail", "not-a-number")).status_code == 404
    response = client.get(url(PROCESSES, "detail", 999999))
    assert response.status_code == 404
    assert "<main" in response.content.decode()


def test_list_paginates(client: Client, world: World) -> None:
    org = world.landscape.a.org
    for number in range(30):
        services.register_create(
            actor=None,
            model=Process,
            data={
                "organisation": org,
                "name": f"Proces {number:02d}",
                "availability": 1,
                "integrity": 1,
                "confidentiality": 1,
            },
        )
    login(client, world.landscape.a.viewer)
    first = client.get(url(PROCESSES, "list"))
    assert first.context["page"].paginator.num_pages == 2
    assert len(first.context["rows"]) == 25
    second = client.get(url(PROCESSES, "list"), {"page": 2})
    assert len(second.context["rows"]) == 6
    assert 'rel="prev"' in second.content.decode()


def test_list_filters_and_sorts(client: Client, world: World) -> None:
    org = world.landscape.a.org
    services.register_create(
        actor=None,
        model=Process,
        data={"organisation": org, "name": "Afval", "availability": 1, "integrity": 1, "confidentiality": 1},
    )
    login(client, world.landscape.a.viewer)
    critical = client.get(url(PROCESSES, "list"), {"critical": "1"})
    assert [str(r.obj) for r in critical.context["rows"]] == ["Burgerzaken"]
    by_availability = client.get(url(PROCESSES, "list"), {"sort": "-availability"})
    assert [str(r.obj) for r in by_availability.context["rows"]] == ["Burgerzaken", "Afval"]
    ascending = client.get(url(PROCESSES, "list"), {"sort": "availability"})
    assert [str(r.obj) for r in ascending.context["rows"]] == ["Afval", "Burgerzaken"]


def test_bad_filter_and_sort_values_are_ignored_with_a_notice(client: Client, world: World) -> None:
    login(client, world.landscape.a.viewer)
    response = client.get(url(PROCESSES, "list"), {"critical": "maybe", "sort": "password"})
    assert response.status_code == 200
    assert len(response.context["state"].notices) == 2
    assert response.context["page"].paginator.count == 1


def test_htmx_search_returns_the_matching_rows_only(client: Client, world: World) -> None:
    login(client, world.landscape.a.viewer)
    response = client.get(url(rtype_of("usages"), "list"), {"q": "archi"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "Archief" in body
    assert "Zaaksysteem</a>" not in body
    assert "<html" not in body


def test_add_form_is_prefilled_from_the_parent_page(client: Client, world: World) -> None:
    login(client, world.landscape.a.editor)
    contract = world.landscape.a.contract
    detail = client.get(url(rtype_of("contracts"), "detail", contract.pk))
    add_url = f"{url(rtype_of('contract-clauses'), 'add')}?contract={contract.pk}"
    assert add_url in detail.content.decode().replace("&amp;", "&")
    form = client.get(add_url).context["form"]
    assert str(form["contract"].value()) == str(contract.pk)


def test_form_offers_only_the_organisations_own_records(client: Client, world: World) -> None:
    login(client, world.landscape.a.editor)
    form = client.get(url(rtype_of("datasets"), "add")).context["form"]
    usages = set(form.fields["usage"].queryset)
    assert world.landscape.a.usage in usages
    assert world.landscape.b.usage not in usages
    response = client.post(
        url(rtype_of("datasets"), "add"),
        {
            "name": "Sneaky",
            "usage": world.landscape.b.usage.pk,
            "classification": "internal",
            "personal_data": "none",
            "export_open_format": "unknown",
        },
    )
    assert response.status_code == 200
    assert "usage" in response.context["form"].errors


def test_deleting_an_object_in_use_explains_why_it_cannot(client: Client, world: World) -> None:
    login(client, world.landscape.maintainer)
    provider = world.landscape.provider
    response = client.post(url(rtype_of("legal-entities"), "delete", provider.pk))
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert type(provider).objects.filter(pk=provider.pk).exists()


def test_catalogue_is_changed_only_by_maintainers(client: Client, world: World) -> None:
    products = rtype_of("products")
    login(client, world.landscape.a.admin)
    assert client.get(url(products, "add")).status_code == 403
    client.logout()
    login(client, world.landscape.maintainer)
    page = client.get(url(products, "list"))
    assert url(products, "add") in page.content.decode()


def test_settings_page_is_for_administrators_only(client: Client, world: World) -> None:
    login(client, world.landscape.a.editor)
    assert client.get("/o/a/settings/").status_code == 403
    assert (
        client.post("/o/a/settings/members/add", {"username": "outsider", "role": "viewer"}).status_code
        == 403
    )
    assert "/o/a/settings/" not in client.get("/o/a/").content.decode()
    client.logout()
    login(client, world.landscape.a.admin)
    assert client.get("/o/a/settings/").status_code == 200
    assert "/o/a/settings/" in client.get("/o/a/").content.decode()


def test_administrator_changes_the_organisation_settings(client: Client, world: World) -> None:
    login(client, world.landscape.a.admin)
    response = client.post(
        "/o/a/settings/",
        {"name": "Gemeente Aa", "kind": "municipality", "cbs_code": "GM0001", "trusted_countries": ["NL"]},
    )
    assert response.status_code == 302
    org = world.landscape.a.org
    org.refresh_from_db()
    assert org.name == "Gemeente Aa"
    assert [c.code for c in org.trusted_countries.all()] == ["NL"]
    bad = client.post("/o/a/settings/", {"name": "Gemeente Aa", "kind": "municipality", "cbs_code": "363"})
    assert bad.status_code == 200
    assert "cbs_code" in bad.context["form"].errors


def test_administrator_manages_members_and_the_last_admin_stays(client: Client, world: World) -> None:
    admin = world.landscape.a.admin
    login(client, admin)
    response = client.post("/o/a/settings/members/add", {"username": "outsider", "role": "editor"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=world.landscape.outsider, organisation=world.landscape.a.org)
    assert membership.role == Role.EDITOR
    assert AuditEntry.objects.filter(object_type="accounts.membership", action="create").exists()
    unknown = client.post("/o/a/settings/members/add", {"username": "nobody", "role": "viewer"})
    assert "username" in unknown.context["add_form"].errors
    client.post(f"/o/a/settings/members/{membership.pk}/role", {f"m{membership.pk}-role": "viewer"})
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER
    client.post(f"/o/a/settings/members/{membership.pk}/remove")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    own = Membership.objects.get(user=admin, organisation=world.landscape.a.org)
    client.post(f"/o/a/settings/members/{own.pk}/role", {f"m{own.pk}-role": "viewer"})
    own.refresh_from_db()
    assert own.role == Role.ADMIN
    other_org = Membership.objects.get(user=world.landscape.b.viewer)
    assert client.post(f"/o/a/settings/members/{other_org.pk}/remove").status_code == 404


def test_pages_carry_the_content_security_policy_and_load_htmx_from_self(
    client: Client, world: World
) -> None:
    login(client, world.landscape.a.viewer)
    response = client.get("/o/a/processes/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    body = response.content.decode()
    assert '<script src="/static/django_htmx/htmx-2.min.js"' in body or "htmx" in body
    assert "http://" not in body.replace("http://testserver", "")
    assert "https://" not in body
    assert " style=" not in body
    assert "<script>" not in body


def test_dutch_is_the_default_language(client: Client, world: World) -> None:
    login(client, world.landscape.a.viewer)
    response = client.get("/o/a/processes/")
    assert response["Content-Language"] == "nl"
    assert 'lang="nl"' in response.content.decode()
    assert "Processen" in response.content.decode()
    # Dutch first: a browser that prefers English still gets Dutch until the user switches.
    english_browser = client.get("/o/a/processes/", headers={"Accept-Language": "en"})
    assert english_browser["Content-Language"] == "nl"


def test_language_switch_changes_the_language(client: Client, world: World) -> None:
    login(client, world.landscape.a.viewer)
    client.post("/i18n/setlang", {"language": "en", "next": "/o/a/"})
    response = client.get("/o/a/processes/")
    assert response.headers["Content-Language"] == "en"
    assert "Processes" in response.content.decode()


def test_facts_to_check_lists_stale_and_unverified_catalogue_facts(client: Client, world: World) -> None:
    import datetime

    from regie.register.models import LegalEntity

    old = services.provenance_create(
        actor=None, source="Oude jaarrekening", checked_on=datetime.date(2001, 1, 1), verified=False
    )
    entity = services.register_create(
        actor=None, model=LegalEntity, data={"name": "Verouderd B.V.", "hq_country_provenance": old}
    )
    login(client, world.landscape.a.viewer)
    response = client.get("/catalogue/facts-to-check/")
    assert response.status_code == 200
    assert [ref.subject_name for ref, _url in response.context["stale"]] == ["Verouderd B.V."]
    assert [ref.subject_name for ref, _url in response.context["unverified"]] == ["Verouderd B.V."]
    body = response.content.decode()
    assert f"/catalogue/legal-entities/{entity.pk}/" in body
    assert "<td>land van hoofdkantoor</td>" in body  # the fact named in Dutch, not "hq_country"
    assert "hq_country" not in body


def test_the_laws_list_names_its_country_column_in_dutch(client: Client, world: World) -> None:
    login(client, world.landscape.a.viewer)
    body = client.get("/catalogue/laws/").content.decode()
    assert ">Land<" in body  # the column and the filter (Law.country has its label)
    assert "Country" not in body


def test_facts_to_check_give_their_values_in_the_language_of_the_page() -> None:
    from django.utils import translation

    from regie.reference.selectors import FACTS
    from regie.register.models import Alternative, Country

    country = Country(code="XX", name_nl="Testland", eu_member=True, eea_member=True, gdpr_adequacy=None)
    alternative = Alternative(name="Alt", eu_based="unknown")
    by_field = {spec.field: spec for spec in FACTS}
    with translation.override("nl"):
        assert by_field["membership_and_adequacy"].value(country) == "EU ja, EER ja, adequaatheid ?"
        assert by_field["eu_based_open_source"].value(alternative) == "onbekend"
        assert (
            str(by_field["eu_based_open_source"].label)
            == "in de EU gevestigd (leverancier en alle moederbedrijven)"
        )
    with translation.override("en"):
        assert by_field["membership_and_adequacy"].value(country) == "EU yes, EEA yes, adequacy ?"
        assert by_field["eu_based_open_source"].value(alternative) == "unknown"


def test_countries_are_named_and_sorted_in_the_language_of_the_page(client: Client, world: World) -> None:
    import re

    from regie.register.models import Country

    for code, dutch, english in (
        ("DE", "Duitsland", "Germany"),
        ("BE", "België", "Belgium"),
        ("FR", "Frankrijk", "France"),
    ):
        Country.objects.create(code=code, name_nl=dutch, name_en=english, eu_member=True, eea_member=True)
    login(client, world.landscape.maintainer)
    countries = rtype_of("countries")

    def shown(page: str) -> list[str]:
        """The countries offered by the legal entity form's country of registration, in order."""
        select = re.search(r'<select name="registration_country"[^>]*>(.*?)</select>', page, re.S)
        assert select is not None
        names = re.findall(r"<option value=\"[A-Z]{2}\"[^>]*>([^<]+)</option>", select.group(1))
        return [n for n in names if n.endswith(("(DE)", "(BE)", "(FR)"))]

    for language, named, other, in_order in (
        ("nl", "Duitsland (DE)", "Germany (DE)", ["België (BE)", "Duitsland (DE)", "Frankrijk (FR)"]),
        ("en", "Germany (DE)", "Duitsland (DE)", ["Belgium (BE)", "France (FR)", "Germany (DE)"]),
    ):
        client.post("/i18n/setlang", {"language": language, "next": "/"})
        listing = client.get(url(countries, "list")).content.decode()
        assert f"{named}</a>" in listing
        assert other not in listing
        assert shown(client.get(url(rtype_of("legal-entities"), "add")).content.decode()) == in_order


def test_alternative_categories_are_named_in_the_language_of_the_page(client: Client, world: World) -> None:
    from regie.register.models import Alternative

    video = services.register_create(
        actor=None, model=Alternative, data={"name": "Jitsi", "category": "video"}
    )
    services.register_create(actor=None, model=Alternative, data={"name": "Eigen", "category": "eigen-soort"})
    login(client, world.landscape.a.viewer)
    alternatives = rtype_of("alternatives")
    listing = client.get(url(alternatives, "list")).content.decode()
    assert "<td>videovergaderen</td>" in listing  # the category's name, not its code
    assert "<td>video</td>" not in listing
    assert "<td>eigen-soort</td>" in listing  # a category without a name is shown as it is
    assert '<option value="video">videovergaderen</option>' in listing  # the filter, too
    assert "videovergaderen" in client.get(url(alternatives, "detail", video.pk)).content.decode()
    client.post("/i18n/setlang", {"language": "en", "next": "/"})
    assert "<td>video conferencing</td>" in client.get(url(alternatives, "list")).content.decode()
