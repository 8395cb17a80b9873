"""``regie bench``: the engine benchmark plus the time to load a snapshot from the register.

For each scale the core benchmark (``regie.core.bench.run_core_bench``) runs on the synthetic
landscape; then the same landscape is written with ``bulk_create`` into a fresh SQLite file and
into a fresh PostgreSQL database ``regie_bench`` (created and dropped here), and
``build_snapshot`` is timed on each: ``snapshot_load_s = {"sqlite": s, "postgresql": s}``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dj_database_url
import numpy as np
from django.core.management import call_command
from django.db import DatabaseError, connections, models, transaction
from django.utils import timezone

from regie.core.bench import run_core_bench
from regie.core.catalogue import Catalogue
from regie.core.columns import CatalogueColumns, OrgColumns
from regie.core.facts import CLAUSES, DEPENDENCY_KINDS, LOCATION_ROLES, PARENT_STATES, PERSONAL_DATA
from regie.core.synthetic import synthetic_columns
from regie.register.models import (
    Alternative,
    Contract,
    ContractClause,
    Country,
    Dependency,
    ExitPlan,
    GemmaElement,
    LegalEntity,
    Organisation,
    Process,
    Product,
    RedundancyGroup,
    Service,
    ServiceDependency,
    ServiceLocation,
    Usage,
)

from .adapter import build_snapshot

BATCH = 10_000
PG_DATABASE = "regie_bench"
UNKNOWN_ENTITY = 10_000_000
UNKNOWN_PRODUCT = 10_000_000
_KIND = {
    "IaaS": "iaas",
    "PaaS": "paas",
    "SaaS": "saas",
    "network": "network",
    "managed": "managed_operation",
    "support": "support",
    "on-premises": "on_premises",
}
_STATUS = {"production": "in_production", "phasing_out": "phasing_out", "retired": "retired"}
_OVERRIDE = ("easy", "medium", "high", "none")
_TRI = {-1: "unknown", 0: "no", 1: "yes"}


def _pk_or(index: int, missing: int) -> int:
    """The primary key of a row (index + 1), or ``missing`` for an unknown reference."""
    return index + 1 if index >= 0 else missing


def _none(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _bulk(using: str, model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows given as dicts of column attributes (all with the same keys)."""
    it = iter(rows)
    first = next(it, None)
    if first is None:
        return 0
    columns = list(first)
    return _insert(
        using,
        model,
        columns,
        itertools.chain([tuple(first.values())], (tuple(r.get(c) for c in columns) for r in it)),
    )


