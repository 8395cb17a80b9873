"""A deliberately simple reference implementation of domain.md §3, on plain dicts.

Per-failure fixed-point iteration, BFS closure, walking the parent chain: slow and obvious,
so that the engine can be checked against it on random landscapes.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from tests.core.landscapes import COUNTRIES, Landscape


def active_deps(land: Landscape) -> list[dict[str, Any]]:
    def alive(node: tuple[str, str]) -> bool:
        return node[0] != "usage" or land["usages"][node[1]]["status"] != "retired"

    return [d for d in land["deps"] if alive(d["source"]) and alive(d["target"])]


def chain(land: Landscape, entity: str) -> tuple[list[str], bool]:
    """The control chain from an entity up (each entity once) and whether it is unknown."""
    ents = land["entities"]
    seen: list[str] = []
    unknown = False
    e: str | None = entity
    while e is not None and e not in seen:
        seen.append(e)
        info = ents[e]
        if info["hq"] is None or info["reg"] is None or info["state"] == "unknown":
            unknown = True
        if info["state"] == "known":
            if info["parent"] is None or info["parent"] not in ents:
                unknown = True
                break
            e = info["parent"]
        else:
            e = None
    if e is not None:  # came back to an entity already on the chain: an ownership cycle
        unknown = True
    return seen, unknown


def group_of(land: Landscape, entity: str) -> str:
    """The ultimate parent; in an ownership cycle the smallest key index of the cycle."""
    order = list(land["entities"])
    seen, _ = chain(land, entity)
    last = seen[-1]
    info = land["entities"][last]
    if info["state"] == "known" and info["parent"] in seen:
        cycle = seen[seen.index(info["parent"]) :]
        return min(cycle, key=order.index)
    return last


def closure(land: Landscape, process: str) -> tuple[set[str], set[str]]:
    """(usages, services) reachable from a process along any dependency edge."""
    deps = active_deps(land)
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for d in deps:
        out.setdefault(d["source"], []).append(d["target"])
    for a, b in land["supply"]:
        out.setdefault(("service", a), []).append(("service", b))
    seen = {("process", process)}
    queue = deque(seen)
    while queue:
        n = queue.popleft()
        for m in out.get(n, []):
            if m not in seen:
                seen.add(m)
                queue.append(m)
    return ({k for t, k in seen if t == "usage"}, {k for t, k in seen if t == "service"})


def exposure(land: Landscape, process: str) -> dict[str, tuple[set[str], bool]]:
    """Per dimension: countries exposed and whether something on the way is unknown."""
    usages, services = closure(land, process)
    deps = active_deps(land)
    res: dict[str, tuple[set[str], bool]] = {}
    hosted = {d["source"][1] for d in deps if d["source"][0] == "usage" and d["target"][0] == "service"}
    has_deps = any(d["source"] == ("process", process) for d in deps)
    base_unknown = (not has_deps) or any(u not in hosted for u in usages)
    ctrl: set[str] = set()
    cu = base_unknown
    loc: set[str] = set()
    lu = base_unknown
    acc: set[str] = set()
    au = base_unknown
    for s in services:
        info = land["services"][s]
        if info["provider"] is None:
            cu = True
        else:
            ents, unk = chain(land, info["provider"])
            cu = cu or unk
            for e in ents:
                for c in (land["entities"][e]["hq"], land["entities"][e]["reg"]):
                    if c is not None:
                        ctrl.add(c)
        for role in ("rest", "processing"):
            codes = info["locations"].get(role, [])
            if not codes or None in codes:
                lu = True
            loc |= {c for c in codes if c is not None}
        codes = info["locations"].get("access", [])
        if not codes or None in codes:
            au = True
        acc |= {c for c in codes if c is not None}
    res["control"] = (ctrl, cu)
    res["location"] = (loc, lu)
    res["access"] = (acc, au)
    return res


def non_trusted_state(land: Landscape, process: str, dim: str) -> str:
    trusted = land["orgs"][land["processes"][process]["org"]]
    countries, unknown = exposure(land, process)[dim]
    if countries - trusted:
        return "exposed"
    return "unknown" if unknown else "none"


def fail(land: Landscape, services: set[str], usages: set[str] = frozenset()) -> set[str]:
    """Least fixed point of failure: returns the failed processes."""
    deps = active_deps(land)
    failed = {("service", s) for s in services} | {("usage", u) for u in usages}
    req: dict[tuple[str, str], list[tuple[str, str]]] = {}
    slots: dict[tuple[str, tuple[str, str]], set[tuple[str, str]]] = {}
    for d in deps:
        if d["group"] is None:
            req.setdefault(d["source"], []).append(d["target"])
        else:
            slots.setdefault((d["group"], d["source"]), set()).add(d["target"])
    for a, b in land["supply"]:
        req.setdefault(("service", a), []).append(("service", b))
    nodes = set(req) | {src for _, src in slots}
    changed = True
    while changed:
        changed = False
        for n in nodes:
            if n in failed:
                continue
            down = any(m in failed for m in req.get(n, []))
            for (g, src), members in slots.items():
                if src != n:
                    continue
                k = min(max(land["groups"][g][1], 1), len(members))
                if len(members - failed) < k:
                    down = True
            if down:
                failed.add(n)
                changed = True
    return {k for t, k in failed if t == "process"}


def groups(land: Landscape) -> dict[str, set[str]]:
    """Provider group (ultimate-parent key) -> its services."""
    out: dict[str, set[str]] = {}
    for s, info in land["services"].items():
        if info["provider"] is not None:
            out.setdefault(group_of(land, info["provider"]), set()).add(s)
    return out


def reliance_groups(land: Landscape, process: str) -> set[str]:
    """Groups in a process's closure: providers, product suppliers (services and usages)."""
    usages, services = closure(land, process)
    out = set()
    for s in services:
        info = land["services"][s]
        if info["provider"] is not None:
            out.add(group_of(land, info["provider"]))
        if info["product"] is not None and land["products"][info["product"]]["supplier"]:
            out.add(group_of(land, land["products"][info["product"]]["supplier"]))
    for u in usages:
        p = land["usages"][u]["product"]
        if p is not None and land["products"][p]["supplier"] is not None:
            out.add(group_of(land, land["products"][p]["supplier"]))
    return out


_ = COUNTRIES
