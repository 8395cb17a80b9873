"""`regie report --org CODE --format pdf|html`: writes the file, names bad input."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from regie.audit.models import AuditEntry
from regie.reports import commands

from .conftest import Reported

pytestmark = pytest.mark.django_db


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="regie")
    commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_writes_a_pdf(reported: Reported, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "rapport.pdf"
    code, out, _ = run(capsys, "report", "--org", "a", "--format", "pdf", "--output", str(target))
    assert code == 0
    assert target.read_bytes().startswith(b"%PDF")
    assert str(target) in out
    entry = AuditEntry.objects.filter(object_type="reports.report").latest("at")
    assert entry.organisation_id == reported.ls.a.org.pk
    assert entry.actor_label == "system"
    assert entry.after is not None
    assert entry.after["format"] == "pdf"


def test_writes_html_into_a_directory_with_its_own_name(
    reported: Reported, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, _ = run(
        capsys, "report", "--org", "a", "--format", "html", "--lang", "en", "--output", f"{tmp_path}/out/"
    )
    assert code == 0
    [written] = list((tmp_path / "out").iterdir())
    assert written.name.startswith("regie-a-dependency-")
    assert written.name.endswith("-en.html")
    assert "Key figures" in written.read_text()


def test_bad_input_is_named(reported: Reported, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "report", "--org", "nope", "--output", str(tmp_path / "x.pdf"))
    assert code == 2
    assert "nope" in err
    code, _out, err = run(capsys, "report", "--org", "a", "--kind", "procurement")
    assert code == 2
    assert "--tender" in err
    code, _out, err = run(capsys, "report", "--org", "a", "--kind", "procurement", "--tender", "999999")
    assert code == 2
    assert "999999" in err
    assert not (tmp_path / "x.pdf").exists()