def _insert(
    using: str, model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert plain rows (values for ``columns``; every other column gets its default) in
    batches: ``executemany`` on SQLite, ``COPY`` on PostgreSQL; no model instance per row."""
    conn = connections[using]
    fields = {f.attname: f for f in model._meta.concrete_fields}
    now = timezone.now()
    plan: list[tuple[str, int, Any]] = []
    for name, f in fields.items():
        if name in columns:
            plan.append((name, list(columns).index(name), None))
        elif not f.primary_key:
            value = (
                now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            )
            plan.append((name, -1, f.get_db_prep_save(value, conn)))
    dates = {
        list(columns).index(n) for n, f in fields.items() if n in columns and isinstance(f, models.DateField)
    }
    quoted = ", ".join(conn.ops.quote_name(str(fields[name].column)) for name, _, _ in plan)
    marks = ", ".join(["%s"] * len(plan))
    prefix = f"INSERT INTO {conn.ops.quote_name(model._meta.db_table)} ({quoted}) VALUES "  # noqa: S608

    copy_sql = f"COPY {conn.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN"

    def flush(cursor: Any, batch: list[list[Any]]) -> None:
        if conn.vendor == "postgresql":  # PostgreSQL: COPY, the server's own bulk path
            with cursor.cursor.copy(copy_sql) as copy:
                for row in batch:
                    copy.write_row(row)
        else:  # SQLite: executemany runs in-process, fast
            cursor.executemany(prefix + f"({marks})", batch)

    n = 0
    with transaction.atomic(using=using), conn.cursor() as cursor:
        batch: list[list[Any]] = []
        for row in rows:
            values = list(row)
            for i in dates:
                values[i] = conn.ops.adapt_datefield_value(values[i])
            batch.append([values[i] if i >= 0 else const for _, i, const in plan])
            if len(batch) >= BATCH:
                flush(cursor, batch)
                n += len(batch)
                batch = []
        if batch:
            flush(cursor, batch)
            n += len(batch)
    return n


def _entity_order(parent: Any) -> list[int]:
    """Entities with parents before children (the control-chain triggers need the parent)."""
    n = len(parent)
    depth = np.full(n, -1)
    for e in range(n):
        chain, x = [], e
        while x >= 0 and depth[x] < 0 and x not in chain:
            chain.append(x)
            x = int(parent[x])
        base = depth[x] if x >= 0 and depth[x] >= 0 else -1
        for i, c in enumerate(reversed(chain)):
            depth[c] = base + 1 + i
    return [int(e) for e in np.argsort(depth, kind="stable")]


def write_catalogue(using: str, cat: CatalogueColumns) -> dict[str, int]:
    """The synthetic catalogue as register rows (primary keys are index + 1)."""
    codes = list(cat.country_codes)
    counts = {
        "countries": _bulk(
            using,
            Country,
            [
                {
                    "code": c,
                    "name_en": str(name),
                    "name_nl": str(name),
                    "eu_member": bool(eu),
                    "eea_member": bool(eea),
                }
                for c, name, eu, eea in zip(
                    codes, cat.country_names, cat.country_eu, cat.country_eea, strict=True
                )
            ],
        )
    }

    def country(i: int) -> str | None:
        return codes[i] if i >= 0 else None

    parent = np.where(cat.entity_parent_state == 0, cat.entity_parent, -1)
    # the register refuses ownership cycles (database triggers): their parents become unknown
    in_cycle = Catalogue.compile(cat).entity_in_cycle
    parent = np.where(in_cycle, -1, parent)
    entities = []
    for e in _entity_order(parent):
        state = PARENT_STATES[int(cat.entity_parent_state[e])]
        p = int(parent[e])
        entities.append(
            {
                "id": e + 1,
                "name": str(cat.entity_names[e]),
                "hq_country_id": country(int(cat.entity_hq[e])),
                "registration_country_id": country(int(cat.entity_reg[e])),
                "parent_state": state if (state != "known" or p >= 0) and not in_cycle[e] else "unknown",
                "parent_id": p + 1 if p >= 0 else None,
            }
        )
    # the register needs a provider for every service and a counterparty for every contract:
    # what the synthetic landscape leaves unknown goes to one entity whose facts are all unknown
    entities.append({"id": UNKNOWN_ENTITY, "name": "Unknown provider", "parent_state": "unknown"})
    counts["entities"] = _bulk(using, LegalEntity, entities)
    _bulk(
        using,
        GemmaElement,
        [{"id": i + 1, "kind": "referentiecomponent", "name": n} for i, n in enumerate(cat.refcomp_names)],
    )
    _bulk(using, Product, [{"id": UNKNOWN_PRODUCT, "name": "Unknown product"}])
    counts["products"] = _bulk(
        using,
        Product,
        (
            {
                "id": p + 1,
                "name": str(cat.product_names[p]),
                "supplier_id": int(s) + 1 if s >= 0 else None,
                "open_source": _TRI[int(cat.product_open_source[p])],
                "export_open_standard": _TRI[int(cat.product_open_export[p])],
            }
            for p, s in enumerate(cat.product_supplier.tolist())
        ),
    )
    rc = cat.product_refcomp_ptr
    through = Product.reference_components.through
    _bulk(
        using,
        through,
        (
            {"product_id": p + 1, "gemmaelement_id": int(c) + 1}
            for p in range(len(cat.product_keys))
            for c in sorted(set(cat.product_refcomp[rc[p] : rc[p + 1]].tolist()))
        ),
    )
    n_alt = int(cat.product_alternatives.max()) if len(cat.product_alternatives) else 0
    _bulk(
        using,
        Alternative,
        [{"id": i + 1, "name": f"Alternative {i}", "category": "synthetic"} for i in range(n_alt)],
    )
    alt_through = Alternative.replaces_products.through
    _bulk(
        using,
        alt_through,
        (
            {"alternative_id": j + 1, "product_id": p + 1}
            for p, n in enumerate(cat.product_alternatives.tolist())
            for j in range(n)
        ),
    )
    counts["services"] = _bulk(
        using,
        Service,
        (
            {
                "id": s + 1,
                "name": str(cat.service_names[s]),
                "provider_id": int(cat.service_provider[s]) + 1
                if cat.service_provider[s] >= 0
                else UNKNOWN_ENTITY,
                "kind": _KIND.get(str(cat.kind_names[int(cat.service_kind[s])]), "saas"),
                "product_id": int(cat.service_product[s]) + 1 if cat.service_product[s] >= 0 else None,
                "recovery_hours": _none(float(cat.service_recovery[s])),
            }
            for s in range(len(cat.service_keys))
        ),
    )
    locations = set()
    for r, role in enumerate(LOCATION_ROLES):
        lp, lc = cat.location_ptr[r], cat.location_country[r]
        for s in range(len(cat.service_keys)):
            for code in lc[lp[s] : lp[s + 1]].tolist():
                locations.add((s + 1, role, country(int(code))))
    counts["locations"] = _bulk(
        using,
        ServiceLocation,
        [{"service_id": s, "role": r, "country_id": c} for s, r, c in sorted(locations, key=str)],
    )
    links = {
        (int(a) + 1, int(b) + 1)
        for a, b in zip(cat.supply_src.tolist(), cat.supply_dst.tolist(), strict=True)
        if a != b
    }
    counts["supply_chain"] = _bulk(
        using, ServiceDependency, [{"service_id": a, "depends_on_id": b} for a, b in sorted(links)]
    )
    return counts


def _dependencies(cols: OrgColumns, org_pk: Callable[[int], int]) -> Iterator[dict[str, Any]]:
    seen: set[tuple[int, int, int, int, int]] = set()
    for d in range(len(cols.dep_org)):
        kind = int(cols.dep_kind[d])
        sk, s, tk, t = (
            int(cols.dep_src_kind[d]),
            int(cols.dep_src[d]),
            int(cols.dep_dst_kind[d]),
            int(cols.dep_dst[d]),
        )
        key = (kind, sk, s, tk, t)
        if key in seen or (sk == tk == 1 and s == t):
            continue
        seen.add(key)
        g = int(cols.dep_group[d])
        std = int(cols.dep_open_standard[d])
        yield {
            "organisation_id": org_pk(int(cols.dep_org[d])),
            "kind": DEPENDENCY_KINDS[kind],
            "from_process_id": s + 1 if sk == 0 else None,
            "from_usage_id": s + 1 if sk == 1 else None,
            "to_usage_id": t + 1 if tk == 1 else None,
            "to_service_id": t + 1 if tk == 2 else None,
            "group_id": g + 1 if g >= 0 else None,
            "proprietary": {0: "yes", 1: "no"}.get(std, "unknown"),
        }


def write_organisations(using: str, cols: OrgColumns) -> dict[str, int]:
    """The synthetic organisations' registers as rows (primary keys are index + 1)."""

    def org_pk(o: int) -> int:
        return o + 1

    counts = {
        "organisations": _bulk(
            using,
            Organisation,
            [
                {"id": o + 1, "code": str(code).lower(), "name": str(name), "kind": "municipality"}
                for o, (code, name) in enumerate(zip(cols.org_codes, cols.org_names, strict=True))
            ],
        )
    }
    counts["processes"] = _bulk(
        using,
        Process,
        (
            {
                "id": p + 1,
                "organisation_id": org_pk(int(cols.process_org[p])),
                "name": str(cols.process_names[p]),
                "availability": int(cols.process_availability[p]),
                "integrity": int(cols.process_integrity[p]),
                "confidentiality": int(cols.process_confidentiality[p]),
                "critical": bool(cols.process_critical[p]),
                "max_tolerable_downtime_hours": _none(float(cols.process_mtd[p])),
                "rto_hours": _none(float(cols.process_rto[p])),
                "personal_data": PERSONAL_DATA[int(cols.process_personal[p])],
            }
            for p in range(len(cols.process_keys))
        ),
    )
    counts["usages"] = _bulk(
        using,
        Usage,
        (
            {
                "id": u + 1,
                "organisation_id": org_pk(int(cols.usage_org[u])),
                "name": str(cols.usage_names[u]),
                "product_id": _pk_or(int(cols.usage_product[u]), UNKNOWN_PRODUCT),
                "status": _STATUS.get(str(cols.status_names[int(cols.usage_status[u])]), "in_production"),
                "substitutability_override": _OVERRIDE[int(cols.usage_override[u])]
                if cols.usage_override[u] >= 0
                else "",
                "override_justification": "synthetic" if cols.usage_override[u] >= 0 else "",
            }
            for u in range(len(cols.usage_keys))
        ),
    )
    counts["redundancy_groups"] = _bulk(
        using,
        RedundancyGroup,
        (
            {"id": g + 1, "organisation_id": org_pk(int(o)), "name": f"Group {g}", "k": int(k)}
            for g, (o, k) in enumerate(zip(cols.rgroup_org.tolist(), cols.rgroup_k.tolist(), strict=True))
        ),
    )
    counts["dependencies"] = _bulk(using, Dependency, _dependencies(cols, org_pk))
    counts["contracts"] = _bulk(
        using,
        Contract,
        (
            {
                "id": c + 1,
                "organisation_id": org_pk(int(cols.contract_org[c])),
                "reference": f"C{c}",
                "title": f"Contract {c}",
                "counterparty_id": _pk_or(int(cols.contract_counterparty[c]), UNKNOWN_ENTITY),
                "start_date": dt.date.fromordinal(int(cols.contract_start[c])),
                "end_date": dt.date.fromordinal(int(cols.contract_end[c]))
                if cols.contract_end[c] >= 0
                else None,
                "notice_days": int(cols.contract_notice[c]) if cols.contract_notice[c] >= 0 else None,
                "annual_value": _none(float(cols.contract_value[c])),
            }
            for c in range(len(cols.contract_keys))
        ),
    )
    counts["clauses"] = _bulk(
        using,
        ContractClause,
        (
            {"contract_id": c + 1, "kind": k, "present": _TRI[int(cols.contract_clauses[c, i])]}
            for c in range(len(cols.contract_keys))
            for i, k in enumerate(CLAUSES)
        ),
    )
    p = cols.contract_usage_ptr
    through = Contract.usages.through
    counts["contract_usages"] = _bulk(
        using,
        through,
        (
            {"contract_id": c + 1, "usage_id": u + 1}
            for c in range(len(cols.contract_keys))
            for u in sorted(set(cols.contract_usage[p[c] : p[c + 1]].tolist()))
        ),
    )
    counts["exit_plans"] = _bulk(
        using,
        ExitPlan,
        (
            {"organisation_id": org_pk(int(cols.usage_org[u])), "title": f"Exit {u}", "usage_id": u + 1}
            for u in cols.exit_usage.tolist()
        ),
    )
    return counts


@contextmanager
def database(alias: str, config: dict[str, Any]) -> Iterator[str]:
    """A temporary extra database connection named ``alias``, migrated."""
    base = dict(connections.databases["default"])
    base.update(config)
    base["TEST"] = {}
    connections.databases[alias] = base
    try:
        call_command("migrate", database=alias, verbosity=0, interactive=False)
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]  # the cached connection object, or the next run reuses its settings
        del connections.databases[alias]


