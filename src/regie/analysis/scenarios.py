"""Scenarios of one organisation: changes as plain data (API bodies, form posts) turned into the
engine's scenario changes, checked against what the organisation may refer to, run as an overlay
on its snapshot (never on the register), and every figure compared before and after.

A change is a mapping with a ``kind`` and lowerCamelCase fields (keys are register ids):

* ``replaceService``: ``old``, ``new`` (service ids) — wherever the organisation's chains use it
* ``replaceProduct``: ``old``, ``new`` (product ids)
* ``moveData``: ``service``, ``country`` (ISO code), optional ``roles`` (rest, processing, access)
* ``addRedundantProvider``: ``usage``, ``alongside`` (the service it runs on), ``service``, ``k``
* ``acquisition``: ``entity``, ``newParent`` (an entity id) or ``newParentName`` and ``newParentCountry``
* ``priceRise``: ``percent``, optional ``groups`` (entity ids)
* ``failure``: any of ``services``, ``groups``, ``products`` (ids), ``dataCountries``,
  ``controlledFrom`` (ISO codes) — a failure or cut-off, propagated before and after the others
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from regie.core.analysis import Analysis, AnalysisOptions
from regie.core.continuity import Failure
from regie.core.facts import LOCATION_ROLES
from regie.core.scenarios import (
    Acquisition,
    AddRedundantProvider,
    Change,
    FailureProbe,
    MoveData,
    PriceRise,
    ReplaceProduct,
    ReplaceService,
    Scenario,
    ScenarioResult,
    run_scenario,
)
from regie.core.snapshot import Snapshot
from regie.register.models import Organisation

from .labels import figure_label
from .selectors import snapshot_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.accounts.models import User


class ScenarioError(ValueError):
    """A change that cannot be applied; ``field`` names the offending property."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def _int(change: Mapping[str, Any], name: str, where: str) -> int:
    value = change.get(name)
    if isinstance(value, bool) or value is None:
        raise ScenarioError(f"{where}.{name}", "required")
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise ScenarioError(f"{where}.{name}", "must be an id") from exc


def _ints(change: Mapping[str, Any], name: str, where: str) -> tuple[int, ...]:
    values = change.get(name) or []
    if not isinstance(values, list | tuple):
        raise ScenarioError(f"{where}.{name}", "must be a list of ids")
    return tuple(_int({name: v}, name, where) for v in values)


def _codes(change: Mapping[str, Any], name: str, where: str) -> tuple[str, ...]:
    values = change.get(name) or []
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) and len(v) == 2 for v in values):
        raise ScenarioError(f"{where}.{name}", "must be a list of ISO country codes")
    return tuple(v.upper() for v in values)


def _number(change: Mapping[str, Any], name: str, where: str, default: float | None = None) -> float:
    value = change.get(name, default)
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ScenarioError(f"{where}.{name}", "must be a number") from exc
    if math.isnan(number) or number < 0 or number > 1000:
        raise ScenarioError(f"{where}.{name}", "must be between 0 and 1000")
    return number


def _replace_service(c: Mapping[str, Any], where: str) -> Change:
    return ReplaceService(_int(c, "old", where), _int(c, "new", where))


def _replace_product(c: Mapping[str, Any], where: str) -> Change:
    return ReplaceProduct(_int(c, "old", where), _int(c, "new", where))


def _move_data(c: Mapping[str, Any], where: str) -> Change:
    roles = tuple(c.get("roles") or ("rest", "processing"))
    if not set(roles) <= set(LOCATION_ROLES):
        raise ScenarioError(f"{where}.roles", f"roles are {', '.join(LOCATION_ROLES)}")
    (country,) = _codes({"country": [c.get("country") or ""]}, "country", where)
    return MoveData(_int(c, "service", where), country, roles)


def _add_redundant(c: Mapping[str, Any], where: str) -> Change:
    k = int(_number(c, "k", where, 1))
    if k < 1:
        raise ScenarioError(f"{where}.k", "must be at least 1")
    return AddRedundantProvider(
        org=None,
        usage=_int(c, "usage", where),
        alongside=_int(c, "alongside", where),
        service=_int(c, "service", where),
        k=k,
    )


