"""The gate: rows over fewer than k organisations lose every figure."""

from __future__ import annotations

import pytest

from regie.sector.disclosure import SuppressedError, disclose, require_population


def test_rows_below_k_are_suppressed_and_keep_only_public_labels() -> None:
    rows = [{"name": "Big", "orgs": 5, "share": 0.5}, {"name": "Small", "orgs": 4, "share": 0.4}]
    out = disclose(rows, k=5, keep=("name",))
    assert out[0] == {"name": "Big", "orgs": 5, "share": 0.5, "suppressed": False}
    assert out[1] == {"name": "Small", "orgs": None, "share": None, "suppressed": True}


def test_a_row_without_a_count_is_suppressed() -> None:
    assert disclose([{"share": 1.0}], k=2)[0]["share"] is None


def test_a_population_below_k_is_refused() -> None:
    require_population(5, k=5)
    with pytest.raises(SuppressedError):
        require_population(4, k=5)
