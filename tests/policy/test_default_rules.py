"""Every rule of "Regie basis" fires on a landscape made to breach it, and not on a near twin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from regie.policy.rules import builtin_rulesets

from .land import AS_OF, Land, fired, hits

Change = Callable[[Land], None]


def _control(land: Land) -> None:
    land.services["s1"]["provider"] = "usub"  # Dutch subsidiary of a US group


def _special_in_us(land: Land) -> None:
    land.process["personal"] = "special"
    land.services["s1"]["rest"] = ["US"]


def _special_in_eu(land: Land) -> None:
    land.process["personal"] = "special"


def _access_us(confidentiality: int) -> Change:
    def change(land: Land) -> None:
        land.services["s1"]["access"] = ["US"]
        land.process["confidentiality"] = confidentiality

    return change


def _single(exit_plan: bool) -> Change:
    def change(land: Land) -> None:
        land.redundant = []
        land.required = ["U1"]
        land.exit_plans = ["U1"] if exit_plan else []

    return change


def _single_only(land: Land) -> None:
    land.redundant = []
    land.required = ["U1"]


def _slow(hours: float) -> Change:
    def change(land: Land) -> None:
        _single_only(land)
        land.services["s1"]["recovery"] = hours

    return change


def _locked(exit_plan: bool) -> Change:
    def change(land: Land) -> None:
        land.usages["U1"]["override"] = "not_substitutable"
        land.exit_plans = ["U1", "U2"] if exit_plan else ["U2"]

    return change


def _export(value: bool | None) -> Change:
    def change(land: Land) -> None:
        land.usages["U1"]["open_export"] = value
        land.products["prod1"]["open_export"] = value

    return change


def _clause(name: str, value: bool | None, amount: float | None = 100_000.0) -> Change:
    def change(land: Land) -> None:
        land.contracts["C1"]["clauses"][name] = value
        land.contracts["C1"]["value"] = amount

    return change


def _ending(decision: str | None) -> Change:
    def change(land: Land) -> None:
        land.contracts["C1"]["end"] = AS_OF + dt.timedelta(days=180)
        if decision:
            land.extra = {"renewal_decision": {"C1": decision}}

    return change


def _one_supplier_component(land: Land) -> None:
    for key in ("U1", "U2"):
        land.usages[key]["refcomp"] = "Zaaksysteem"
        land.usages[key]["product"] = "prod1"


def _five_supplier_component(land: Land) -> None:
    for i in range(5):
        land.usages[f"X{i}"] = {
            "product": f"px{i}",
            "service": None,
            "refcomp": "Archief",
            "open_export": True,
            "override": None,
        }


def _not_critical(land: Land) -> None:
    land.process["critical"] = False


def _no_spend_value(land: Land) -> None:
    land.contracts["C1"]["value"] = None


def _unknown_access(land: Land) -> None:
    land.services["s1"]["access"] = [None]


def _same(land: Land) -> None:
    return None


CASES: dict[str, tuple[Change, Change]] = {
    "JUR-01": (_control, _same),
    "JUR-02": (_special_in_us, _special_in_eu),
    "JUR-03": (_access_us(2), _access_us(1)),
    "CON-01": (_single(exit_plan=False), _single(exit_plan=True)),
    "CON-02": (_single_only, _same),
    "CON-03": (_slow(72.0), _slow(1.0)),
    "LCK-01": (_locked(exit_plan=False), _locked(exit_plan=True)),
    "LCK-02": (_export(False), _export(True)),
    "LCK-03": (_export(None), _export(True)),
    "CTR-01": (
        _clause("data_return_open_format", False),
        _clause("data_return_open_format", False, 10_000.0),
    ),
    "CTR-02": (_clause("exit_assistance", None), _clause("exit_assistance", True)),
    "CTR-03": (_clause("unilateral_change", True), _clause("unilateral_change", False)),
    "CTR-04": (_clause("price_cap", False), _clause("price_cap", True)),
    "CTR-05": (_ending(None), _ending("tender")),
    "CNC-01": (_one_supplier_component, _five_supplier_component),
    "CNC-02": (_five_supplier_component, _one_supplier_component),
    "CNC-03": (_same, _not_critical),
    "CNC-04": (_same, _no_spend_value),
    "UNK-01": (_unknown_access, _same),
}


def test_every_default_rule_has_a_case() -> None:
    assert {r.id for r in builtin_rulesets()["regie-basis"].rules} == set(CASES)


def test_the_default_rule_set_has_at_least_fifteen_rules_each_with_a_source() -> None:
    rules = builtin_rulesets()["regie-basis"].rules
    assert len(rules) >= 15
    assert all(r.source["title"].strip() for r in rules)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_on_the_breaching_landscape(rule_id: str) -> None:
    land = Land()
    CASES[rule_id][0](land)
    found = fired(land, rule_id)
    assert found, f"{rule_id} should fire"
    assert all("?" not in h.message_nl and "?" not in h.message_en for h in found)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_is_quiet_on_the_near_twin(rule_id: str) -> None:
    land = Land()
    CASES[rule_id][1](land)
    assert fired(land, rule_id) == []


def test_the_baseline_breaches_only_the_concentration_of_a_single_contract_and_process() -> None:
    assert sorted({h.rule for h in hits(Land())}) == ["regie-basis/CNC-03", "regie-basis/CNC-04"]


def test_message_names_the_evidence() -> None:
    land = Land()
    _control(land)
    (hit,) = fired(land, "JUR-01")
    assert hit.message_nl.startswith("Proces Burgerzaken heeft vertrouwelijkheid 3")
    assert "US" in hit.message_en
    assert hit.evidence["process.exposure_control"] == "exposed"


def test_tightened_threshold_makes_a_rule_fire() -> None:
    land = Land()
    _clause("data_return_open_format", False, 10_000.0)(land)
    assert hits(land, "CTR-01", {"threshold_eur": 5_000.0})
