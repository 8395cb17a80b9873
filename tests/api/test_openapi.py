"""The OpenAPI document follows the NL API Design Rules; checked in Python and with Spectral."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

RULESET = Path(__file__).parent / "adr" / "ruleset.yaml"
SPECTRAL = "@stoplight/spectral-cli@6.16.3"


def document() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json", secure=True)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["API-Version"] == "1.0.0"
    doc: dict[str, Any] = response.json()
    return doc


@pytest.mark.django_db
def test_document_has_contact_version_and_server() -> None:
    doc = document()
    assert doc["openapi"].startswith("3.0.")
    assert set(doc["info"]["contact"]) == {"name", "url", "email"}
    assert doc["servers"][0]["url"] == "https://testserver/api/v1"


@pytest.mark.django_db
def test_every_operation_documents_version_header_problems_and_400_for_input() -> None:
    for path, item in document()["paths"].items():
        for method, op in item.items():
            responses = op["responses"]
            for status, response in responses.items():
                if status.startswith(("2", "3")):
                    assert "API-Version" in response["headers"], (method, path, status)
                else:
                    assert list(response["content"]) == ["application/problem+json"], (method, path)
            if op.get("parameters") or op.get("requestBody"):
                assert "400" in responses, (method, path)


@pytest.mark.django_db
def test_dates_are_format_date_and_properties_lower_camel_case() -> None:
    schemas = document()["components"]["schemas"]
    assert schemas["ContractOut"]["properties"]["startDate"]["format"] == "date"
    for name, schema in schemas.items():
        for prop in schema.get("properties", {}):
            assert prop[:1].islower(), (name, prop)
            assert "_" not in prop, (name, prop)


@pytest.mark.django_db
def test_spectral_with_the_adr_rules_finds_nothing(tmp_path: Path) -> None:
    if shutil.which("npx") is None:
        pytest.skip("npx (Node.js) is not installed")
    target = tmp_path / "openapi.json"
    target.write_text(json.dumps(document()))
    result = subprocess.run(
        ["npx", "--yes", SPECTRAL, "lint", str(target), "--ruleset", str(RULESET), "--fail-severity", "warn"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
