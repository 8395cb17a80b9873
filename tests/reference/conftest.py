"""Fixtures for the reference-data tests: the shipped bundle loaded, and editable copies of it."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.db import transaction

from regie.reference.bundle import BundleReport, load_bundle
from regie.reference.reading import DEFAULT_BUNDLE


@pytest.fixture(scope="module")
def loaded_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[BundleReport]:
    """The shipped bundle loaded once per test module, inside a transaction rolled back at its end.

    Loading writes about a thousand audited records; doing it once per module keeps the suite
    fast. Each test still runs in its own savepoint (pytest-django), so tests stay independent.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_bundle()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(loaded_once: BundleReport, db: None) -> BundleReport:
    """The bundle shipped with Regie, loaded into the test database."""
    return loaded_once


@pytest.fixture
def bundle_copy(tmp_path: Path) -> Callable[..., Path]:
    """A copy of the shipped bundle; ``edit(file, change)`` changes one YAML file of it."""
    root = tmp_path / "bundle"
    shutil.copytree(DEFAULT_BUNDLE, root)

    def edit(
        filename: str | None = None, change: Callable[[Any], Any] | None = None, *, text: str = ""
    ) -> Path:
        if filename is not None:
            path = root / filename
            if text:
                path.write_text(text, encoding="utf-8")
            elif change is not None:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
                data = change(data) or data
                path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return root

    return edit


def entity(data: dict[str, Any], name: str) -> dict[str, Any]:
    """The entry of entities.yaml with this name."""
    return next(e for e in data["entities"] if e["name"] == name)
