"""The demo as built: its size, its showcase chains, its honesty about what is real and invented.

The demo is built once for this module (inside a transaction that is rolled back at the end);
each test runs in a savepoint of it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.db import transaction

from regie.accounts.models import Membership, Role, User
from regie.demo import fictional, real
from regie.demo.build import (
    REFERENCE_DATE,
    DemoExistsError,
    DemoReport,
    build_demo,
    demo_codes,
    plan_demo,
    remove_demo,
)
from regie.demo.users import DEMO_PASSWORD
from regie.register.models import (
    Contract,
    ContractClause,
    DataSet,
    Dependency,
    ExitPlan,
    LegalEntity,
    Organisation,
    Process,
    Product,
    RedundancyGroup,
    Service,
    ServiceDependency,
    ServiceLocation,
    Usage,
)
from tests.demo.canonical import canonical_dump

BUNDLE = Path(__file__).resolve().parents[2] / "src" / "regie" / "reference" / "data"
VOORBEELD = "gm9999"


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoReport]:
    with django_db_blocker.unblock(), transaction.atomic():
        report = build_demo(seed=2026)
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def voorbeeld(demo: DemoReport, db: None) -> Organisation:
    return Organisation.objects.get(code=VOORBEELD)


def _bundle_names(file: str, key: str) -> set[str]:
    data = yaml.safe_load((BUNDLE / file).read_text(encoding="utf-8"))
    return {item["name"] for item in data[key]}


def test_demo_has_voorbeeld_and_forty_smaller_organisations_of_each_kind(demo: DemoReport, db: None) -> None:
    orgs = Organisation.objects.filter(code__in=demo_codes())
    assert orgs.count() == 41 == demo.organisations
    kinds = sorted(orgs.values_list("kind", flat=True))
    assert kinds.count("municipality") == 38
    assert kinds.count("province") == kinds.count("water_authority") == kinds.count("joint_arrangement") == 1


def test_voorbeeld_has_about_sixty_processes_and_a_hundred_and_fifty_usages(voorbeeld: Organisation) -> None:
    assert 55 <= Process.objects.filter(organisation=voorbeeld).count() <= 70
    assert 130 <= Usage.objects.filter(organisation=voorbeeld).count() <= 170
    assert voorbeeld.cbs_code == "GM9999"
    assert 80_000 <= (voorbeeld.inhabitants or 0) <= 90_000
    assert voorbeeld.province == "UT"


def test_every_smaller_organisation_has_a_plausible_landscape(demo: DemoReport, db: None) -> None:
    for org in Organisation.objects.exclude(code=VOORBEELD):
        processes = Process.objects.filter(organisation=org).count()
        usages = Usage.objects.filter(organisation=org).count()
        assert 10 <= processes <= 30, (org.name, processes)
        assert 20 <= usages <= 60, (org.name, usages)
        assert Contract.objects.filter(organisation=org).exists(), org.name


def test_voorbeeld_processes_are_linked_to_gemma_with_biv_and_continuity_figures(
    voorbeeld: Organisation,
) -> None:
    processes = list(Process.objects.filter(organisation=voorbeeld))
    assert all(p.gemma_function_id is not None for p in processes)
    assert sum(p.gemma_process_id is not None for p in processes) >= 25
    assert 10 <= sum(p.critical for p in processes) <= 40
    kinds = {p.personal_data for p in processes}
    assert {"bsn", "special", "personal", "none"} <= kinds
    for p in processes:
        assert p.rto_hours is not None
        assert p.max_tolerable_downtime_hours is not None
        assert p.rto_hours <= p.max_tolerable_downtime_hours
        assert {p.availability, p.integrity, p.confidentiality} <= {1, 2, 3}


def test_voorbeeld_usages_cover_every_lifecycle_status_with_consistent_dates(voorbeeld: Organisation) -> None:
    usages = list(Usage.objects.filter(organisation=voorbeeld))
    assert {u.status for u in usages} == {"planned", "acquiring", "in_production", "phasing_out", "retired"}
    assert all(u.reference_component_id is not None for u in usages)
    for u in usages:
        if u.status == "retired":
            assert u.retired_on is not None
            assert u.production_on is not None
            assert u.retired_on >= u.production_on
        if u.status == "in_production":
            assert u.production_on is not None
            assert u.production_on <= REFERENCE_DATE


def test_showcase_dutch_brand_owned_by_a_foreign_fund(voorbeeld: Organisation) -> None:
    usage = Usage.objects.get(organisation=voorbeeld, product__name=real.EXACT_ONLINE)
    service = Dependency.objects.get(organisation=voorbeeld, kind="runs_on", from_usage=usage).to_service
    assert service is not None
    provider = service.provider
    assert provider.name == real.EXACT
    assert provider.hq_country_id == "NL"
    top = provider.ultimate_parent
    assert top.name == real.KKR
    assert top.hq_country_id == "US"


def test_showcase_dutch_saas_on_a_us_hyperscaler_in_an_eu_region(voorbeeld: Organisation) -> None:
    usage = Usage.objects.get(organisation=voorbeeld, name="Zaakwijs")
    saas = Dependency.objects.get(organisation=voorbeeld, kind="runs_on", from_usage=usage).to_service
    assert saas is not None
    assert saas.kind == "saas"
    assert saas.provider.name.endswith(fictional.FICTIONAL_MARK)
    assert saas.provider.hq_country_id == "NL"
    rest = set(ServiceLocation.objects.filter(service=saas, role="rest").values_list("country_id", flat=True))
    assert rest == {"NL"}
    platform = ServiceDependency.objects.get(service=saas).depends_on
    assert platform.name == real.AZURE
    assert platform.provider.name == real.MICROSOFT_EU
    assert platform.provider.ultimate_parent.name == real.MICROSOFT
    assert platform.provider.ultimate_parent.hq_country_id == "US"


def test_showcase_open_source_product_run_by_a_dutch_provider(voorbeeld: Organisation) -> None:
    usage = Usage.objects.get(organisation=voorbeeld, product__name=real.NEXTCLOUD)
    assert usage.product.open_source == "yes"
    hosts = [
        d.to_service
        for d in Dependency.objects.filter(organisation=voorbeeld, kind="runs_on", from_usage=usage)
    ]
    assert [h.name for h in hosts if h] == [real.LEAFCLOUD]
    assert hosts[0] is not None
    assert hosts[0].provider.hq_country_id == "NL"


def test_showcase_shared_service_centre_runs_applications_for_its_members(voorbeeld: Organisation) -> None:
    ssc = Organisation.objects.get(kind="joint_arrangement")
    assert ssc.name == fictional.SSC
    members = Organisation.objects.filter(joint_arrangements=ssc)
    assert voorbeeld in members
    assert members.count() >= 4
    entity = LegalEntity.objects.get(name=fictional.SSC)
    assert entity.is_public_body
    assert entity.hq_country_id == "NL"
    for member in members:
        hosted = Dependency.objects.filter(organisation=member, kind="runs_on", to_service__provider=entity)
        assert hosted.count() >= 5, member.name


def test_every_real_company_comes_from_the_bundle_and_every_invented_one_is_marked(
    demo: DemoReport, db: None
) -> None:
    real_entities = _bundle_names("entities.yaml", "entities")
    invented = {e.name for e in fictional.ENTITIES}
    assert all(name.endswith(fictional.FICTIONAL_MARK) for name in invented)
    assert not (real_entities & invented)
    assert set(LegalEntity.objects.values_list("name", flat=True)) <= real_entities | invented
    assert set(real.ENTITIES) <= real_entities
    real_products = _bundle_names("products.yaml", "products")
    assert set(real.PRODUCTS) <= real_products
    for product in Product.objects.exclude(name__in=real_products):
        assert product.supplier is not None, product.name
        assert product.supplier.name in invented, product.name
    real_services = _bundle_names("services.yaml", "services")
    assert set(real.SERVICES) <= real_services
    assert (
        set(Service.objects.exclude(name__in=real_services).values_list("provider__name", flat=True))
        <= invented
    )


def test_invented_facts_carry_the_demo_provenance(demo: DemoReport, db: None) -> None:
    invented = LegalEntity.objects.filter(name__in=[e.name for e in fictional.ENTITIES])
    sources = set(invented.values_list("hq_country_provenance__source", flat=True))
    sources |= set(invented.values_list("parent_provenance__source", flat=True))
    locations = ServiceLocation.objects.filter(service__provider__name__endswith=fictional.FICTIONAL_MARK)
    assert locations.exists()
    sources |= set(locations.values_list("provenance__source", flat=True))
    assert sources == {fictional.FICTIONAL_SOURCE}


def test_contracts_have_consistent_dates_and_some_end_within_a_year(demo: DemoReport, db: None) -> None:
    contracts = list(Contract.objects.all())
    assert contracts
    assert all(c.end_date is None or c.end_date >= c.start_date for c in contracts)
    assert all(c.start_date <= REFERENCE_DATE for c in contracts)
    soon = REFERENCE_DATE + datetime.timedelta(days=365)
    ending = [c for c in contracts if c.end_date is not None and REFERENCE_DATE <= c.end_date <= soon]
    assert len(ending) >= 20
    assert any(c.auto_renewal and c.renewal_months for c in contracts)
    assert any(c.governing_law_id is None for c in contracts)
    assert all(c.annual_value is not None and c.annual_value > 0 for c in contracts)


def test_unknown_clauses_stay_unknown(voorbeeld: Organisation) -> None:
    contracts = list(Contract.objects.filter(organisation=voorbeeld).prefetch_related("clauses"))
    assert any(len(c.clauses.all()) < 7 for c in contracts), "some clauses are not recorded"
    presents = set(ContractClause.objects.values_list("present", flat=True))
    assert presents == {"yes", "no", "unknown"}


def test_microsoft_365_is_nearly_everywhere_and_municipal_suppliers_are_common(
    demo: DemoReport, db: None
) -> None:
    municipalities = Organisation.objects.filter(kind="municipality")
    with_m365 = municipalities.filter(
        pk__in=Usage.objects.filter(product__name=real.M365).values("organisation")
    )
    assert with_m365.count() >= 0.8 * municipalities.count()
    for product in (real.KEY2BURGERZAKEN, real.IBURGERZAKEN):
        assert Usage.objects.filter(product__name=product).count() >= 5, product


def test_integrations_use_standards_and_include_cycles(voorbeeld: Organisation) -> None:
    edges = list(
        Dependency.objects.filter(organisation=voorbeeld, kind="integration").values_list(
            "from_usage__name", "to_usage__name", "standard"
        )
    )
    standards = " ".join(s for _, _, s in edges)
    for standard in ("StUF", "Zaken API-standaard", "Digikoppeling"):
        assert standard in standards
    pairs = {(a, b) for a, b, _ in edges}
    assert any((b, a) in pairs for a, b in pairs), "at least one two-way cycle"


def test_redundancy_groups_include_fail_over_and_two_of_three(voorbeeld: Organisation) -> None:
    groups = list(RedundancyGroup.objects.filter(organisation=voorbeeld))
    k1 = [g for g in groups if g.k == 1 and g.members.count() >= 2]
    k2 = [g for g in groups if g.k == 2 and g.members.count() >= 3]
    assert k1
    assert k2
    for group in groups:
        dependants = {(d.from_process_id, d.from_usage_id) for d in group.members.all()}
        assert len(dependants) == 1, group.name


def test_voorbeeld_has_exit_plans_overrides_and_data_sets(voorbeeld: Organisation) -> None:
    plans = ExitPlan.objects.filter(organisation=voorbeeld)
    assert plans.count() >= 3
    assert all(p.steps.count() >= 3 for p in plans)
    overrides = Usage.objects.filter(organisation=voorbeeld).exclude(substitutability_override="")
    assert overrides.count() >= 3
    assert all(u.override_justification for u in overrides)
    datasets = DataSet.objects.filter(organisation=voorbeeld)
    assert datasets.count() >= 15
    assert {d.classification for d in datasets} >= {"public", "internal", "confidential", "secret"}
    assert all(d.volume_gb is not None and d.export_formats for d in datasets)


def test_every_organisation_has_members(demo: DemoReport, db: None) -> None:
    for org in Organisation.objects.all():
        assert Membership.objects.filter(organisation=org, role=Role.ADMIN).exists(), org.name


def test_demo_users_have_their_roles_and_the_documented_password(voorbeeld: Organisation) -> None:
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["admin", "demo", "kijker", "catalogus", "analist"])
    }
    assert users["admin"].is_superuser
    assert users["catalogus"].is_catalogue_maintainer
    assert not users["catalogus"].is_superuser
    assert users["analist"].is_sector_analyst
    assert not users["analist"].memberships.exists()
    assert Membership.objects.get(user=users["demo"], organisation=voorbeeld).role == Role.ADMIN
    assert Membership.objects.get(user=users["kijker"], organisation=voorbeeld).role == Role.VIEWER
    assert all(u.check_password(DEMO_PASSWORD) for u in users.values())


def test_demo_objects_pass_full_clean_after_the_whole_build(demo: DemoReport, db: None) -> None:
    """Every object was checked on its way in (register_create); rules that span records, such as
    one dependant per redundancy group, are checked again here once everything is written: for
    Voorbeeld, the joint arrangement, the province, the water authority, two municipalities and
    the invented catalogue (all 41 would take minutes and add no other kind of record)."""
    codes = [VOORBEELD, "gr-ict-midden", "pv-middenland", "ws-laagland", "gm9901", "gm9920"]
    orgs = list(Organisation.objects.filter(code__in=codes))
    assert len(orgs) == len(codes)
    models: list[Any] = [Process, Usage, RedundancyGroup, Dependency, DataSet, Contract, ExitPlan]
    for org in orgs:
        org.full_clean()
        for model in models:
            for obj in model.objects.filter(organisation=org):
                obj.full_clean()
        for clause in ContractClause.objects.filter(contract__organisation=org):
            clause.full_clean()
    invented = [e.name for e in fictional.ENTITIES]
    for entity in LegalEntity.objects.filter(name__in=invented):
        entity.full_clean()
    for product in Product.objects.filter(supplier__name__in=invented):
        product.full_clean()
    for service in Service.objects.filter(provider__name__in=invented):
        service.full_clean()


def test_building_twice_is_refused(demo: DemoReport, db: None) -> None:
    with pytest.raises(DemoExistsError):
        build_demo(seed=2026)


def test_same_seed_gives_identical_data_and_another_seed_does_not(demo: DemoReport, db: None) -> None:
    first = canonical_dump()
    assert plan_demo(2026, REFERENCE_DATE) == plan_demo(2026, REFERENCE_DATE)
    assert plan_demo(7, REFERENCE_DATE) != plan_demo(2026, REFERENCE_DATE)
    assert remove_demo() == 41
    assert not Organisation.objects.filter(code__in=demo_codes()).exists()
    build_demo(seed=2026)
    assert canonical_dump() == first
