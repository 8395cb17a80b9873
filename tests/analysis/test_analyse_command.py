"""`regie analyse --org CODE [--json]` on a small register whose figures are worked out by hand
(see tests/analysis/registers.py)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from regie.analysis import commands
from tests.analysis.registers import SmallRegister, make_small_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def small() -> SmallRegister:
    return make_small_register()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="regie")
    commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_hand_worked_figures(small: SmallRegister, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "analyse", "--org", "t1", "--json")
    assert code == 0
    data = json.loads(out)
    f = data["figures"]
    holding, hosting = small.holding.pk, small.hosting.pk
    assert f["processes"] == 2
    assert f["critical_processes"] == 1
    assert f["usages"] == 2
    # Vergunningen: controlled from the US through the Irish subsidiary's parent; support from the US.
    assert f["exposure.control.exposed"] == 1
    assert f["exposure.control.none"] == 1
    assert f["exposure.access.exposed"] == 1
    assert f["exposure.location.none"] == 2
    # the one critical process relies on the Cloud Holdings group only
    assert f[f"reliance.{holding}"] == 1.0
    assert f"reliance.{hosting}" not in f
    # spend 90,000 + 10,000: shares 0.9 and 0.1, HHI 90^2 + 10^2
    assert f["spend.total"] == 100_000
    assert f["spend.hhi"] == pytest.approx(8_200)
    # a failing Cloud Holdings stops Vergunningen: availability 3 x urgency 3 (MTD 4 h)
    assert f[f"blast.{holding}.impact"] == 9
    assert f[f"blast.{hosting}.impact"] == 6  # availability 2 x urgency 3 (MTD unknown)
    assert f["spof.count"] == 2  # the application Zaken and the service Zaak Cloud
    assert f["spof.critical_processes"] == 1
    # 10 % on the uncapped 90,000; no alternatives and unknown exit terms: not substitutable
    assert f["price.rise_cost"] == pytest.approx(9_000)
    assert f["price.inescapable"] == pytest.approx(9_000)
    assert f["lockin.not_substitutable"] == 2


def test_text_shows_every_section_in_dutch(small: SmallRegister, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "analyse", "--org", "t1", "--lang", "nl")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Analyse van Testgemeente t1 (t1)"
    # exposure by jurisdiction: the US, outside the trusted set, for control and access
    us_row = next(line for line in lines if line.startswith("US "))
    assert us_row.split()[-5:] == ["*", "1", "0", "1", "-"]  # control, location, access; no laws known
    assert "Cloud Holdings Inc." in out
    assert "Vergunningen → Zaken → Zaak Cloud" in out  # a single point of failure, with its path
    assert "HHI van de uitgaven: 8\N{NARROW NO-BREAK SPACE}200 (sterk geconcentreerd)" in out
    assert "EUR 9\N{NARROW NO-BREAK SPACE}000" in out
    # the concentration per service kind names the kind, not its code
    assert "HHI SaaS: 5\N{NARROW NO-BREAK SPACE}000 (sterk geconcentreerd)" in out
    assert "HHI saas" not in out


def test_text_in_english(small: SmallRegister, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "analyse", "--org", "t1", "--lang", "en")
    assert code == 0
    assert out.startswith("Analysis of Testgemeente t1 (t1)")
    assert "HHI of spend: 8\N{NARROW NO-BREAK SPACE}200 (highly concentrated)" in out
    assert "Exposure by jurisdiction" in out


def test_unknown_code_is_a_clear_error(small: SmallRegister, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "analyse", "--org", "nope")
    assert code == 2
    assert out == ""
    assert "No organisation with code 'nope'" in err
    assert "t1" in err  # the known codes are listed


def test_regie_command_reports_an_unknown_code_without_traceback(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "regie.cli",
            "analyse",
            "--org",
            "gm9999",
            "--db",
            str(tmp_path / "r.sqlite3"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "No organisation with code 'gm9999'" in result.stderr
    assert "Traceback" not in result.stderr
