"""Reproducible synthetic landscapes for benchmarks and tests, generated straight into
columns (the bulk path), from a seed.

Scales: ``municipality`` (1 organisation), ``region`` (50), ``national`` (1,600
organisations, ~96,000 processes, ~600,000 usages, 20,000 services, 5,000 legal
entities). Provider popularity is heavy-tailed (a few groups everywhere), supply chains
are up to four services deep, usages integrate with cycles, some dependencies are in
redundancy groups (k of n), and a few facts are unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from regie.core.columns import CatalogueColumns, OrgColumns, f64, i8, i32, ptr
from regie.core.facts import CLAUSES
from regie.core.snapshot import Snapshot

__all__ = ["SCALES", "Scale", "synthetic_columns", "synthetic_snapshot"]

EU = (
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
)
EEA = ("NO", "IS", "LI")
OTHER = ("CH", "GB", "US", "CN", "IN", "CA", "JP", "IL", "SG", "AU")
KINDS = ("IaaS", "network", "PaaS", "managed", "SaaS", "support", "on-premises")
REFCOMPS = (
    "Zaaksysteem",
    "Documentmanagementsysteem",
    "Basisregistratie personen",
    "Burgerzaken",
    "Belastingen",
    "Sociaal domein",
    "Financieel systeem",
    "HR-systeem",
    "Kantoorautomatisering",
    "E-mail",
    "Website",
    "Klantcontactsysteem",
    "GIS",
    "Vergunningen",
    "Archief",
    "Identiteitsbeheer",
    "Servicebus",
    "Samenwerkingsplatform",
    "Video",
    "BAG",
    "WOZ",
)


@dataclass(frozen=True)
class Scale:
    orgs: int
    processes_per_org: int
    usages_per_org: int
    services: int
    entities: int
    products: int


SCALES: dict[str, Scale] = {
    "municipality": Scale(1, 60, 375, 1_000, 300, 500),
    "region": Scale(50, 60, 375, 8_000, 2_000, 3_000),
    "national": Scale(1_600, 60, 375, 20_000, 5_000, 8_000),
}


def _zipf_choice(rng: np.random.Generator, n: int, size: int, a: float = 1.1) -> Any:
    """Indexes 0..n-1 with heavy-tailed popularity (index 0 most popular)."""
    w = 1.0 / np.arange(1, n + 1) ** a
    w /= w.sum()
    return rng.choice(n, size=size, p=w)


def _countries() -> list[str]:
    return [*EU, *EEA, *OTHER]


def _catalogue(rng: np.random.Generator, sc: Scale) -> CatalogueColumns:
    codes = _countries()
    cix = {c: i for i, c in enumerate(codes)}
    eu = np.array([c in EU for c in codes])
    eea = np.array([c in EU or c in EEA for c in codes])
    n_e = sc.entities
    # entities: the first 15 % are ultimate parents, the rest subsidiaries of earlier ones
    n_top = max(1, n_e * 15 // 100)
    top_country = rng.choice(
        [cix["NL"], cix["DE"], cix["FR"], cix["US"], cix["GB"], cix["NO"], cix["CN"], cix["CA"]],
        size=n_e,
        p=[0.45, 0.08, 0.05, 0.25, 0.06, 0.04, 0.03, 0.04],
    )
    sub_country = rng.choice([cix["NL"], cix["IE"], cix["DE"], cix["BE"]], size=n_e, p=[0.6, 0.2, 0.1, 0.1])
    idx = np.arange(n_e)
    parent = np.where(idx < n_top, -1, (rng.random(n_e) * np.maximum(idx, 1)).astype(np.int64))
    parent = np.where((idx >= n_top) & (rng.random(n_e) < 0.5), _zipf_choice(rng, n_top, n_e), parent)
    hq = np.where(idx < n_top, top_country, sub_country).astype(np.int64)
    reg = hq.copy()
    hq[rng.random(n_e) < 0.02] = -1
    state = np.where(parent >= 0, 0, 1)
    state[rng.random(n_e) < 0.02] = 2
    if n_e > 10:  # two ownership cycles, a data error the engine must survive
        parent[[n_e - 1, n_e - 2]] = [n_e - 2, n_e - 1]
        state[[n_e - 1, n_e - 2]] = 0
    n_p = sc.products
    supplier = _zipf_choice(rng, n_e, n_p, 0.9)
    n_rc = rng.integers(1, 3, size=n_p)
    rc_flat = _zipf_choice(rng, len(REFCOMPS), int(n_rc.sum()), 0.8)
    n_s = sc.services
    kind = rng.choice(len(KINDS), size=n_s, p=[0.08, 0.04, 0.08, 0.1, 0.5, 0.1, 0.1])
    level = np.select([kind <= 1, kind <= 3], [0, 1], default=2)
    level = np.where((level == 2) & (rng.random(n_s) < 0.2), 3, level)
    provider = _zipf_choice(rng, n_e, n_s, 1.0)
    provider[rng.random(n_s) < 0.01] = -1
    loc_ptr = []
    loc_c = []
    for role in range(3):
        counts = rng.integers(1, 3, size=n_s)
        counts[rng.random(n_s) < 0.04] = 0
        pool = [cix["NL"], cix["IE"], cix["DE"], cix["US"], cix["FR"], -1]
        probs = [0.5, 0.15, 0.12, 0.15 if role < 2 else 0.3, 0.07, 0.01]
        probs = list(np.asarray(probs) / sum(probs))
        loc_ptr.append(ptr(counts))
        loc_c.append(i32(rng.choice(pool, size=int(counts.sum()), p=probs)))
    # supply chain: each service above level 0 runs on 0-2 services of a lower level
    src, dst = [], []
    by_level = [np.nonzero(level == lv)[0] for lv in range(4)]
    for lv in range(1, 4):
        s = by_level[lv]
        lower = np.concatenate(by_level[:lv])
        if len(s) == 0 or len(lower) == 0:
            continue
        k = rng.integers(0, 3, size=len(s))
        src.append(np.repeat(s, k))
        dst.append(lower[_zipf_choice(rng, len(lower), int(k.sum()), 0.8)])
    return CatalogueColumns(
        country_codes=codes,
        country_names=codes,
        country_eu=eu,
        country_eea=eea,
        country_adequacy=eea.copy(),
        law_keys=["us-cloud-act", "us-fisa-702", "cn-nil-7"],
        law_names=["CLOUD Act", "FISA section 702", "National Intelligence Law art. 7"],
        law_country=i32([cix["US"], cix["US"], cix["CN"]]),
        law_triggers=[
            frozenset({"control"}),
            frozenset({"control", "access"}),
            frozenset({"control", "location", "access"}),
        ],
        entity_keys=list(range(n_e)),
        entity_names=[f"Entity {i}" for i in range(n_e)],
        entity_hq=i32(hq),
        entity_reg=i32(reg),
        entity_parent=i32(parent),
        entity_parent_state=i8(state),
        product_keys=list(range(n_p)),
        product_names=[f"Product {i}" for i in range(n_p)],
        product_supplier=i32(supplier),
        product_open_source=i8(rng.choice([-1, 0, 1], size=n_p, p=[0.1, 0.7, 0.2])),
        product_open_export=i8(rng.choice([-1, 0, 1], size=n_p, p=[0.3, 0.4, 0.3])),
        product_alternatives=i32(rng.integers(0, 6, size=n_p)),
        product_refcomp_ptr=ptr(n_rc),
        product_refcomp=i32(rc_flat),
        refcomp_names=list(REFCOMPS),
        service_keys=list(range(n_s)),
        service_names=[f"Service {i}" for i in range(n_s)],
        service_provider=i32(provider),
        service_kind=i32(kind),
        kind_names=list(KINDS),
        service_product=i32(np.where(rng.random(n_s) < 0.6, rng.integers(0, n_p, n_s), -1)),
        service_recovery=f64(rng.choice([np.nan, 2.0, 4.0, 8.0, 24.0, 72.0], size=n_s)),
        location_ptr=(loc_ptr[0], loc_ptr[1], loc_ptr[2]),
        location_country=(loc_c[0], loc_c[1], loc_c[2]),
        supply_src=i32(np.concatenate(src) if src else []),
        supply_dst=i32(np.concatenate(dst) if dst else []),
    )


def _within(rng: np.random.Generator, start: Any, count: Any) -> Any:
    """A random index in [start, start + count) per row."""
    return start + (rng.random(len(start)) * count).astype(np.int64)


def _contracts(
    rng: np.random.Generator,
    cat: CatalogueColumns,
    *,
    product: Any,
    p_start: Any,
    u_cnt: Any,
    n_o: int,
) -> dict[str, Any]:
    # contracts: ~40 per organisation with a supplier of something it uses
    n_con = n_o * 40
    c_org = np.repeat(np.arange(n_o), 40)
    c_u = _within(rng, p_start[c_org], u_cnt[c_org])
    counter = cat.product_supplier[product[c_u]]
    n_cov = rng.integers(1, 6, size=n_con)
    cov_c = np.repeat(np.arange(n_con), n_cov)
    cov_u = _within(rng, p_start[c_org[cov_c]], u_cnt[c_org[cov_c]])
    cov_u[np.r_[0, np.cumsum(n_cov)[:-1]]] = c_u
    base = 739_000  # ~ 2024
    start = base + rng.integers(-1500, 0, n_con)
    end = start + rng.choice([365, 730, 1461, 2922], n_con)
    end[rng.random(n_con) < 0.1] = -1
    value = np.round(np.exp(rng.normal(10.5, 1.3, n_con)), 2)
    value[rng.random(n_con) < 0.05] = np.nan
    clauses = rng.choice([-1, 0, 1], size=(n_con, len(CLAUSES)), p=[0.3, 0.35, 0.35])
    return {
        "contract_keys": list(range(n_con)),
        "contract_org": i32(c_org),
        "contract_counterparty": i32(counter),
        "contract_value": f64(value),
        "contract_start": i32(start),
        "contract_end": i32(end),
        "contract_notice": i32(rng.choice([-1, 30, 90, 180, 365], n_con)),
        "contract_clauses": i8(clauses),
        "contract_usage_ptr": ptr(n_cov),
        "contract_usage": i32(cov_u),
        "contract_service_ptr": ptr(np.zeros(n_con, dtype=np.int64)),
        "contract_service": i32([]),
    }


def _orgs(rng: np.random.Generator, sc: Scale, cat: CatalogueColumns) -> OrgColumns:
    n_o = sc.orgs
    trusted = frozenset([*EU, *EEA])
    p_cnt = np.maximum(1, rng.poisson(sc.processes_per_org, n_o))
    u_cnt = np.maximum(2, rng.poisson(sc.usages_per_org, n_o))
    p_org = np.repeat(np.arange(n_o), p_cnt)
    u_org = np.repeat(np.arange(n_o), u_cnt)
    p_start = np.concatenate(([0], np.cumsum(u_cnt)[:-1]))  # first usage of each org
    n_p, n_u = len(p_org), len(u_org)
    n_s = len(cat.service_keys)
    product = _zipf_choice(rng, len(cat.product_keys), n_u, 1.0)
    # process -> usage (requires); some pairs of usages in a fail-over group (k = 1)
    k_req = rng.integers(3, 9, size=n_p)
    e_p = np.repeat(np.arange(n_p), k_req)
    e_u = _within(rng, p_start[p_org[e_p]], u_cnt[p_org[e_p]])
    # usage -> service (runs_on), popular services shared by many organisations
    k_run = rng.choice([1, 2], size=n_u, p=[0.7, 0.3])
    r_u = np.repeat(np.arange(n_u), k_run)
    r_s = _zipf_choice(rng, n_s, len(r_u), 0.9)
    # integrations between usages of the same organisation, a quarter both ways (cycles)
    n_int = n_u // 2
    i_u = rng.integers(0, n_u, n_int)
    i_v = _within(rng, p_start[u_org[i_u]], u_cnt[u_org[i_u]])
    back = rng.random(n_int) < 0.25
    i_src = np.concatenate([i_u, i_v[back]])
    i_dst = np.concatenate([i_v, i_u[back]])
    keep = i_src != i_dst
    i_src, i_dst = i_src[keep], i_dst[keep]
    # redundancy: 10 % of usages also run on a second service in a k = 1 group;
    # 3 % of processes have a 2-of-3 group of usages
    red_u = np.nonzero(rng.random(n_u) < 0.10)[0]
    red_p = np.nonzero(rng.random(n_p) < 0.03)[0]
    n_rg = len(red_u) + len(red_p)
    rg_org = np.concatenate([u_org[red_u], p_org[red_p]])
    rg_k = np.concatenate([np.ones(len(red_u)), np.full(len(red_p), 2)])
    g_u = np.arange(len(red_u))
    g_p = np.arange(len(red_p)) + len(red_u)
    rp_src = np.repeat(red_p, 3)
    rp_dst = _within(rng, p_start[p_org[rp_src]], u_cnt[p_org[rp_src]])
    # each part: org, source kind, source, target kind, target, kind, group, open standard
    parts = [
        (p_org[e_p], 0, e_p, 1, e_u, 0, -1, -1),
        (u_org[r_u], 1, r_u, 2, r_s, 1, -1, -1),
        (u_org[i_src], 1, i_src, 1, i_dst, 2, -1, rng.choice([-1, 0, 1], size=len(i_src))),
        (u_org[red_u], 1, red_u, 2, r_s[np.searchsorted(r_u, red_u)], 1, g_u, -1),
        (u_org[red_u], 1, red_u, 2, _zipf_choice(rng, n_s, len(red_u), 0.9), 1, g_u, -1),
        (p_org[rp_src], 0, rp_src, 1, rp_dst, 0, np.repeat(g_p, 3), -1),
    ]
    # the first runs_on edge of a redundant usage now belongs to its group: drop the
    # required copy
    first = np.searchsorted(r_u, red_u)
    req_run = np.ones(len(r_u), dtype=bool)
    req_run[first] = False
    parts[1] = (u_org[r_u[req_run]], 1, r_u[req_run], 2, r_s[req_run], 1, -1, -1)
    cols = [np.concatenate([np.broadcast_to(np.asarray(p[j]), len(p[2])) for p in parts]) for j in range(8)]
    con = _contracts(rng, cat, product=product, p_start=p_start, u_cnt=u_cnt, n_o=n_o)
    exit_u = np.nonzero(rng.random(n_u) < 0.1)[0]
    return OrgColumns(
        org_keys=list(range(n_o)),
        org_codes=[f"GM{i:04d}" for i in range(n_o)],
        org_names=[f"Gemeente {i}" for i in range(n_o)],
        org_kinds=["municipality"] * n_o,
        org_trusted=[trusted] * n_o,
        process_keys=list(range(n_p)),
        process_names=[f"Process {i}" for i in range(n_p)],
        process_org=i32(p_org),
        process_availability=i8(rng.integers(1, 4, n_p)),
        process_integrity=i8(rng.integers(1, 4, n_p)),
        process_confidentiality=i8(rng.integers(1, 4, n_p)),
        process_critical=rng.random(n_p) < 0.35,
        process_mtd=f64(rng.choice([np.nan, 2.0, 4.0, 8.0, 24.0, 72.0, 168.0], n_p)),
        process_rto=f64(rng.choice([np.nan, 4.0, 8.0, 24.0], n_p)),
        process_personal=i8(rng.integers(0, 4, n_p)),
        usage_keys=list(range(n_u)),
        usage_names=[f"Usage {i}" for i in range(n_u)],
        usage_org=i32(u_org),
        usage_product=i32(product),
        usage_refcomp=i32(np.full(n_u, -1)),
        refcomp_names=[],
        usage_status=i32(rng.choice([0, 1, 2], n_u, p=[0.93, 0.04, 0.03])),
        status_names=["production", "phasing_out", "retired"],
        usage_override=i8(np.where(rng.random(n_u) < 0.01, 2, -1)),
        usage_justification=[None] * n_u,
        usage_open_export=i8(np.full(n_u, -1)),
        usage_volume_gb=f64(np.where(rng.random(n_u) < 0.5, np.nan, np.exp(rng.normal(4, 2, n_u)))),
        rgroup_keys=list(range(n_rg)),
        rgroup_org=i32(rg_org),
        rgroup_k=i32(rg_k),
        dep_org=i32(cols[0]),
        dep_src_kind=i8(cols[1]),
        dep_src=i32(cols[2]),
        dep_dst_kind=i8(cols[3]),
        dep_dst=i32(cols[4]),
        dep_kind=i8(cols[5]),
        dep_group=i32(cols[6]),
        dep_open_standard=i8(cols[7]),
        **con,
        exit_usage=i32(exit_u),
        exit_service_org=i32([]),
        exit_service=i32([]),
    )


def synthetic_columns(scale: str | Scale, seed: int = 0) -> tuple[CatalogueColumns, OrgColumns]:
    """Catalogue and organisation columns for a scale name or an explicit :class:`Scale`."""
    sc = SCALES[scale] if isinstance(scale, str) else scale
    rng = np.random.default_rng(seed)
    cat = _catalogue(rng, sc)
    return cat, _orgs(rng, sc, cat)


def synthetic_snapshot(scale: str | Scale, seed: int = 0) -> Snapshot:
    cat, orgs = synthetic_columns(scale, seed)
    return Snapshot.from_arrays(cat, orgs)
