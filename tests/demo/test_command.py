"""``regie demo`` refuses foreign databases and never builds the demo twice."""

from __future__ import annotations

import argparse

import pytest

from regie.demo.commands import cmd_demo, register
from regie.register import services
from regie.register.models import Organisation


def _args(**overrides: object) -> argparse.Namespace:
    values: dict[str, object] = {"seed": None, "rebuild": False, "force": False}
    values.update(overrides)
    return argparse.Namespace(**values)


def test_demo_subcommand_is_registered_with_its_options() -> None:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["demo", "--seed", "7", "--rebuild", "--force"])
    assert (args.seed, args.rebuild, args.force, args.func) == (7, True, True, cmd_demo)


def test_demo_refuses_a_database_with_organisations_it_did_not_make(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    services.register_create(
        actor=None, model=Organisation, data={"name": "Gemeente Echt", "code": "echt", "kind": "municipality"}
    )
    assert cmd_demo(_args()) == 2
    assert "Gemeente Echt" in capsys.readouterr().err
    assert Organisation.objects.count() == 1


def test_demo_says_so_when_the_demo_is_there_already(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    services.register_create(
        actor=None,
        model=Organisation,
        data={"name": "Gemeente Voorbeeld", "code": "gm9999", "kind": "municipality"},
    )
    assert cmd_demo(_args()) == 0
    out = capsys.readouterr().out
    assert "already" in out
    assert "regie-demo" in out
    assert Organisation.objects.count() == 1