def _fast_writes(alias: str) -> bool:
    """On PostgreSQL, skip triggers and foreign-key checks while seeding the scratch database
    (as pg_restore does); needs a superuser. The data is generated consistent."""
    conn = connections[alias]
    if conn.vendor != "postgresql":
        return False
    try:
        with conn.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
    except DatabaseError:
        return False
    return True


# What the control-chain triggers (register migration 0002) keep: every (descendant, ancestor)
# pair with its distance, 1 for the parent. Parents are written without cycles.
FILL_CONTROL_CHAINS = """
    INSERT INTO register_legalentityancestor (descendant_id, ancestor_id, depth)
    WITH RECURSIVE chain (descendant_id, ancestor_id, depth) AS (
        SELECT id, parent_id, 1 FROM register_legalentity WHERE parent_id IS NOT NULL
        UNION ALL
        SELECT chain.descendant_id, e.parent_id, chain.depth + 1
        FROM chain JOIN register_legalentity e ON e.id = chain.ancestor_id
        WHERE e.parent_id IS NOT NULL
    )
    SELECT descendant_id, ancestor_id, depth FROM chain
    WHERE NOT EXISTS (
        SELECT 1 FROM register_legalentityancestor a
        WHERE a.descendant_id = chain.descendant_id AND a.ancestor_id = chain.ancestor_id
    )
"""


