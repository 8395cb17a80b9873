"""An organisation's own framework: which rule sets apply and with which thresholds.

* "Regie basis" applies to every organisation unless the organisation switched it off.
* A group of organisations (a kind, a province, the members of a joint arrangement) can adopt
  a rule set; it applies to every member and a member cannot switch it off.
* Thresholds can only be tightened: the effective value is the tightest of the rule's default,
  every group adoption and the organisation's own adoption.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from regie.register.models import Organisation

from .evaluate import AppliedRule
from .models import PolicyAdoption
from .rules import Parameter, Rule, RuleSet, builtin_rulesets

__all__ = ["DEFAULT_RULESET", "Framework", "adoptions_for", "framework_for", "validate_parameters"]

DEFAULT_RULESET = "regie-basis"


@dataclass(frozen=True)
class Framework:
    """What applies to one organisation: rule sets (with where they come from) and rules."""

    rulesets: tuple[tuple[RuleSet, str], ...]  # (rule set, "default" | "own" | group description)
    applied: tuple[AppliedRule, ...]
    tightened: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # rule -> param -> value


def adoptions_for(organisation: Organisation) -> list[PolicyAdoption]:
    """Every adoption that concerns the organisation: its own and its groups'."""
    groups = Q(organisation_kind=organisation.kind)
    if organisation.province:
        groups |= Q(province=organisation.province)
    joint = list(organisation.joint_arrangements.values_list("pk", flat=True))
    if joint:
        groups |= Q(joint_arrangement__in=joint)
    return list(
        PolicyAdoption.objects.filter(Q(organisation=organisation) | (Q(organisation__isnull=True) & groups))
        .select_related("organisation", "joint_arrangement")
        .order_by("pk")
    )


def _tightest(param: Parameter, values: Iterable[float]) -> float:
    best: float = param.default
    for v in values:
        if param.is_tighter_or_equal(v, best):
            best = v
    return best


def framework_for(organisation: Organisation, rulesets: Mapping[str, RuleSet] | None = None) -> Framework:
    known = rulesets if rulesets is not None else builtin_rulesets()
    adoptions = adoptions_for(organisation)
    own = {a.ruleset: a for a in adoptions if a.organisation_id == organisation.pk}
    chosen: dict[str, str] = {}
    if DEFAULT_RULESET in known and (DEFAULT_RULESET not in own or own[DEFAULT_RULESET].active):
        chosen[DEFAULT_RULESET] = "default"
    for a in adoptions:
        if a.ruleset not in known or not a.active:
            continue
        if a.organisation_id == organisation.pk:
            chosen.setdefault(a.ruleset, "own")
        else:
            chosen[a.ruleset] = a.audience
    applied: list[AppliedRule] = []
    tightened: dict[str, dict[str, float]] = {}
    for rsid in chosen:
        for rule in known[rsid].rules:
            values: dict[str, float] = {}
            for name, param in rule.parameters.items():
                candidates = [
                    float(a.parameters[rule.id][name])
                    for a in adoptions
                    if a.ruleset == rsid and a.active and name in (a.parameters or {}).get(rule.id, {})
                ]
                values[name] = _tightest(param, candidates)
                if values[name] != param.default:
                    tightened.setdefault(rule.qualified_id, {})[name] = values[name]
            applied.append(AppliedRule(rule, values))
    return Framework(
        rulesets=tuple((known[r], src) for r, src in chosen.items()),
        applied=tuple(applied),
        tightened=tightened,
    )


def validate_parameters(
    ruleset: RuleSet, parameters: Mapping[str, Mapping[str, Any]], floor: Mapping[str, Mapping[str, float]]
) -> dict[str, dict[str, float]]:
    """Check tightened thresholds: known rule and parameter, a number, not looser than the
    default nor than ``floor`` (what groups already set). Returns them as floats."""
    out: dict[str, dict[str, float]] = {}
    errors: list[str] = []
    for rule_id, params in parameters.items():
        try:
            rule: Rule = ruleset.rule(rule_id)
        except KeyError:
            errors.append(f"{rule_id}: no such rule in {ruleset.id}")
            continue
        for name, raw in params.items():
            param = rule.parameters.get(name)
            if param is None:
                errors.append(f"{rule_id}: no parameter {name!r}")
                continue
            try:
                value = float(raw)
            except (TypeError, ValueError):
                errors.append(f"{rule_id}.{name}: {raw!r} is not a number")
                continue
            limit = floor.get(rule_id, {}).get(name, param.default)
            if not param.is_tighter_or_equal(value, param.default) or not param.is_tighter_or_equal(
                value, limit
            ):
                way = "higher" if param.tighten == "lower" else "lower"
                errors.append(
                    f"{rule_id}.{name}: {value:g} would loosen the rule (may not be {way} than {limit:g})"
                )
                continue
            out.setdefault(rule_id, {})[name] = value
    if errors:
        raise ValidationError({"parameters": errors})
    return out
