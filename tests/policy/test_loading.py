"""Loading rule sets: every mistake is reported with file, rule id and line/column."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from regie.policy.cel import CelError, compile_condition
from regie.policy.rules import PolicyLoadError, load_ruleset, parse_ruleset

GOOD_RULE = """\
  - id: R-1
    subject: process
    severity: warn
    condition: process.confidentiality >= 3
    title: {nl: Titel, en: Title}
    message: {nl: "Proces {process.name}", en: "Process {process.name}"}
    source: {title: Bron}
"""


def ruleset(rules: str) -> str:
    return "id: test\nversion: 1\ntitle: {nl: Test, en: Test}\nrules:\n" + rules


def error(text: str) -> PolicyLoadError:
    with pytest.raises(PolicyLoadError) as info:
        parse_ruleset(text, "kader.yaml")
    return info.value


def test_a_good_rule_set_loads() -> None:
    rs = parse_ruleset(ruleset(GOOD_RULE), "kader.yaml")
    assert [r.qualified_id for r in rs.rules] == ["test/R-1"]


def test_unknown_field_in_condition_names_file_rule_line_and_column() -> None:
    err = error(ruleset(GOOD_RULE.replace("process.confidentiality", "process.confidentialty")))
    assert (err.file, err.rule, err.line, err.column) == ("kader.yaml", "R-1", 8, 24)
    assert "unknown field process.confidentialty" in str(err)
    assert str(err).startswith("kader.yaml:8:24: rule R-1: ")


def test_cel_syntax_error_is_placed_inside_the_condition() -> None:
    err = error(ruleset(GOOD_RULE.replace("process.confidentiality >= 3", "process.confidentiality >=")))
    assert err.rule == "R-1"
    assert err.line == 8
    assert "CEL syntax error" in err.message


def test_condition_in_a_block_scalar_reports_the_line_of_the_mistake() -> None:
    rule = GOOD_RULE.replace(
        "condition: process.confidentiality >= 3",
        "condition: |\n      process.confidentiality >= 3 &&\n      process.nope == 1",
    )
    err = error(ruleset(rule))
    assert (err.rule, err.line) == ("R-1", 10)


def test_broken_yaml_reports_line_and_column() -> None:
    err = error(ruleset(GOOD_RULE + "  - id: [unclosed\n"))
    assert err.file == "kader.yaml"
    assert err.line == 13
    assert "not valid YAML" in err.message


def test_missing_key_unknown_key_and_bad_values_are_named() -> None:
    assert "lacks 'source'" in error(ruleset(GOOD_RULE.replace("    source: {title: Bron}\n", ""))).message
    assert "unknown key 'sevrity'" in error(ruleset(GOOD_RULE.replace("severity", "sevrity"))).message
    err = error(ruleset(GOOD_RULE.replace("severity: warn", "severity: fatal")))
    assert (err.rule, err.line, err.column) == ("R-1", 7, 15)


def test_unknown_placeholder_and_duplicate_rule_are_refused() -> None:
    err = error(ruleset(GOOD_RULE.replace('"Process {process.name}"', '"Process {process.naam}"')))
    assert "placeholder {process.naam}" in err.message
    err = error(ruleset(GOOD_RULE + GOOD_RULE))
    assert "duplicate rule id" in err.message
    assert err.line == 12


def test_parameters_must_declare_how_to_tighten() -> None:
    rule = GOOD_RULE.replace(
        "    condition:", "    parameters:\n      x: {default: 1, tighten: up}\n    condition:"
    )
    err = error(ruleset(rule))
    assert "tighten must be lower or higher" in err.message
    assert err.rule == "R-1"


def test_unknown_organisation_kind_and_misplaced_criticality() -> None:
    err = error(
        ruleset(
            GOOD_RULE.replace("    condition:", "    scope: {organisation_kinds: [gemeente]}\n    condition:")
        )
    )
    assert "unknown organisation kind 'gemeente'" in err.message
    rule = GOOD_RULE.replace("subject: process", "subject: contract").replace("process.", "contract.")
    rule = rule.replace("contract.confidentiality >= 3", "contract.value > 1")
    rule = rule.replace("    condition:", "    scope: {criticality: critical}\n    condition:")
    assert "criticality applies to process and usage" in error(ruleset(rule)).message


def test_load_from_a_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "eigen.yaml"
    path.write_text(ruleset(GOOD_RULE.replace(">= 3", ">= params.x")), encoding="utf-8")
    with pytest.raises(PolicyLoadError) as info:
        load_ruleset(path)
    assert info.value.file == str(path)
    assert "unknown field params.x" in info.value.message


def test_python_is_never_evaluated() -> None:
    with pytest.raises(CelError):
        compile_condition("__import__('os').system('true')", {"process": frozenset({"name"})})


CONDITIONS = [
    'p.a >= 2 && p.s in ["x", "y"]',
    "!(p.b) || p.a * 2 - 1 > 3",
    'p.s == "x" ? p.a > 1 : p.a > 2',
    "size(p.s) == 1 && -p.a < 0",
    'p.a % 2 == 0 || p.f / 2.0 >= 1.5 && p.s != "z"',
]


@pytest.mark.parametrize("text", CONDITIONS)
def test_column_evaluation_agrees_with_cel_python(text: str) -> None:
    known = {"p": frozenset({"a", "b", "s", "f"})}
    cond = compile_condition(text, known)
    rows = [
        {"a": a, "b": b, "s": s, "f": f}
        for a in (0, 1, 2, 3, 4)
        for b in (True, False)
        for s in ("x", "y", "z")
        for f in (1.0, 3.5)
    ]
    cols = {
        "p": {
            "a": np.array([r["a"] for r in rows]),
            "b": np.array([r["b"] for r in rows]),
            "s": np.array([r["s"] for r in rows], dtype=object),
            "f": np.array([r["f"] for r in rows]),
        }
    }
    vector = cond.evaluate(cols, len(rows)).tolist()
    assert vector == [cond.evaluate_one({"p": r}) for r in rows]


def test_the_shipped_rule_file_is_documented() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "policy.md"
    text = docs.read_text(encoding="utf-8")
    from regie.policy.rules import builtin_rulesets

    for rule in builtin_rulesets()["regie-basis"].rules:
        assert f"`{rule.id}`" in text, f"{rule.id} is not in docs/policy.md"


def test_dedent_helper_is_not_needed_for_flow_style() -> None:
    # A rule written in flow style loads just as well.
    flow = textwrap.dedent(
        """\
        - {id: F-1, subject: usage, severity: info, condition: 'usage.open_export == "no"',
           title: {nl: a, en: a}, message: {nl: b, en: b}, source: {title: c}}
        """
    )
    rs = parse_ruleset(ruleset(textwrap.indent(flow, "  ")), "flow.yaml")
    assert rs.rules[0].subject == "usage"
