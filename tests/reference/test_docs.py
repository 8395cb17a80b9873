"""docs/reference-data.md documents every public function of the reference app that others call."""

from __future__ import annotations

from pathlib import Path

import pytest

from regie.reference import bundle, impact, selectors, services

DOC = Path(__file__).resolve().parents[2] / "docs" / "reference-data.md"


@pytest.mark.parametrize(
    "name",
    [
        *(f.__name__ for f in (bundle.load_bundle, impact.affected_organisations)),
        *(f.__name__ for f in (selectors.stale_facts, selectors.unverified_facts, selectors.effective_fact)),
        *(f.__name__ for f in (selectors.overrides_of, selectors.overrides_for_snapshot)),
        *(f.__name__ for f in (services.override_set, services.override_remove)),
        "FactRef",
        "BundleReport",
        "REGIE_STALE_AFTER_DAYS",
        "regie reference update",
    ],
)
def test_the_reference_documentation_names(name: str) -> None:
    assert name in DOC.read_text(encoding="utf-8")
