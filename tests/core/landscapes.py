"""Random landscapes as plain dicts, and their compilation through the builder contract."""

from __future__ import annotations

import random
from typing import Any

from regie.core.snapshot import Fact, Snapshot, SnapshotBuilder

COUNTRIES = {"NL": True, "DE": True, "IE": True, "US": False, "CN": False, "GB": False}
EU = frozenset(c for c, eu in COUNTRIES.items() if eu)

Landscape = dict[str, Any]


def random_landscape(rng: random.Random, *, orgs: int = 2) -> Landscape:
    """A small landscape with cycles, redundancy groups, unknown facts and retired usages."""
    codes = list(COUNTRIES)

    def country() -> str | None:
        return None if rng.random() < 0.1 else rng.choice(codes)

    n_e = rng.randint(1, 7)
    entities = {}
    for i in range(n_e):
        state = rng.choices(["known", "none", "unknown"], [5, 3, 1])[0]
        parent = f"e{rng.randrange(n_e)}" if state == "known" else None
        entities[f"e{i}"] = {"hq": country(), "reg": country(), "parent": parent, "state": state}
    products = {
        f"pr{i}": {
            "supplier": rng.choice([*entities, None]),
            "alternatives": rng.randint(0, 3),
            "open_export": rng.choice([True, False, None]),
        }
        for i in range(rng.randint(1, 4))
    }
    services = {}
    for i in range(rng.randint(1, 8)):
        locs: dict[str, list[str | None]] = {}
        for role in ("rest", "processing", "access"):
            if rng.random() < 0.85:
                locs[role] = [country() for _ in range(rng.randint(1, 2))]
        services[f"s{i}"] = {
            "provider": rng.choice([*entities, None]) if rng.random() < 0.95 else None,
            "product": rng.choice([*products, None]),
            "locations": locs,
            "recovery": rng.choice([None, 2.0, 8.0, 48.0]),
            "kind": rng.choice(["SaaS", "IaaS", "PaaS"]),
        }
    skeys = list(services)
    supply = [(rng.choice(skeys), rng.choice(skeys)) for _ in range(rng.randint(0, len(skeys)))]
    supply = [(a, b) for a, b in supply if a != b]
    land: Landscape = {
        "entities": entities,
        "products": products,
        "services": services,
        "supply": supply,
        "orgs": {},
        "processes": {},
        "usages": {},
        "groups": {},
        "deps": [],
        "contracts": {},
    }
    for o in range(orgs):
        org = f"o{o}"
        land["orgs"][org] = EU if rng.random() < 0.7 else EU | {"GB"}
        procs = [f"{org}p{i}" for i in range(rng.randint(1, 5))]
        uses = [f"{org}u{i}" for i in range(rng.randint(1, 6))]
        for p in procs:
            land["processes"][p] = {
                "org": org,
                "critical": rng.random() < 0.6,
                "a": rng.randint(1, 3),
                "mtd": rng.choice([None, 4.0, 24.0, 100.0]),
                "rto": rng.choice([None, 8.0]),
            }
        for u in uses:
            land["usages"][u] = {
                "org": org,
                "product": rng.choice([*products, None]),
                "status": "retired" if rng.random() < 0.08 else "production",
            }
        n_groups = rng.randint(0, 3)
        groups = [f"{org}g{i}" for i in range(n_groups)]
        for g in groups:
            land["groups"][g] = (org, rng.randint(0, 3))

        def dep(
            src: tuple[str, str], tgt: tuple[str, str], kind: str, groups: list[str] = groups, org: str = org
        ) -> None:
            group = rng.choice(groups) if groups and rng.random() < 0.3 else None
            land["deps"].append({"org": org, "source": src, "target": tgt, "kind": kind, "group": group})

        for p in procs:
            for _ in range(rng.randint(0, 3)):
                dep(("process", p), ("usage", rng.choice(uses)), "requires")
            if rng.random() < 0.2:
                dep(("process", p), ("service", rng.choice(skeys)), "requires")
        for u in uses:
            for _ in range(rng.randint(0, 2)):
                dep(("usage", u), ("service", rng.choice(skeys)), "runs_on")
            for _ in range(rng.randint(0, 2)):
                v = rng.choice(uses)
                if v != u:
                    dep(("usage", u), ("usage", v), "integration")
        for i in range(rng.randint(0, 3)):
            land["contracts"][f"{org}c{i}"] = {
                "org": org,
                "counterparty": rng.choice([*entities, None]),
                "value": rng.choice([None, 1000.0, 5000.0, 20000.0]),
                "price_cap": rng.choice([True, False, None]),
                "usages": rng.sample(uses, rng.randint(0, min(2, len(uses)))),
            }
    return land


def build(land: Landscape) -> Snapshot:
    b = SnapshotBuilder()
    for code, eu in COUNTRIES.items():
        b.add_country(code, name=code, eu=eu, eea=eu, adequacy=eu)
    b.add_law("cloud", name="CLOUD Act", country="US", triggers=frozenset({"control"}))
    b.add_law("fisa", name="FISA 702", country="US", triggers=frozenset({"control", "access"}))
    b.add_law("nil", name="NIL art. 7", country="CN", triggers=frozenset({"control", "location", "access"}))
    src = Fact("test", None, "tester")
    for k, e in land["entities"].items():
        b.add_entity(
            k,
            name=k,
            hq_country=e["hq"],
            hq_fact=src,
            reg_country=e["reg"],
            reg_fact=None,
            parent=e["parent"],
            parent_state=e["state"],
            parent_fact=src,
        )
    for k, p in land["products"].items():
        b.add_product(
            k,
            name=k,
            supplier=p["supplier"],
            open_source=None,
            open_export=p["open_export"],
            reference_components=["Zaaksysteem"],
            has_alternatives=p["alternatives"],
        )
    for k, s in land["services"].items():
        b.add_service(
            k,
            name=k,
            provider=s["provider"],
            kind=s["kind"],
            product=s["product"],
            locations={r: [(c, src) for c in cs] for r, cs in s["locations"].items()},
            recovery_hours=s["recovery"],
        )
    for a, c in land["supply"]:
        b.add_service_dependency(a, c)
    for k, trusted in land["orgs"].items():
        b.add_organisation(k, code=k, name=k, kind="municipality", trusted=trusted)
    for k, p in land["processes"].items():
        b.add_process(
            k,
            org=p["org"],
            name=k,
            availability=p["a"],
            integrity=2,
            confidentiality=2,
            critical=p["critical"],
            mtd_hours=p["mtd"],
            rto_hours=p["rto"],
            personal_data="personal",
        )
    for k, u in land["usages"].items():
        b.add_usage(
            k, org=u["org"], name=k, product=u["product"], reference_component=None, status=u["status"]
        )
    for k, (org, kk) in land["groups"].items():
        b.add_redundancy_group(k, org=org, k=kk)
    for d in land["deps"]:
        b.add_dependency(
            org=d["org"], source=d["source"], target=d["target"], kind=d["kind"], group=d["group"]
        )
    for k, c in land["contracts"].items():
        b.add_contract(
            k,
            org=c["org"],
            counterparty=c["counterparty"],
            annual_value=c["value"],
            start=None,
            end=None,
            notice_days=None,
            clauses={"price_cap": c["price_cap"]},
            usages=c["usages"],
            services=[],
        )
    return b.build()