def end_fast_writes(alias: str) -> None:
    """Switch the triggers back on after ``_fast_writes`` and do what they would have done for
    the rows written meanwhile: the control-chain closure of the legal entities."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute(FILL_CONTROL_CHAINS)


def _load(alias: str, cat: CatalogueColumns, cols: OrgColumns) -> dict[str, Any]:
    fast = _fast_writes(alias)
    t = time.perf_counter()
    counts = write_catalogue(alias, cat)
    counts |= write_organisations(alias, cols)
    if fast:
        end_fast_writes(alias)
    written = time.perf_counter() - t
    server = _server_cpu(alias)
    t, cpu = time.perf_counter(), time.process_time()
    snap = build_snapshot(using=alias)
    load, load_cpu = time.perf_counter() - t, time.process_time() - cpu
    after = _server_cpu(alias)
    return {
        "load_s": load,
        "load_cpu_s": load_cpu,  # this process only (on PostgreSQL the server works as well)
        # CPU of the PostgreSQL backend of this connection, when the server runs on this machine
        # (not that of the second connection that reads the dependencies: orgload.org_columns)
        "server_cpu_s": None if server is None or after is None else after - server,
        "load_average": os.getloadavg()[0],
        "write_s": written,
        "rows": counts,
        "snapshot": {"orgs": snap.n_orgs, "processes": snap.n_processes, "usages": snap.n_usages},
    }


def _server_cpu(alias: str) -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (None: not readable)."""
    conn = connections[alias]
    if conn.vendor != "postgresql":
        return None
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{int(pid)}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None  # the server runs elsewhere
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sqlite_load(cat: CatalogueColumns, cols: OrgColumns) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="regie-bench-") as tmp:
        config = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(Path(tmp) / "bench.sqlite3"),
            "OPTIONS": {
                "init_command": "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
            },
            "HOST": "",
            "PORT": "",
            "USER": "",
            "PASSWORD": "",
            "CONN_MAX_AGE": 0,
        }
        with database("regie_bench_sqlite", config) as alias:
            return _load(alias, cat, cols)


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    cfg = dj_database_url.parse(url)
    with psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1",
        port=int(cfg["PORT"] or 5432),
        user=cfg["USER"] or "postgres",
        password=cfg["PASSWORD"] or None,
        dbname=cfg["NAME"] or "postgres",
        autocommit=True,
        connect_timeout=5,
    ) as conn:
        conn.execute(sql.encode())


