"""SnapshotBuilder: the row-by-row contract with the register adapter.

Keys are any hashable values (primary keys); references are resolved at ``build()``, so
rows may be added in any order. Unknown references become ``-1`` (unknown), which counts
as risk. Give ``catalogue=`` to build a snapshot of a few organisations on an already
compiled catalogue (fast re-analysis after an edit); catalogue rows are then refused.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np

from regie.core.catalogue import Catalogue
from regie.core.columns import (
    NODE_PROCESS,
    NODE_SERVICE,
    NODE_USAGE,
    CatalogueColumns,
    FactKey,
    OrgColumns,
    f64,
    i8,
    i32,
    ptr,
)
from regie.core.facts import (
    CLAUSES,
    DEPENDENCY_KINDS,
    LOCATION_ROLES,
    PARENT_STATES,
    PERSONAL_DATA,
    SUBSTITUTABILITY,
    TRIGGERS,
    Fact,
)
from regie.core.snapshot import Snapshot

__all__ = ["SnapshotBuilder"]

_SOURCE_KINDS = {"process": NODE_PROCESS, "usage": NODE_USAGE}
_TARGET_KINDS = {"usage": NODE_USAGE, "service": NODE_SERVICE}


def _tri(value: bool | None) -> int:
    return -1 if value is None else int(bool(value))


def _num(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _date(value: dt.date | None) -> int:
    return value.toordinal() if value is not None else -1


class _Vocab:
    def __init__(self) -> None:
        self.names: list[str] = []
        self.ids: dict[str, int] = {}

    def id(self, name: str | None) -> int:
        if name is None:
            return -1
        i = self.ids.get(name)
        if i is None:
            i = self.ids[name] = len(self.names)
            self.names.append(name)
        return i


class SnapshotBuilder:
    """Collects plain values and compiles them into a :class:`Snapshot` (see module doc)."""

    def __init__(self, *, catalogue: Catalogue | None = None) -> None:
        self._catalogue = catalogue
        self._countries: dict[str, tuple[str, bool, bool, bool]] = {}
        self._laws: dict[Hashable, tuple[str, str, frozenset[str], Fact | None]] = {}
        self._entities: dict[Hashable, dict[str, Any]] = {}
        self._products: dict[Hashable, dict[str, Any]] = {}
        self._services: dict[Hashable, dict[str, Any]] = {}
        self._supply: list[tuple[Hashable, Hashable]] = []
        self._orgs: dict[Hashable, tuple[str, str, str, frozenset[str]]] = {}
        self._processes: dict[Hashable, dict[str, Any]] = {}
        self._usages: dict[Hashable, dict[str, Any]] = {}
        self._rgroups: dict[Hashable, tuple[Hashable, int]] = {}
        self._deps: list[dict[str, Any]] = []
        self._contracts: dict[Hashable, dict[str, Any]] = {}
        self._exits: list[tuple[Hashable, Hashable | None, Hashable | None]] = []

    # catalogue ---------------------------------------------------------------------------
    def _catalogue_row(self, what: str) -> None:
        if self._catalogue is not None:
            raise ValueError(f"{what}: this builder reuses a compiled catalogue")

    def add_country(self, code: str, *, name: str, eu: bool, eea: bool, adequacy: bool) -> None:
        self._catalogue_row("add_country")
        self._countries[code] = (name, eu, eea, adequacy)

    def add_law(
        self,
        key: Hashable,
        *,
        name: str,
        country: str,
        triggers: frozenset[str],
        source: Fact | None = None,
    ) -> None:
        self._catalogue_row("add_law")
        if not triggers <= TRIGGERS:
            raise ValueError(f"law {key!r}: triggers {sorted(triggers - TRIGGERS)} not known")
        self._laws[key] = (name, country, frozenset(triggers), source)

    def add_entity(
        self,
        key: Hashable,
        *,
        name: str,
        hq_country: str | None,
        hq_fact: Fact | None,
        reg_country: str | None,
        reg_fact: Fact | None,
        parent: Hashable | None,
        parent_state: str,
        parent_fact: Fact | None,
    ) -> None:
        self._catalogue_row("add_entity")
        if parent_state not in PARENT_STATES:
            raise ValueError(f"entity {key!r}: parent_state {parent_state!r}")
        self._entities[key] = {
            "name": name,
            "hq": hq_country,
            "hq_fact": hq_fact,
            "reg": reg_country,
            "reg_fact": reg_fact,
            "parent": parent,
            "state": parent_state,
            "parent_fact": parent_fact,
        }

    def add_product(
        self,
        key: Hashable,
        *,
        name: str,
        supplier: Hashable | None,
        open_source: bool | None,
        open_export: bool | None,
        reference_components: Sequence[str],
        has_alternatives: int = 0,
    ) -> None:
        self._catalogue_row("add_product")
        self._products[key] = {
            "name": name,
            "supplier": supplier,
            "open_source": open_source,
            "open_export": open_export,
            "refcomps": tuple(reference_components),
            "alternatives": has_alternatives,
        }

    def add_service(
        self,
        key: Hashable,
        *,
        name: str,
        provider: Hashable | None,
        kind: str,
        product: Hashable | None,
        locations: Mapping[str, Sequence[tuple[str | None, Fact | None]]],
        recovery_hours: float | None = None,
    ) -> None:
        self._catalogue_row("add_service")
        unknown_roles = set(locations) - set(LOCATION_ROLES)
        if unknown_roles:
            raise ValueError(f"service {key!r}: location roles {sorted(unknown_roles)}")
        self._services[key] = {
            "name": name,
            "provider": provider,
            "kind": kind,
            "product": product,
            "locations": {r: tuple(locations.get(r, ())) for r in LOCATION_ROLES},
            "recovery": recovery_hours,
        }

    def add_service_dependency(self, service: Hashable, depends_on: Hashable) -> None:
        self._catalogue_row("add_service_dependency")
        self._supply.append((service, depends_on))

    # organisations -----------------------------------------------------------------------
    def add_organisation(
        self, key: Hashable, *, code: str, name: str, kind: str, trusted: frozenset[str]
    ) -> None:
        self._orgs[key] = (code, name, kind, frozenset(trusted))

    def add_process(
        self,
        key: Hashable,
        *,
        org: Hashable,
        name: str,
        availability: int,
        integrity: int,
        confidentiality: int,
        critical: bool,
        mtd_hours: float | None,
        rto_hours: float | None,
        personal_data: str,
    ) -> None:
        if personal_data not in PERSONAL_DATA:
            raise ValueError(f"process {key!r}: personal_data {personal_data!r}")
        self._processes[key] = {
            "org": org,
            "name": name,
            "a": availability,
            "i": integrity,
            "c": confidentiality,
            "critical": critical,
            "mtd": mtd_hours,
            "rto": rto_hours,
            "personal": PERSONAL_DATA.index(personal_data),
        }

    def add_usage(
        self,
        key: Hashable,
        *,
        org: Hashable,
        name: str,
        product: Hashable | None,
        reference_component: str | None,
        status: str,
        substitutability_override: str | None = None,
        override_justification: str | None = None,
        open_export: bool | None = None,
        data_volume_gb: float | None = None,
    ) -> None:
        if substitutability_override is not None and (substitutability_override not in SUBSTITUTABILITY):
            raise ValueError(f"usage {key!r}: override {substitutability_override!r}")
        self._usages[key] = {
            "org": org,
            "name": name,
            "product": product,
            "refcomp": reference_component,
            "status": status,
            "override": substitutability_override,
            "justification": override_justification,
            "open_export": open_export,
            "volume": data_volume_gb,
        }

    def add_redundancy_group(self, key: Hashable, *, org: Hashable, k: int) -> None:
        self._rgroups[key] = (org, k)

    def add_dependency(
        self,
        *,
        org: Hashable,
        source: tuple[str, Hashable],
        target: tuple[str, Hashable],
        kind: str,
        group: Hashable | None = None,
        open_standard: bool | None = None,
    ) -> None:
        if source[0] not in _SOURCE_KINDS or target[0] not in _TARGET_KINDS:
            raise ValueError(f"dependency {source!r} -> {target!r}: kinds")
        if kind not in DEPENDENCY_KINDS:
            raise ValueError(f"dependency {source!r} -> {target!r}: kind {kind!r}")
        self._deps.append(
            {
                "org": org,
                "source": source,
                "target": target,
                "kind": kind,
                "group": group,
                "open_standard": open_standard,
            }
        )

    def add_contract(
        self,
        key: Hashable,
        *,
        org: Hashable,
        counterparty: Hashable | None,
        annual_value: float | None,
        start: dt.date | None,
        end: dt.date | None,
        notice_days: int | None,
        clauses: Mapping[str, bool | None],
        usages: Sequence[Hashable],
        services: Sequence[Hashable],
    ) -> None:
        unknown = set(clauses) - set(CLAUSES)
        if unknown:
            raise ValueError(f"contract {key!r}: clauses {sorted(unknown)}")
        self._contracts[key] = {
            "org": org,
            "counterparty": counterparty,
            "value": annual_value,
            "start": start,
            "end": end,
            "notice": notice_days,
            "clauses": dict(clauses),
            "usages": tuple(usages),
            "services": tuple(services),
        }

    def add_exit_plan(
        self, *, org: Hashable, usage: Hashable | None = None, service: Hashable | None = None
    ) -> None:
        self._exits.append((org, usage, service))

    # compile -----------------------------------------------------------------------------
    def build(self) -> Snapshot:
        cat = self._catalogue or Catalogue.compile(self._catalogue_columns())
        return Snapshot.from_arrays(cat, self._org_columns(cat))

    def _catalogue_columns(self) -> CatalogueColumns:
        countries = dict(self._countries)

        _cidx: dict[str, int] = {c: i for i, c in enumerate(countries)}

        def country(code: str | None) -> int:
            if code is None:
                return -1
            if code not in _cidx:  # referenced but not declared: membership unknown
                countries[code] = (code, False, False, False)
                _cidx[code] = len(_cidx)
            return _cidx[code]

        facts: dict[FactKey, Fact] = {}
        ekeys = list(self._entities)
        eidx = {k: i for i, k in enumerate(ekeys)}
        ents = list(self._entities.values())
        for i, e in enumerate(ents):
            for attr in ("hq_fact", "reg_fact", "parent_fact"):
                if e[attr] is not None:
                    facts[("entity", i, attr[:-5])] = e[attr]
        laws = list(self._laws.items())
        for i, (_, law) in enumerate(laws):
            if law[3] is not None:
                facts[("law", i, "source")] = law[3]
        law_country = i32([country(law[1]) for _, law in laws])
        hq = i32([country(e["hq"]) for e in ents])
        reg = i32([country(e["reg"]) for e in ents])
        parent = i32([eidx.get(e["parent"], -1) if e["parent"] is not None else -1 for e in ents])
        pkeys = list(self._products)
        pidx = {k: i for i, k in enumerate(pkeys)}
        prods = list(self._products.values())
        refcomps = _Vocab()
        prc = [[refcomps.id(r) for r in p["refcomps"]] for p in prods]
        skeys = list(self._services)
        sidx = {k: i for i, k in enumerate(skeys)}
        svcs = list(self._services.values())
        kinds = _Vocab()
        loc_ptr = []
        loc_c = []
        for role in LOCATION_ROLES:
            rows = [s["locations"][role] for s in svcs]
            loc_ptr.append(ptr([len(r) for r in rows]))
            flat = []
            for i, r in enumerate(rows):
                for code, fact in r:
                    flat.append(country(code))
                    if fact is not None:
                        facts[("service", i, f"{role}:{code}")] = fact
            loc_c.append(i32(flat))
        supply = [(sidx[a], sidx[b]) for a, b in self._supply if a in sidx and b in sidx]
        codes = list(_cidx)
        cinfo = [countries[c] for c in codes]
        return CatalogueColumns(
            country_codes=codes,
            country_names=[c[0] for c in cinfo],
            country_eu=np.array([c[1] for c in cinfo], dtype=bool),
            country_eea=np.array([c[2] for c in cinfo], dtype=bool),
            country_adequacy=np.array([c[3] for c in cinfo], dtype=bool),
            law_keys=[k for k, _ in laws],
            law_names=[law[0] for _, law in laws],
            law_country=law_country,
            law_triggers=[law[2] for _, law in laws],
            entity_keys=ekeys,
            entity_names=[e["name"] for e in ents],
            entity_hq=hq,
            entity_reg=reg,
            entity_parent=parent,
            entity_parent_state=i8([PARENT_STATES.index(e["state"]) for e in ents]),
            product_keys=pkeys,
            product_names=[p["name"] for p in prods],
            product_supplier=i32([eidx.get(p["supplier"], -1) for p in prods]),
            product_open_source=i8([_tri(p["open_source"]) for p in prods]),
            product_open_export=i8([_tri(p["open_export"]) for p in prods]),
            product_alternatives=i32([p["alternatives"] for p in prods]),
            product_refcomp_ptr=ptr([len(r) for r in prc]),
            product_refcomp=i32([c for r in prc for c in r]),
            refcomp_names=refcomps.names,
            service_keys=skeys,
            service_names=[s["name"] for s in svcs],
            service_provider=i32([eidx.get(s["provider"], -1) for s in svcs]),
            service_kind=i32([kinds.id(s["kind"]) for s in svcs]),
            kind_names=kinds.names,
            service_product=i32([pidx.get(s["product"], -1) for s in svcs]),
            service_recovery=f64([_num(s["recovery"]) for s in svcs]),
            location_ptr=(loc_ptr[0], loc_ptr[1], loc_ptr[2]),
            location_country=(loc_c[0], loc_c[1], loc_c[2]),
            supply_src=i32([a for a, _ in supply]),
            supply_dst=i32([b for _, b in supply]),
            facts=facts,
        )

    def _org_columns(self, cat: Catalogue) -> OrgColumns:
        oidx = {k: i for i, k in enumerate(self._orgs)}
        orgs = list(self._orgs.values())
        pkeys = list(self._processes)
        pidx = {k: i for i, k in enumerate(pkeys)}
        procs = list(self._processes.values())
        ukeys = list(self._usages)
        uidx = {k: i for i, k in enumerate(ukeys)}
        uses = list(self._usages.values())
        gkeys = list(self._rgroups)
        gidx = {k: i for i, k in enumerate(gkeys)}
        sidx = cat.service_index
        eidx = cat.entity_index
        prodidx = cat.product_index
        refcomps = _Vocab()
        statuses = _Vocab()
        facts: dict[FactKey, Fact] = {}

        def org(key: Hashable, what: str) -> int:
            if key not in oidx:
                raise ValueError(f"{what}: organisation {key!r} was not added")
            return oidx[key]

        node_index = {NODE_PROCESS: pidx, NODE_USAGE: uidx, NODE_SERVICE: sidx}
        deps = []
        for d in self._deps:
            sk = _SOURCE_KINDS[d["source"][0]]
            tk = _TARGET_KINDS[d["target"][0]]
            s = node_index[sk].get(d["source"][1])
            t = node_index[tk].get(d["target"][1])
            if s is None or t is None:
                raise ValueError(f"dependency {d['source']!r} -> {d['target']!r}: unknown node")
            own = org(d["org"], "dependency")
            for kind, key in (d["source"], d["target"]):
                table = self._processes if kind == "process" else self._usages
                if kind != "service" and oidx.get(table[key]["org"]) != own:
                    raise ValueError(f"dependency of {d['org']!r}: {kind} {key!r} is not its own")
            g = -1 if d["group"] is None else gidx[d["group"]]
            deps.append(
                (
                    org(d["org"], "dependency"),
                    sk,
                    s,
                    tk,
                    t,
                    DEPENDENCY_KINDS.index(d["kind"]),
                    g,
                    _tri(d["open_standard"]),
                )
            )
        dep_arr = np.array(deps, dtype=np.int64).reshape(len(deps), 8)
        ckeys = list(self._contracts)
        cons = list(self._contracts.values())
        cu = [[uidx[u] for u in c["usages"] if u in uidx] for c in cons]
        cs = [[sidx[s] for s in c["services"] if s in sidx] for c in cons]
        exit_u = [uidx[u] for _, u, _ in self._exits if u is not None and u in uidx]
        exit_s = [(org(o, "exit plan"), sidx[s]) for o, _, s in self._exits if s is not None and s in sidx]
        return OrgColumns(
            org_keys=list(self._orgs),
            org_codes=[o[0] for o in orgs],
            org_names=[o[1] for o in orgs],
            org_kinds=[o[2] for o in orgs],
            org_trusted=[o[3] for o in orgs],
            process_keys=pkeys,
            process_names=[p["name"] for p in procs],
            process_org=i32([org(p["org"], "process") for p in procs]),
            process_availability=i8([p["a"] for p in procs]),
            process_integrity=i8([p["i"] for p in procs]),
            process_confidentiality=i8([p["c"] for p in procs]),
            process_critical=np.array([bool(p["critical"]) for p in procs], dtype=bool),
            process_mtd=f64([_num(p["mtd"]) for p in procs]),
            process_rto=f64([_num(p["rto"]) for p in procs]),
            process_personal=i8([p["personal"] for p in procs]),
            usage_keys=ukeys,
            usage_names=[u["name"] for u in uses],
            usage_org=i32([org(u["org"], "usage") for u in uses]),
            usage_product=i32([prodidx.get(u["product"], -1) for u in uses]),
            usage_refcomp=i32([refcomps.id(u["refcomp"]) for u in uses]),
            refcomp_names=refcomps.names,
            usage_status=i32([statuses.id(u["status"]) for u in uses]),
            status_names=statuses.names,
            usage_override=i8(
                [-1 if u["override"] is None else SUBSTITUTABILITY.index(u["override"]) for u in uses]
            ),
            usage_justification=[u["justification"] for u in uses],
            usage_open_export=i8([_tri(u["open_export"]) for u in uses]),
            usage_volume_gb=f64([_num(u["volume"]) for u in uses]),
            rgroup_keys=gkeys,
            rgroup_org=i32([org(g[0], "redundancy group") for g in self._rgroups.values()]),
            rgroup_k=i32([g[1] for g in self._rgroups.values()]),
            dep_org=i32(dep_arr[:, 0]),
            dep_src_kind=i8(dep_arr[:, 1]),
            dep_src=i32(dep_arr[:, 2]),
            dep_dst_kind=i8(dep_arr[:, 3]),
            dep_dst=i32(dep_arr[:, 4]),
            dep_kind=i8(dep_arr[:, 5]),
            dep_group=i32(dep_arr[:, 6]),
            dep_open_standard=i8(dep_arr[:, 7]),
            contract_keys=ckeys,
            contract_org=i32([org(c["org"], "contract") for c in cons]),
            contract_counterparty=i32(
                [eidx.get(c["counterparty"], -1) if c["counterparty"] is not None else -1 for c in cons]
            ),
            contract_value=f64([_num(c["value"]) for c in cons]),
            contract_start=i32([_date(c["start"]) for c in cons]),
            contract_end=i32([_date(c["end"]) for c in cons]),
            contract_notice=i32([-1 if c["notice"] is None else c["notice"] for c in cons]),
            contract_clauses=i8([[_tri(c["clauses"].get(k)) for k in CLAUSES] for c in cons]).reshape(
                len(cons), len(CLAUSES)
            ),
            contract_usage_ptr=ptr([len(x) for x in cu]),
            contract_usage=i32([u for x in cu for u in x]),
            contract_service_ptr=ptr([len(x) for x in cs]),
            contract_service=i32([s for x in cs for s in x]),
            exit_usage=i32(exit_u),
            exit_service_org=i32([o for o, _ in exit_s]),
            exit_service=i32([s for _, s in exit_s]),
            facts=facts,
        )