def _acquisition(c: Mapping[str, Any], where: str) -> Change:
    entity = _int(c, "entity", where)
    if c.get("newParent") not in (None, ""):
        return Acquisition(entity, _int(c, "newParent", where))
    name = str(c.get("newParentName") or "").strip()
    if not name:
        raise ScenarioError(f"{where}.newParent", "give an entity id, or newParentName and newParentCountry")
    (country,) = _codes({"newParentCountry": [c.get("newParentCountry") or ""]}, "newParentCountry", where)
    return Acquisition(entity, ("new", name), country=country, name=name)


def _price_rise(c: Mapping[str, Any], where: str) -> Change:
    groups = _ints(c, "groups", where)
    return PriceRise(_number(c, "percent", where), frozenset(groups) if groups else None)


def _failure(c: Mapping[str, Any], where: str) -> Change:
    failure = Failure(
        services=_ints(c, "services", where),
        groups=_ints(c, "groups", where),
        products=_ints(c, "products", where),
        data_countries=_codes(c, "dataCountries", where),
        controlled_from=_codes(c, "controlledFrom", where),
    )
    if not any(failure.__dict__.values()):
        raise ScenarioError(where, "name at least one service, group, product or country")
    return FailureProbe(failure)


_PARSERS: dict[str, Callable[[Mapping[str, Any], str], Change]] = {
    "replaceService": _replace_service,
    "replaceProduct": _replace_product,
    "moveData": _move_data,
    "addRedundantProvider": _add_redundant,
    "acquisition": _acquisition,
    "priceRise": _price_rise,
    "failure": _failure,
}
KINDS: tuple[str, ...] = tuple(_PARSERS)


def parse_change(change: Mapping[str, Any], where: str = "changes[0]") -> Change:
    """One engine change from its plain form (structure only; references are checked later)."""
    parser = _PARSERS.get(str(change.get("kind")))
    if parser is None:
        raise ScenarioError(f"{where}.kind", f"one of {', '.join(KINDS)}")
    return parser(change, where)


def parse_changes(changes: Sequence[Mapping[str, Any]]) -> list[Change]:
    return [parse_change(c, f"changes[{i}]") for i, c in enumerate(changes)]


def _references(c: Change) -> list[tuple[str, str, object]]:  # noqa: PLR0911 - one per kind
    """(field, table, key) of every reference a change makes."""
    if isinstance(c, ReplaceService):
        return [("old", "service", c.old), ("new", "service", c.new)]
    if isinstance(c, ReplaceProduct):
        return [("old", "product", c.old), ("new", "product", c.new)]
    if isinstance(c, MoveData):
        return [("service", "service", c.service), ("country", "country", c.country)]
    if isinstance(c, AddRedundantProvider):
        return [
            ("usage", "usage", c.usage),
            ("alongside", "service", c.alongside),
            ("service", "service", c.service),
        ]
    if isinstance(c, Acquisition):
        parent = (
            ("newParentCountry", "country", c.country) if c.country else ("newParent", "entity", c.new_parent)
        )
        return [("entity", "entity", c.entity), parent]
    if isinstance(c, FailureProbe):
        f = c.failure
        return [
            *(("services", "service", s) for s in f.services),
            *(("groups", "entity", g) for g in f.groups),
            *(("products", "product", p) for p in f.products),
        ]
    return [("groups", "entity", g) for g in c.groups or ()]  # PriceRise


_WHAT = {
    "service": "service",
    "product": "product",
    "entity": "legal entity",
    "country": "country",
    "usage": "application of this organisation",
}


def _check(snap: Snapshot, org: Organisation, changes: Sequence[Change]) -> list[Change]:
    """Every reference must exist; usages must be the organisation's own."""
    cat = snap.catalogue
    tables: dict[str, Mapping[Any, int]] = {
        "service": cat.service_index,
        "product": cat.product_index,
        "entity": cat.entity_index,
        "country": cat.country_index,
        "usage": snap.usage_index,
    }
    out: list[Change] = []
    for i, c in enumerate(changes):
        for field, table, key in _references(c):
            if key not in tables[table]:
                raise ScenarioError(f"changes[{i}].{field}", f"no such {_WHAT[table]}")
        if isinstance(c, AddRedundantProvider):
            out.append(AddRedundantProvider(org.pk, c.usage, c.alongside, c.service, c.k))
        else:
            out.append(c)
    return out


