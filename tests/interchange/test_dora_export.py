"""The DORA Register of Information export: five templates with the EBA column codes."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from regie.interchange.services import export_organisation
from regie.register import services
from regie.register.models import Service, ServiceDependency
from tests.factories import Landscape

pytestmark = pytest.mark.django_db


def _tables(data: bytes) -> dict[str, list[dict[str, str]]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {
        name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))
        for name in archive.namelist()
    }


def test_the_register_of_information_has_the_five_templates_with_eba_codes(landscape: Landscape) -> None:
    iaas = services.register_create(
        actor=None, model=Service, data={"name": "Compute", "provider": landscape.parent, "kind": "iaas"}
    )
    services.register_create(
        actor=None, model=ServiceDependency, data={"service": landscape.service, "depends_on": iaas}
    )
    tables = _tables(
        export_organisation(actor=landscape.a.viewer, organisation=landscape.a.org, format="dora")
    )
    assert set(tables) == {"b_02.02", "b_05.01", "b_05.02", "b_06.01", "b_07.01"}
    contract_row = tables["b_02.02"][0]
    assert contract_row["c0010"] == "a-2024-01"
    assert contract_row["c0050"] == "Burgerzaken"
    assert contract_row["c0060"] == "S19"
    assert contract_row["c0150"] == "IE"
    assert contract_row["c0170"] == "high"
    assert contract_row["c0180"] == "material reliance"
    providers = {row["c0030"]: row for row in tables["b_05.01"]}
    assert providers["Hyperscaler Ireland Ltd (fictitious)"]["c0050"] == "IE"
    assert providers["Hyperscaler Ireland Ltd (fictitious)"]["c0070"] == "120000.00"
    assert providers["Hyperscaler Ireland Ltd (fictitious)"]["c0080"] == "Hyperscaler Inc. (fictitious)"
    chain = tables["b_05.02"]
    assert chain == [
        {"c0010": "a-2024-01", "c0020": "S17", "c0030": "Hyperscaler Inc. (fictitious)", "c0040": "name",
         "c0050": "2", "c0060": "Hyperscaler Ireland Ltd (fictitious)", "c0070": "name"}
    ]  # fmt: skip
    assert tables["b_06.01"] == [
        {
            "c0010": "Burgerzaken",
            "c0030": "Burgerzaken",
            "c0050": "Yes",
            "c0080": "",
            "c0090": "",
            "c0100": "high",
        }
    ]
    assessment = tables["b_07.01"][0]
    assert assessment["c0050"] == "not assessed"
    assert assessment["c0080"] == "true"
