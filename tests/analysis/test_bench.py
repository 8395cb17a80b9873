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


@pytest.mark.django_db(transaction=True)
def test_control_chains_written_without_triggers_are_filled_in_as_the_triggers_keep_them() -> None:
    from django.db import connection

    from regie.analysis.bench import FILL_CONTROL_CHAINS, write_catalogue
    from regie.register.models import LegalEntity, LegalEntityAncestor

    cat, _ = synthetic_columns("municipality")
    write_catalogue("default", cat)

    def chains() -> set[tuple[int, int, int]]:
        return set(LegalEntityAncestor.objects.values_list("descendant_id", "ancestor_id", "depth"))

    kept = chains()  # written by the triggers, row by row
    assert LegalEntity.objects.filter(parent__parent__isnull=False).exists()  # chains deeper than one
    assert max(depth for _, _, depth in kept) > 1
    LegalEntityAncestor.objects.all().delete()  # as after writes with the triggers off
    with connection.cursor() as cursor:
        cursor.execute(FILL_CONTROL_CHAINS)
    assert chains() == kept
    with connection.cursor() as cursor:
        cursor.execute(FILL_CONTROL_CHAINS)  # nothing twice
    assert chains() == kept


@pytest.mark.django_db(transaction=True)
def test_the_whole_register_reads_the_same_with_the_dependencies_on_a_second_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On PostgreSQL a whole-register load outside a transaction reads the dependencies on a
    second connection in the first one's exported snapshot; the columns are those of one
    connection. (On SQLite there is one connection: the option is ignored.)"""
    import dataclasses

    import numpy as np
    from django.db import connection

    from regie.analysis import orgload
    from regie.analysis.adapter import compile_catalogue
    from regie.analysis.bench import write_catalogue, write_organisations

    cat, cols = synthetic_columns("municipality")
    write_catalogue("default", cat)
    write_organisations("default", cols)
    catalogue = compile_catalogue()
    joined: list[str] = []
    read_in_snapshot = orgload._read_in_snapshot

    def counted(using: str, snapshot_id: str, *args: object) -> object:
        joined.append(snapshot_id)
        return read_in_snapshot(using, snapshot_id, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(orgload, "_read_in_snapshot", counted)
    one = orgload.org_columns(catalogue, side_connection=False)
    assert joined == []
    two = orgload.org_columns(catalogue)  # the default: the whole register, no transaction
    assert len(joined) == (1 if connection.vendor == "postgresql" else 0)
    assert len(one.dep_src) > 100
    for field in dataclasses.fields(one):
        a, b = getattr(one, field.name), getattr(two, field.name)
        if isinstance(a, np.ndarray):
            assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), field.name
        else:
            assert a == b, field.name
    assert connection.in_atomic_block is False  # the snapshot's transaction has ended
