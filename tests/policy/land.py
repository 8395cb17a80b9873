"""A small, editable landscape for rule tests, compiled through the engine's builder (no database).

The baseline: one municipality with a critical process (availability 3, confidentiality 3)
that needs either of two usages (fail-over), each on its own European provider, each with an
exit plan, and one well-drafted contract. Tests change one thing and see which rules fire.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from regie.core.analysis import AnalysisOptions, analyse
from regie.core.builder import SnapshotBuilder
from regie.policy.context import build_context
from regie.policy.evaluate import AppliedRule, Hit, evaluate
from regie.policy.rules import Rule, builtin_rulesets

AS_OF = dt.date(2026, 6, 1)
EU = frozenset({"NL", "DE", "IE", "FR", "BE"})


def _entity(country: str, parent: str | None = None) -> dict[str, Any]:
    return {"country": country, "parent": parent}


@dataclass
class Land:
    entities: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {
            "eu1": _entity("NL"),
            "eu2": _entity("DE"),
            "usco": _entity("US"),
            "usub": _entity("NL", "usco"),
            **{f"sup{i}": _entity("FR") for i in range(5)},
        }
    )
    products: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {
            "prod1": {"supplier": "eu1", "open_export": True, "alternatives": 2},
            "prod2": {"supplier": "eu2", "open_export": True, "alternatives": 2},
            **{f"px{i}": {"supplier": f"sup{i}", "open_export": True, "alternatives": 2} for i in range(5)},
        }
    )
    services: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {
            "s1": {"provider": "eu1", "product": "prod1", "rest": ["NL"], "access": ["NL"], "recovery": 1.0},
            "s2": {"provider": "eu2", "product": "prod2", "rest": ["DE"], "access": ["DE"], "recovery": 1.0},
        }
    )
    process: dict[str, Any] = field(
        default_factory=lambda: {
            "availability": 3,
            "integrity": 2,
            "confidentiality": 3,
            "critical": True,
            "mtd": 24.0,
            "rto": 4.0,
            "personal": "personal",
        }
    )
    usages: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {
            "U1": {
                "product": "prod1",
                "service": "s1",
                "refcomp": None,
                "open_export": None,
                "override": None,
            },
            "U2": {
                "product": "prod2",
                "service": "s2",
                "refcomp": None,
                "open_export": None,
                "override": None,
            },
        }
    )
    required: list[str] = field(default_factory=list)  # usages the process needs on their own
    redundant: list[str] = field(default_factory=lambda: ["U1", "U2"])  # needs any one of these
    exit_plans: list[str] = field(default_factory=lambda: ["U1", "U2"])
    contracts: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {
            "C1": {
                "counterparty": "eu1",
                "value": 100_000.0,
                "end": dt.date(2029, 12, 31),
                "clauses": {
                    "exit_assistance": True,
                    "data_return_open_format": True,
                    "price_cap": True,
                    "unilateral_change": False,
                },
            }
        }
    )
    extra: dict[str, dict[Any, Any]] = field(default_factory=dict)

    def copy(self) -> Land:
        return copy.deepcopy(self)

    def build(self) -> Any:
        b = SnapshotBuilder()
        for code in ("NL", "DE", "IE", "FR", "BE"):
            b.add_country(code, name=code, eu=True, eea=True, adequacy=True)
        for code in ("US", "CN"):
            b.add_country(code, name=code, eu=False, eea=False, adequacy=code == "US")
        for key, e in self.entities.items():
            b.add_entity(
                key,
                name=f"Entity {key}",
                hq_country=e["country"],
                hq_fact=None,
                reg_country=e["country"],
                reg_fact=None,
                parent=e["parent"],
                parent_state="known" if e["parent"] else "none",
                parent_fact=None,
            )
        for key, p in self.products.items():
            b.add_product(
                key,
                name=f"Product {key}",
                supplier=p["supplier"],
                open_source=False,
                open_export=p["open_export"],
                reference_components=[],
                has_alternatives=p["alternatives"],
            )
        for key, s in self.services.items():
            locs = {
                "rest": [(c, None) for c in s["rest"]],
                "processing": [(c, None) for c in s["rest"]],
                "access": [(c, None) for c in s["access"]],
            }
            b.add_service(
                key,
                name=f"Service {key}",
                provider=s["provider"],
                kind="saas",
                product=s["product"],
                locations=locs,
                recovery_hours=s["recovery"],
            )
        b.add_organisation("O", code="GM0001", name="Gemeente Test", kind="municipality", trusted=EU)
        p = self.process
        b.add_process(
            "P",
            org="O",
            name="Burgerzaken",
            availability=p["availability"],
            integrity=p["integrity"],
            confidentiality=p["confidentiality"],
            critical=p["critical"],
            mtd_hours=p["mtd"],
            rto_hours=p["rto"],
            personal_data=p["personal"],
        )
        for key, u in self.usages.items():
            b.add_usage(
                key,
                org="O",
                name=f"Usage {key}",
                product=u["product"],
                reference_component=u["refcomp"],
                status="production",
                substitutability_override=u["override"],
                override_justification="test" if u["override"] else None,
                open_export=u["open_export"],
                data_volume_gb=1.0,
            )
            if u.get("service"):
                b.add_dependency(
                    org="O", source=("usage", key), target=("service", u["service"]), kind="runs_on"
                )
        if self.redundant:
            b.add_redundancy_group("G", org="O", k=1)
        for key in self.redundant:
            b.add_dependency(
                org="O", source=("process", "P"), target=("usage", key), kind="requires", group="G"
            )
        for key in self.required:
            b.add_dependency(org="O", source=("process", "P"), target=("usage", key), kind="requires")
        for key in self.exit_plans:
            b.add_exit_plan(org="O", usage=key)
        for key, c in self.contracts.items():
            b.add_contract(
                key,
                org="O",
                counterparty=c["counterparty"],
                annual_value=c["value"],
                start=dt.date(2025, 1, 1),
                end=c["end"],
                notice_days=90,
                clauses=c["clauses"],
                usages=["U1"],
                services=[],
            )
        return b.build()


def rule(rule_id: str) -> Rule:
    return builtin_rulesets()["regie-basis"].rule(rule_id)


def hits(land: Land, rule_id: str | None = None, params: dict[str, float] | None = None) -> list[Hit]:
    snap = land.build()
    analysis = analyse(snap, ["O"], AnalysisOptions(as_of=AS_OF))
    ctx = build_context(analysis, as_of=AS_OF, extra=land.extra)
    rules = [rule(rule_id)] if rule_id else list(builtin_rulesets()["regie-basis"].rules)
    applied = [
        AppliedRule(r, {k: p.default for k, p in r.parameters.items()} | (params or {})) for r in rules
    ]
    return evaluate(ctx, applied)


def fired(land: Land, rule_id: str) -> list[Hit]:
    return [h for h in hits(land, rule_id) if h.rule == f"regie-basis/{rule_id}"]
