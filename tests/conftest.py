"""Fixtures shared by every Django test: organisations, users with roles, a small catalogue."""

from __future__ import annotations

import pytest

from tests.factories import Landscape, make_landscape, make_user


@pytest.fixture
def landscape(db: None) -> Landscape:
    """Two organisations (A and B) with users of every role and a small landscape each."""
    return make_landscape()


@pytest.fixture
def superuser(db: None):  # type: ignore[no-untyped-def]
    return make_user("root", superuser=True)


@pytest.fixture(autouse=True)
def _no_cached_analyses() -> None:
    """Analyses are cached per process (regie.analysis.cache); test databases reuse ids after a
    rollback, so every test starts without them."""
    import sys

    cache = sys.modules.get("regie.analysis.cache")
    if cache is not None:
        cache.clear()
    kept = sys.modules.get("regie.api.representations")  # rendered representations (ADR 0125)
    if kept is not None:
        kept.clear()
    tokens = sys.modules.get("regie.api.tokens")
    if tokens is not None:
        tokens.forget_principals()
