"""`regie findings` and `regie policy` as an operator uses them."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from regie.policy import commands
from regie.policy.models import FigureSnapshot
from tests.factories import Landscape


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="regie")
    commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.django_db
def test_findings_json_lists_the_organisations_findings(
    landscape: Landscape, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "findings", "--org", landscape.a.org.code, "--json", "--lang", "en")
    assert code == 0
    data = json.loads(out)
    assert data["organisation"] == landscape.a.org.code
    rules = {f["rule"] for f in data["findings"]}
    assert "regie-basis/JUR-01" in rules
    jur = next(f for f in data["findings"] if f["rule"] == "regie-basis/JUR-01")
    assert jur["message"].startswith("Process Burgerzaken has confidentiality 3")


@pytest.mark.django_db
def test_findings_text_and_unknown_organisation(
    landscape: Landscape, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "findings", "--org", landscape.a.org.code)
    assert code == 0
    assert "FAIL" in out
    assert "JUR-01" in out
    code, _, err = run(capsys, "findings", "--org", "nope")
    assert code == 2
    assert "nope" in err


@pytest.mark.django_db
def test_snapshot_for_cron_takes_one_per_organisation_per_day(
    landscape: Landscape, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "findings", "snapshot")[0] == 0
    assert FigureSnapshot.objects.count() == 2
    code, out, _ = run(capsys, "findings", "snapshot")
    assert code == 0
    assert "0 of 2" in out


def test_policy_check_reports_file_rule_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "kader.yaml"
    bad.write_text(
        "id: k\nversion: 1\ntitle: {nl: a, en: a}\nrules:\n"
        "  - id: R1\n    subject: usage\n    severity: warn\n"
        "    condition: usage.open_exprt == 'no'\n    title: {nl: a, en: a}\n    message: {nl: a, en: a}\n"
        "    source: {title: s}\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "policy", "check", str(bad))
    assert code == 1
    assert f"{bad}:8:22: rule R1: unknown field usage.open_exprt" in err
    shipped = Path(commands.__file__).parent / "rulesets" / "regie-basis.yaml"
    code, out, _ = run(capsys, "policy", "check", str(shipped))
    assert code == 0
    assert "19 rules, ok" in out
