"""`regie bench` writes the synthetic landscape into a fresh database and loads it back."""

from __future__ import annotations

import argparse

import pytest

from regie.analysis import commands
from regie.analysis.bench import sqlite_load
from regie.core.synthetic import synthetic_columns


def test_the_synthetic_municipality_loads_back_with_every_process_and_usage(django_db_blocker) -> None:  # type: ignore[no-untyped-def]
    # the benchmark makes its own scratch database, outside the test database
    cat, cols = synthetic_columns("municipality")
    with django_db_blocker.unblock():
        result = sqlite_load(cat, cols)
    assert result["snapshot"] == {
        "orgs": 1,
        "processes": len(cols.process_keys),
        "usages": len(cols.usage_keys),
    }
    assert result["rows"]["services"] == len(cat.service_keys)
    assert result["load_s"] > 0


def test_an_unknown_scale_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["bench", "--scale", "planet"])
    assert args.func(args) == 2
    assert "unknown scale planet" in capsys.readouterr().err
