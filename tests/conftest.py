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
