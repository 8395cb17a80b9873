"""A bad bundle is refused with a message naming file, entry and field, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from regie.audit.models import AuditEntry
from regie.reference.bundle import BundleError, load_bundle
from regie.register import services
from regie.register.models import Country, GemmaElement, LegalEntity, Provenance

from .conftest import entity

pytestmark = pytest.mark.django_db

Edit = Callable[..., Path]


def refused(path: Path) -> list[str]:
    with pytest.raises(BundleError) as info:
        load_bundle(path)
    assert not Country.objects.exists()
    assert not LegalEntity.objects.exists()
    assert not GemmaElement.objects.exists()
    assert not Provenance.objects.exists()
    assert not AuditEntry.objects.exists()
    return info.value.errors


def one_error_with(errors: list[str], *parts: str) -> None:
    assert any(all(p in e for p in parts) for e in errors), errors


def test_a_value_of_the_wrong_type_is_named_by_file_entry_and_field(bundle_copy: Edit) -> None:
    def change(data: dict[str, Any]) -> None:
        entity(data, "Microsoft Corporation")["hq"]["country"] = 12

    errors = refused(bundle_copy("entities.yaml", change))
    one_error_with(errors, "entities.yaml", "entry 1 (Microsoft Corporation)", "field 'hq.country'", "12")


def test_an_unknown_parent_is_refused(bundle_copy: Edit) -> None:
    def change(data: dict[str, Any]) -> None:
        entity(data, "Exact")["parent"]["entity"] = "Holding Nowhere B.V. (fictitious)"

    errors = refused(bundle_copy("entities.yaml", change))
    one_error_with(errors, "entities.yaml", "(Exact)", "field 'parent.entity'", "no entity named")


def test_a_cycle_in_a_control_chain_is_refused(bundle_copy: Edit) -> None:
    def change(data: dict[str, Any]) -> None:
        entity(data, "Hg")["parent"] = {"entity": "Visma Roxit", "source": "visma"}

    errors = refused(bundle_copy("entities.yaml", change))
    one_error_with(errors, "entities.yaml", "field 'parent.entity'", "cycle", "Visma Roxit → Visma → Hg")


def test_a_duplicate_key_is_refused(bundle_copy: Edit) -> None:
    def change(data: dict[str, Any]) -> None:
        data["services"].append(dict(data["services"][0]))

    errors = refused(bundle_copy("services.yaml", change))
    one_error_with(errors, "services.yaml", "(Microsoft 365)", "duplicate key")


def test_a_fact_without_a_known_source_is_refused(bundle_copy: Edit) -> None:
    def change(data: dict[str, Any]) -> None:
        entity(data, "Centric")["hq"]["source"] = "hearsay"

    errors = refused(bundle_copy("entities.yaml", change))
    one_error_with(errors, "entities.yaml", "(Centric)", "field 'hq.source'", "unknown source 'hearsay'")


def test_a_fact_without_any_source_is_refused_by_the_schema(bundle_copy: Edit) -> None:
    def change(data: dict[str, Any]) -> None:
        del entity(data, "Centric")["hq"]["source"]

    errors = refused(bundle_copy("entities.yaml", change))
    one_error_with(errors, "entities.yaml", "(Centric)", "field 'hq.source'", "is required")


def test_an_lei_needs_its_source(bundle_copy: Edit) -> None:
    def change(data: dict[str, Any]) -> None:
        del entity(data, "Microsoft Corporation")["lei_source"]

    errors = refused(bundle_copy("entities.yaml", change))
    one_error_with(errors, "entities.yaml", "(Microsoft Corporation)", "lei_source")


def test_an_unknown_country_code_is_refused(bundle_copy: Edit) -> None:
    def change(data: dict[str, Any]) -> None:
        data["laws"][0]["country"] = "XX"

    errors = refused(bundle_copy("laws.yaml", change))
    one_error_with(errors, "laws.yaml", "(US CLOUD Act)", "field 'country'", "not an ISO 3166-1")


def test_an_unknown_gemma_component_is_refused(bundle_copy: Edit) -> None:
    def change(data: dict[str, Any]) -> None:
        data["products"][0]["reference_components"] = ["Teleportatiecomponent"]

    errors = refused(bundle_copy("products.yaml", change))
    one_error_with(
        errors, "products.yaml", "(Microsoft 365)", "reference_components", "Teleportatiecomponent"
    )


def test_invalid_yaml_is_refused_with_its_line(bundle_copy: Edit) -> None:
    errors = refused(bundle_copy("laws.yaml", text="laws:\n  - code: [unclosed\n"))
    one_error_with(errors, "laws.yaml", "not valid YAML", "line")


def test_a_missing_file_is_named(bundle_copy: Edit) -> None:
    root = bundle_copy()
    (root / "alternatives.yaml").unlink()
    one_error_with(refused(root), "alternatives.yaml", "file not found")


def test_a_bad_version_in_the_manifest_is_refused(bundle_copy: Edit) -> None:
    def change(data: dict[str, Any]) -> None:
        data["version"] = "latest"

    one_error_with(refused(bundle_copy("bundle.yaml", change)), "bundle.yaml", "field 'version'")


def test_a_refusal_by_the_register_rolls_everything_back(bundle_copy: Edit) -> None:
    """Two entities named like a bundle entry without LEI: the loader cannot tell which to update."""
    for _ in range(2):
        services.register_create(actor=None, model=LegalEntity, data={"name": "Centric"})
    before = AuditEntry.objects.count()
    with pytest.raises(BundleError) as info:
        load_bundle(bundle_copy())
    one_error_with(info.value.errors, "entities.yaml", "entity 'Centric'", "several legal entities")
    assert not Country.objects.exists()
    assert LegalEntity.objects.count() == 2
    assert AuditEntry.objects.count() == before
