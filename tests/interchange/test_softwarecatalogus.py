"""GEMMA Softwarecatalogus: the legacy CSV and the JSON objects."""

from __future__ import annotations

from pathlib import Path

import pytest

from regie.interchange.services import import_file
from regie.register import services
from regie.register.models import Contract, Dependency, LegalEntity, Product, Usage
from tests.factories import Landscape

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def test_the_legacy_csv_fills_suppliers_and_packages_once_per_package(db: None) -> None:
    report = import_file(actor=None, organisation=None, path_or_bytes=DATA / "softwarecatalogus-legacy.csv",
                         format="swc-csv")  # fmt: skip
    assert report.ok, report.summary()
    assert Product.objects.filter(name="Zaakwijzer").count() == 1
    product = Product.objects.get(name="Formulierenbouwer")
    assert product.description == "Formulieren voor € en ß"
    assert product.supplier is not None
    assert product.supplier.name == "Open Gemeenten Coöperatie (fictitious)"
    again = import_file(actor=None, organisation=None, path_or_bytes=DATA / "softwarecatalogus-legacy.csv",
                        format="swc-csv")  # fmt: skip
    assert not again.created


def test_a_csv_without_the_catalogue_columns_is_refused(db: None) -> None:
    report = import_file(
        actor=None, organisation=None, path_or_bytes=b"a;b\n1;2\n", format="swc-csv", filename="x.csv"
    )
    assert "Pakket Naam" in report.problems[0].message


def test_json_objects_fill_the_catalogue_and_the_organisations_register(landscape: Landscape) -> None:
    org = landscape.a.org
    services.register_update(actor=None, instance=org, data={"cbs_code": "GM9999"})
    report = import_file(actor=None, organisation=org, path_or_bytes=DATA / "softwarecatalogus-objects.json",
                         format="swc-json")  # fmt: skip
    assert report.ok, report.summary()
    supplier = LegalEntity.objects.get(kvk="12345678")
    assert Product.objects.get(name="Documentkluis").open_source == "yes"
    zaak = Usage.objects.get(organisation=org, name="Zaakwijzer")
    assert zaak.product.supplier == supplier
    assert zaak.status == "in_production"
    assert Usage.objects.get(organisation=org, name="Documentkluis").status == "planned"
    link = Dependency.objects.get(organisation=org, kind="integration", from_usage=zaak)
    assert (link.standard, link.direction) == ("api", "out")
    contract = Contract.objects.get(organisation=org, reference="SWC-2024-7")
    assert str(contract.annual_value) == "12000.00"
    assert contract.counterparty == supplier
    assert not Usage.objects.filter(organisation=landscape.b.org, name="Documentkluis").exists()
    again = import_file(actor=None, organisation=org, path_or_bytes=DATA / "softwarecatalogus-objects.json",
                        format="swc-json")  # fmt: skip
    assert again.ok
    assert not again.created
    assert not again.updated
