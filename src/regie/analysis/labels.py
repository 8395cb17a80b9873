"""Human labels for the engine's vocabularies and figure names (English msgids, Dutch in the .po)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regie.register.models import ServiceKind

DIMENSIONS: Mapping[str, Promise] = {
    "control": gettext_lazy("control"),
    "location": gettext_lazy("data location"),
    "access": gettext_lazy("access"),
}
DIMENSION_HELP: Mapping[str, Promise] = {
    "control": gettext_lazy("a provider in the chain is controlled from the country"),
    "location": gettext_lazy("data is stored or processed in the country"),
    "access": gettext_lazy("support or administrative access from the country"),
}
STATES: Mapping[str, Promise] = {
    "none": gettext_lazy("not exposed"),
    "unknown": gettext_lazy("unknown"),
    "exposed": gettext_lazy("exposed"),
}
BANDS: Mapping[str, Promise] = {
    "unconcentrated": gettext_lazy("unconcentrated"),
    "moderate": gettext_lazy("moderately concentrated"),
    "high": gettext_lazy("highly concentrated"),
}
SUBSTITUTABILITY: Mapping[str, Promise] = {
    "easily_substitutable": gettext_lazy("easily substitutable"),
    "medium_complexity": gettext_lazy("medium complexity"),
    "highly_complex": gettext_lazy("highly complex"),
    "not_substitutable": gettext_lazy("not substitutable"),
}
REASONS: Mapping[str, Promise] = {
    "no_real_alternatives": gettext_lazy("no real alternatives"),
    "difficult_to_migrate": gettext_lazy("difficult to migrate"),
    "both": gettext_lazy("no real alternatives and difficult to migrate"),
}
NODE_KINDS: Mapping[str, Promise] = {
    "process": gettext_lazy("process"),
    "usage": gettext_lazy("application"),
    "service": gettext_lazy("service"),
    "entity": gettext_lazy("legal entity"),
    "product": gettext_lazy("product"),
    "law": gettext_lazy("law"),
}
RECOVERY_STATES: Mapping[str, Promise] = {
    "gap": gettext_lazy("recovery too slow"),
    "unknown": gettext_lazy("recovery time unknown"),
}
# the service kinds of the register (the categories of the engine's per-kind concentration)
SERVICE_KINDS: Mapping[str, Promise] = dict(ServiceKind.choices)


def label(mapping: Mapping[str, Promise], key: str | None) -> str:
    """The label of a vocabulary value; the value itself when it has none."""
    if key is None:
        return _("unknown")
    found = mapping.get(key)
    return str(found) if found is not None else key


def figure_label(name: str, group_name: Callable[[Hashable], str]) -> str:
    """A readable label for a figure name of ``Analysis.figures()``.

    ``group_name`` turns the key in a per-group figure (``reliance.<key>``) into a name.
    """
    fixed = {
        "processes": _("processes"),
        "critical_processes": _("critical processes"),
        "usages": _("applications in use"),
        "spend.total": _("annual contract value (EUR)"),
        "spend.hhi": _("HHI of spend"),
        "price.rise_cost": _("cost of the price rise (EUR)"),
        "price.inescapable": _("inescapable part of the price rise (EUR)"),
        "spof.count": _("single points of failure"),
        "spof.critical_processes": _("critical processes with a single point of failure"),
    }
    if name in fixed:
        return fixed[name]
    parts = name.split(".")
    head = parts[0]
    if head == "exposure" and len(parts) == 3:
        return _("processes, %(dimension)s: %(state)s") % {
            "dimension": label(DIMENSIONS, parts[1]),
            "state": label(STATES, parts[2]),
        }
    if head == "lockin" and len(parts) == 2:
        return _("applications %(class)s") % {"class": label(SUBSTITUTABILITY, parts[1])}
    if head == "hhi" and len(parts) >= 3:
        what = ".".join(parts[2:])
        if parts[1] == "kind":
            return _("HHI of service kind %(kind)s") % {"kind": what}
        return _("HHI of reference component %(component)s") % {"component": what}
    return _group_figure_label(name, parts, group_name)


def _group_figure_label(name: str, parts: list[str], group_name: Callable[[Hashable], str]) -> str:
    head = parts[0]
    if head == "reliance" and len(parts) == 2:
        return _("reliance on %(group)s") % {"group": group_name(parts[1])}
    if head == "spend" and len(parts) == 3 and parts[1] == "share":
        return _("spend share of %(group)s") % {"group": group_name(parts[2])}
    if head == "blast" and len(parts) == 3:
        what = {
            "processes": _("processes down if %(group)s fails"),
            "critical": _("critical processes down if %(group)s fails"),
            "impact": _("impact if %(group)s fails"),
        }.get(parts[2])
        if what:
            return what % {"group": group_name(parts[1])}
    if head == "price" and len(parts) == 3:
        what = {
            "rise_cost": _("price rise cost with %(group)s (EUR)"),
            "inescapable": _("inescapable price rise with %(group)s (EUR)"),
        }.get(parts[2])
        if what:
            return what % {"group": group_name(parts[1])}
    return name
