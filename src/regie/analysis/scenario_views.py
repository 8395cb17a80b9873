"""The scenario page: compose changes one by one (htmx or plain form posts) and see every figure
before, after and the difference. The changes travel with the form as JSON hidden fields, so the
page keeps no state on the server and the register is never touched.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from regie.core.graph import ScopeGraph
from regie.core.snapshot import Snapshot
from regie.register.models import Country, Organisation

from .scenarios import KINDS, ScenarioError, ScenarioOutcome, parse_change, parse_changes, run_for
from .selectors import snapshot_for

MAX_OPTIONS = 2000
MAX_CHANGES = 20


@dataclass(frozen=True)
class Choices:
    """What the organisation can pick from in the change forms: (value, label) pairs."""

    used_services: list[tuple[Any, str]]
    services: list[tuple[Any, str]]
    used_products: list[tuple[Any, str]]
    products: list[tuple[Any, str]]
    runs_on: list[tuple[str, str]]
    chain_entities: list[tuple[Any, str]]
    entities: list[tuple[Any, str]]
    groups: list[tuple[Any, str]]
    countries: list[tuple[str, str]]

    def name(self, table: str, key: Any) -> str:
        pool = {
            "service": self.services + self.used_services,
            "product": self.products + self.used_products,
            "entity": self.entities + self.chain_entities + self.groups,
            "usage": [],
        }[table]
        return next((label for value, label in pool if str(value) == str(key)), str(key))


def _sorted(pairs: list[tuple[Any, str]]) -> list[tuple[Any, str]]:
    return sorted(pairs, key=lambda p: p[1].casefold())[:MAX_OPTIONS]


def choices(snap: Snapshot, organisation: Organisation) -> Choices:
    cat = snap.catalogue
    cols = cat.cols
    o = snap.orgs
    graph = ScopeGraph.build(snap, snap.orgs_of([organisation.pk]))
    used = np.unique(np.concatenate([graph.usage_services.indices, graph.process_services.indices]))
    used_products = {int(p) for p in o.usage_product[graph.usage].tolist() if p >= 0}
    used_products |= {int(p) for p in cols.service_product[used].tolist() if p >= 0}
    chain: set[int] = set()
    for s in used.tolist():
        e = int(cols.service_provider[s])
        while e >= 0 and e not in chain:
            chain.add(e)
            e = int(cols.entity_parent[e]) if cols.entity_parent_state[e] == 0 else -1
    runs_on = []
    d = o.dep_src_kind == 1
    d &= o.dep_dst_kind == 2
    d &= o.dep_org == snap.org_index[organisation.pk]
    for u, s in zip(o.dep_src[d].tolist(), o.dep_dst[d].tolist(), strict=True):
        runs_on.append(
            (
                f"{o.usage_keys[u]}|{cols.service_keys[s]}",
                _("%(usage)s on %(service)s") % {"usage": o.usage_names[u], "service": cols.service_names[s]},
            )
        )
    lang_en = (get_language() or "nl").startswith("en")
    countries = list(
        Country.objects.order_by("code").values_list("code", "name_en" if lang_en else "name_nl")
    )
    return Choices(
        used_services=_sorted([(cols.service_keys[s], cols.service_names[s]) for s in used.tolist()]),
        services=_sorted(list(zip(cols.service_keys, cols.service_names, strict=True))),
        used_products=_sorted([(cols.product_keys[p], cols.product_names[p]) for p in used_products]),
        products=_sorted(list(zip(cols.product_keys, cols.product_names, strict=True))),
        runs_on=sorted(runs_on, key=lambda p: p[1]),
        chain_entities=_sorted([(cols.entity_keys[e], cols.entity_names[e]) for e in chain]),
        entities=_sorted(list(zip(cols.entity_keys, cols.entity_names, strict=True))),
        groups=_sorted([(cols.entity_keys[e], cols.entity_names[e]) for e in cat.group_entity.tolist()]),
        countries=[(c, f"{n} ({c})") for c, n in countries],
    )


def change_from_form(kind: str, data: Mapping[str, str]) -> dict[str, Any]:  # noqa: PLR0911 - one per kind
    """The plain change for one 'add' button, from the form fields of its kind."""
    if kind == "replaceService":
        return {"kind": kind, "old": data.get("rs-old"), "new": data.get("rs-new")}
    if kind == "replaceProduct":
        return {"kind": kind, "old": data.get("rp-old"), "new": data.get("rp-new")}
    if kind == "moveData":
        return {"kind": kind, "service": data.get("md-service"), "country": data.get("md-country")}
    if kind == "addRedundantProvider":
        usage, _sep, alongside = (data.get("ar-usage") or "").partition("|")
        return {
            "kind": kind,
            "usage": usage or None,
            "alongside": alongside or None,
            "service": data.get("ar-service"),
        }
    if kind == "acquisition":
        out = {"kind": kind, "entity": data.get("aq-entity"), "newParent": data.get("aq-parent") or None}
        if not out["newParent"]:
            out |= {"newParentName": data.get("aq-name", ""), "newParentCountry": data.get("aq-country", "")}
        return out
    if kind == "priceRise":
        group = data.get("pr-group")
        return {"kind": kind, "percent": data.get("pr-percent"), "groups": [group] if group else []}
    target, _sep, value = (data.get("fl-target") or "").partition(":")
    key = {"group": "groups", "service": "services", "controlled": "controlledFrom", "data": "dataCountries"}
    return {"kind": "failure", key.get(target, "groups"): [value] if value else []}


def describe(change: Mapping[str, Any], c: Choices) -> str:  # noqa: PLR0911 - one per kind
    kind = change.get("kind")
    n = c.name
    if kind == "replaceService":
        return _("Replace service %(old)s by %(new)s") % {
            "old": n("service", change["old"]),
            "new": n("service", change["new"]),
        }
    if kind == "replaceProduct":
        return _("Replace product %(old)s by %(new)s") % {
            "old": n("product", change["old"]),
            "new": n("product", change["new"]),
        }
    if kind == "moveData":
        return _("Move the data of %(service)s to %(country)s") % {
            "service": n("service", change["service"]),
            "country": change["country"],
        }
    if kind == "addRedundantProvider":
        return _("Add %(service)s as a redundant provider beside %(alongside)s") % {
            "service": n("service", change["service"]),
            "alongside": n("service", change["alongside"]),
        }
    if kind == "acquisition":
        parent = (
            n("entity", change["newParent"])
            if change.get("newParent")
            else f"{change.get('newParentName')} ({change.get('newParentCountry')})"
        )
        return _("%(entity)s is acquired by %(parent)s") % {
            "entity": n("entity", change["entity"]),
            "parent": parent,
        }
    if kind == "priceRise":
        groups = ", ".join(n("entity", g) for g in change.get("groups") or []) or _("every provider")
        return _("Price rise of %(percent)s %% by %(groups)s") % {
            "percent": change.get("percent"),
            "groups": groups,
        }
    parts = [n("entity", g) for g in change.get("groups") or []]
    parts += [n("service", s) for s in change.get("services") or []]
    parts += [_("everything controlled from %(c)s") % {"c": x} for x in change.get("controlledFrom") or []]
    parts += [_("everything with data in %(c)s") % {"c": x} for x in change.get("dataCountries") or []]
    return _("Failure or cut-off: %(what)s") % {"what": ", ".join(parts)}


def _changes_from(request: HttpRequest) -> tuple[list[dict[str, Any]], str | None]:
    changes: list[dict[str, Any]] = []
    for raw in request.POST.getlist("change")[:MAX_CHANGES]:
        try:
            value = json.loads(raw)
        except ValueError:
            continue
        if isinstance(value, dict):
            changes.append(value)
    remove = request.POST.get("remove")
    if remove is not None and remove.isdigit() and int(remove) < len(changes):
        changes.pop(int(remove))
    error = None
    kind = request.POST.get("add")
    if kind in KINDS and len(changes) < MAX_CHANGES:
        new = change_from_form(kind, request.POST)
        try:
            parse_change(new, f"changes[{len(changes)}]")
        except ScenarioError as exc:
            error = _("This change is not complete: %(reason)s") % {"reason": exc}
        else:
            changes.append(new)
    return changes, error


def _rise(request: HttpRequest) -> float:
    try:
        return min(max(float(request.POST.get("rise", "10")), 0.0), 1000.0)
    except ValueError:
        return 10.0


def scenario_page(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    snap = snapshot_for(user=request.user, organisation=organisation)
    c = choices(snap, organisation)
    changes: list[dict[str, Any]] = []
    error = None
    outcome: ScenarioOutcome | None = None
    if request.method == "POST":
        changes, error = _changes_from(request)
        if changes:
            try:
                outcome = run_for(organisation, snap, parse_changes(changes), rise_percent=_rise(request))
            except ScenarioError as exc:
                error = _("The scenario cannot be run: %(reason)s") % {"reason": exc}
    context = {
        "organisation": organisation,
        "section": "analysis",
        "choices": c,
        "changes": [(json.dumps(ch), describe(ch, c)) for ch in changes],
        "error": error,
        "outcome": outcome,
    }
    template = "analysis/_scenario_body.html" if getattr(request, "htmx", False) else "analysis/scenario.html"
    return render(request, template, context)