@dataclass(frozen=True)
class FigureRow:
    name: str
    label: str
    before: float | None
    after: float | None
    delta: float | None

    @property
    def changed(self) -> bool:
        return self.delta is not None and self.delta != 0


@dataclass(frozen=True, eq=False)
class ScenarioOutcome:
    """What a scenario changes: every figure before and after, changed figures first."""

    organisation: Organisation
    result: ScenarioResult
    rows: tuple[FigureRow, ...]

    @property
    def changed(self) -> tuple[FigureRow, ...]:
        return tuple(r for r in self.rows if r.changed)

    @property
    def unchanged(self) -> tuple[FigureRow, ...]:
        return tuple(r for r in self.rows if not r.changed)

    def to_dict(self) -> dict[str, Any]:
        core = self.result.to_dict()
        return {
            "organisation": self.organisation.code,
            "scenario": core["scenario"],
            "changes": core["changes"],
            "figures": [
                {"name": r.name, "label": r.label, "before": r.before, "after": r.after, "delta": r.delta}
                for r in self.rows
            ],
            "changed": [r.name for r in self.changed],
            "failure_outcomes": core["outcomes"],
        }


def _value(x: float | None) -> float | None:
    return None if x is None or math.isnan(x) else x


def figure_rows(result: ScenarioResult, names: Mapping[str, str]) -> tuple[FigureRow, ...]:
    before, after = result.figures()
    rows = []
    for name in sorted(set(before) | set(after)):
        b, a = _value(before.get(name)), _value(after.get(name))
        delta = (a or 0.0) - (b or 0.0) if (a is not None or b is not None) else None
        rows.append(
            FigureRow(
                name,
                _failure_label(name) or figure_label(name, lambda k: names.get(str(k), str(k))),
                b,
                a,
                delta,
            )
        )
    rows.sort(key=lambda r: (not r.changed, r.name))
    return tuple(rows)


def _failure_label(name: str) -> str | None:
    head, _sep, what = name.partition(".")
    if not head.startswith("failure") or not head[7:].isdigit():
        return None
    n = int(head[7:]) + 1
    texts = {
        "processes": _("failure %(n)d: processes down"),
        "critical_failed": _("failure %(n)d: critical processes down"),
        "availability_weighted": _("failure %(n)d: processes down, weighted by availability"),
        "impact": _("failure %(n)d: impact"),
        "possibly": _("failure %(n)d: processes possibly down (unknown facts)"),
    }
    text = texts.get(what)
    return text % {"n": n} if text else None


def run_for(
    organisation: Organisation,
    snap: Snapshot,
    changes: Sequence[Change],
    *,
    rise_percent: float = 10.0,
    name: str = "",
    before: Analysis | None = None,
) -> ScenarioOutcome:
    """Run checked changes on the organisation's snapshot (no permission check)."""
    checked = _check(snap, organisation, changes)
    options = AnalysisOptions(rise_percent=rise_percent, detail=False)
    try:
        result = run_scenario(
            snap, Scenario(name or _("scenario"), tuple(checked)), [organisation.pk], options, before=before
        )
    except (ValueError, KeyError) as exc:  # a change the engine refuses (e.g. not running on it)
        raise ScenarioError("changes", str(exc)) from exc
    cat = snap.catalogue
    names = {str(cat.cols.entity_keys[e]): cat.cols.entity_names[e] for e in cat.group_entity.tolist()}
    return ScenarioOutcome(organisation, result, figure_rows(result, names))


def scenario_for(
    *,
    user: User | AnonymousUser,
    organisation: Organisation,
    changes: Sequence[Change],
    rise_percent: float = 10.0,
    name: str = "",
) -> ScenarioOutcome:
    """Run a scenario on the organisation, if the user may see it (NotVisibleError otherwise)."""
    snap = snapshot_for(user=user, organisation=organisation)
    return run_for(organisation, snap, changes, rise_percent=rise_percent, name=name)


__all__ = [
    "KINDS",
    "FigureRow",
    "ScenarioError",
    "ScenarioOutcome",
    "parse_change",
    "parse_changes",
    "run_for",
    "scenario_for",
]