def postgresql_load(
    url: str, cat: CatalogueColumns, cols: OrgColumns, name: str = PG_DATABASE
) -> dict[str, Any]:
    """Create the scratch database ``name`` on the server of ``url``, load, time, drop it again.

    A database of that name that exists already is left alone (someone may be using it)."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"not a plain database name: {name!r}")
    _pg_admin(url, f"CREATE DATABASE {name}")
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url))
        config["NAME"] = name
        config["OPTIONS"] = {}
        config["CONN_MAX_AGE"] = 0
        with database(f"bench_{name}", config) as alias:
            return _load(alias, cat, cols)
    finally:
        _pg_admin(url, f"DROP DATABASE IF EXISTS {name}")


def bench_scale(
    scale: str, *, pg_url: str, pg_database: str = PG_DATABASE, skip_db: bool = False
) -> dict[str, Any]:
    out = run_core_bench(scale)
    if skip_db:
        return out
    cat, cols = synthetic_columns(scale)
    loads: dict[str, Any] = {}
    details: dict[str, Any] = {}
    result = sqlite_load(cat, cols)
    loads["sqlite"] = result["load_s"]
    details["sqlite"] = result
    try:
        result = postgresql_load(pg_url, cat, cols, pg_database)
    except Exception as exc:  # noqa: BLE001 - any connection failure means: no PostgreSQL to measure
        loads["postgresql"] = None
        details["postgresql"] = {"error": f"PostgreSQL not available at {pg_url}: {exc}"}
    else:
        loads["postgresql"] = result["load_s"]
        details["postgresql"] = result
    out["snapshot_load_s"] = loads
    out["snapshot_load"] = details
    return out
