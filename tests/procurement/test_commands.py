"""`regie tender` as an operator uses it."""

from __future__ import annotations

import argparse
import json

import pytest

from regie.procurement import commands

from .conftest import TenderCase

pytestmark = pytest.mark.django_db


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="regie")
    commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_list_show_and_assess(case: TenderCase, capsys: pytest.CaptureFixture[str]) -> None:
    org = case.ls.a.org.code
    code, out, _ = run(capsys, "tender", "list", "--org", org, "--json")
    assert code == 0
    assert [t["reference"] for t in json.loads(out)["tenders"]] == ["T-2027-01"]
    code, out, _ = run(capsys, "tender", "show", "--org", org, "--tender", str(case.tender.pk))
    assert code == 0
    assert "T-2027-01" in out
    assert "SOV-2 ≥ 2" in out
    code, out, _ = run(capsys, "tender", "assess", "--org", org, "--tender", str(case.tender.pk), "--json")
    body = json.loads(out)
    ranked = sorted((b for b in body["bids"] if b["rank"]), key=lambda b: b["rank"])
    assert {b["bid"] for b in ranked} == {case.nl_bid.pk, case.nl2_bid.pk}
    code, out, _ = run(
        capsys,
        "tender", "assess", "--org", org, "--tender", str(case.tender.pk),
        "--weight", "price=0", "--weight", "sovereignty=100",
    )  # fmt: skip
    assert code == 0
    first = next(line for line in out.splitlines() if line.strip().startswith("#1"))
    assert f"bid {case.nl_bid.pk}:" in first
    assert "excl." in out


def test_refusals_name_what_is_wrong(case: TenderCase, capsys: pytest.CaptureFixture[str]) -> None:
    org = case.ls.a.org.code
    code, _, err = run(capsys, "tender", "show", "--org", org)
    assert code == 2
    assert "--tender ID is required" in err
    code, _, err = run(capsys, "tender", "show", "--org", org, "--tender", "999999")
    assert code == 2
    assert "no tender 999999" in err
    code, _, err = run(capsys, "tender", "list", "--org", "nope")
    assert code == 2
    assert "nope" in err
    # another organisation's tender is not found through this organisation
    code, _, err = run(capsys, "tender", "show", "--org", case.ls.b.org.code, "--tender", str(case.tender.pk))
    assert code == 2
    code, _, err = run(
        capsys, "tender", "assess", "--org", org, "--tender", str(case.tender.pk), "--weight", "price"
    )
    assert code == 2
    assert "CRITERION=NUMBER" in err
    code, _, err = run(
        capsys, "tender", "assess", "--org", org, "--tender", str(case.tender.pk), "--weight", "price=abc"
    )
    assert code == 2
    assert "weights.price: must be a number" in err
